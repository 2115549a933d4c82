"""Placing orders: check the SKUs, reserve stock (or take a pool's held units), write the order
and its OrderPlaced event; one order at a time or a batch of held orders at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, shops
from trustlive.kernel.errors import Conflict, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.orders import domain, events
from trustlive.orders.checks import (
    ALLOW_ALL,
    NO_CLIENT,
    Client,
    OrderAttempt,
    OrderBlocked,
    OrderCheck,
    Outcome,
)
from trustlive.orders.domain import Actor, OrderPolicy, OrderStatus
from trustlive.orders.errors import OrderError
from trustlive.orders.models import STOCK_FROM_CATALOG, Order, OrderLine, OrderTransition
from trustlive.orders.views import OrderView, lines_payload


@dataclass(frozen=True)
class HeldStock:
    """Units a pool (e.g. a flash sale) already took for this order, and the prices it sells at."""

    held_by: str
    unit_prices: dict[int, int]


@dataclass(frozen=True)
class Source:
    """Where a buyer placed the order (a live room and session), for attribution."""

    room_id: int | None = None
    live_session_id: int | None = None


def _check_snapshots(wanted: dict[int, int], snapshots: dict[int, catalog.SkuSnapshot]) -> int:
    """All SKUs exist, are on sale and belong to one shop; returns that shop."""
    missing = sorted(set(wanted) - set(snapshots))
    if missing:
        raise Problem(
            OrderError.UNKNOWN_SKU, f"no SKU {missing[0]}", status=422, sku_id=str(missing[0])
        )
    off_sale = [s for s in snapshots.values() if not s.on_sale]
    if off_sale:
        raise Conflict(
            OrderError.NOT_ON_SALE,
            f"{off_sale[0].title} is not on sale",
            sku_id=str(off_sale[0].sku_id),
        )
    shop_ids = {s.shop_id for s in snapshots.values()}
    if len(shop_ids) != 1:
        raise Problem(OrderError.MIXED_SHOPS, "one order buys from one shop; split it", status=422)
    return shop_ids.pop()


async def place_order(
    session: AsyncSession,
    *,
    buyer_id: int,
    lines: list[tuple[int, int]],
    address: dict[str, str],
    buyer_note: str,
    source: Source,
    policy: OrderPolicy,
    now: datetime,
    held: HeldStock | None = None,
    check: OrderCheck = ALLOW_ALL,
    client: Client = NO_CLIENT,
) -> OrderView:
    """Reserve stock for every line (in SKU order, so two orders never deadlock) or none of it.

    With `held`, the caller (a flash sale) has already taken the units from its own pool: the
    lines take its prices, no SKU stock is reserved, and cancelling leaves the units to that pool.
    `check` (risk control) sees the order before anything of it is written and may block it
    (`OrderBlocked`).
    """
    wanted = domain.merge_quantities(lines)
    snapshots = await catalog.sku_snapshots(session, list(wanted))
    shop_id = _check_snapshots(wanted, snapshots)
    if await shops.has_permission(
        session, shop_id=shop_id, user_id=buyer_id, permission=shops.Permission.VIEW_ORDERS
    ):
        raise _self_purchase()
    order_id = new_id()
    prices = _prices(snapshots, held)
    attempt = OrderAttempt(
        order_id=order_id,
        buyer_id=buyer_id,
        shop_id=shop_id,
        total_fen=sum(domain.line_total(prices[s], q) for s, q in wanted.items()),
        shipping=address,
        client=client,
        placed_at=now,
    )
    answer = await check.check(session, attempt)
    if answer.outcome == Outcome.BLOCK:
        raise OrderBlocked(answer)
    if held is None:  # a held order's units are already taken from its pool
        await _reserve_stock(session, wanted, snapshots)
    view = _build_order(
        order_id=order_id,
        buyer_id=buyer_id,
        shop_id=shop_id,
        wanted=wanted,
        snapshots=snapshots,
        address=address,
        buyer_note=buyer_note,
        source=source,
        policy=policy,
        now=now,
        held=held,
    )
    await add_orders(session, [view], now=now)
    return view


@dataclass(frozen=True)
class HeldOrder:
    """One order whose units a pool already holds (see `place_held_orders`)."""

    buyer_id: int
    lines: list[tuple[int, int]]
    address: dict[str, str]
    source: Source
    held: HeldStock
    buyer_note: str = ""


async def prepare_held_orders(
    session: AsyncSession, requests: list[HeldOrder], *, policy: OrderPolicy, now: datetime
) -> list[OrderView | Problem]:
    """Many held-stock orders at once, checked and built as `place_order` would each (one SKU
    query, one staff query per shop) but not yet added: `add_orders` writes those the caller
    keeps, so a flash sale's winners are written in a batch. A request `place_order` would
    refuse gets its Problem in its place."""
    snapshots = await catalog.sku_snapshots(
        session, sorted({sku for r in requests for sku, _ in r.lines})
    )
    wanted: list[dict[int, int]] = []
    shop_of: list[int | Problem] = []
    for request in requests:
        wanted.append(domain.merge_quantities(request.lines))
        mine = {sku: snapshots[sku] for sku in wanted[-1] if sku in snapshots}
        try:
            shop_of.append(_check_snapshots(wanted[-1], mine))
        except Problem as refused:
            shop_of.append(refused)
    staff: set[tuple[int, int]] = set()
    for shop_id in {s for s in shop_of if isinstance(s, int)}:
        buyers = {r.buyer_id for r, s in zip(requests, shop_of, strict=True) if s == shop_id}
        found = await shops.users_with_permission(
            session, shop_id=shop_id, user_ids=buyers, permission=shops.Permission.VIEW_ORDERS
        )
        staff |= {(shop_id, user_id) for user_id in found}
    placed: list[OrderView | Problem] = []
    for request, want, shop in zip(requests, wanted, shop_of, strict=True):
        if isinstance(shop, Problem):
            placed.append(shop)
        elif (shop, request.buyer_id) in staff:
            placed.append(_self_purchase())
        else:
            view = _build_order(
                order_id=new_id(),
                buyer_id=request.buyer_id,
                shop_id=shop,
                wanted=want,
                snapshots={sku: snapshots[sku] for sku in want},
                address=request.address,
                buyer_note=request.buyer_note,
                source=request.source,
                policy=policy,
                now=now,
                held=request.held,
            )
            placed.append(view)
    return placed


async def add_orders(session: AsyncSession, views: list[OrderView], *, now: datetime) -> None:
    """Write orders built by `prepare_held_orders`: two flushes for all of them."""
    session.add_all([v.order for v in views])
    await session.flush()  # the orders before their lines and transitions (foreign keys)
    for view in views:
        _add_rest(session, view, now=now)
    await session.flush()


async def _reserve_stock(
    session: AsyncSession, wanted: dict[int, int], snapshots: dict[int, catalog.SkuSnapshot]
) -> None:
    for sku_id in sorted(wanted):
        if not await catalog.reserve_stock(session, sku_id=sku_id, quantity=wanted[sku_id]):
            left = await catalog.stock_of(session, sku_id)
            raise Conflict(
                OrderError.INSUFFICIENT_STOCK,
                f"only {left} left of {snapshots[sku_id].title} ({snapshots[sku_id].spec_name})",
                sku_id=str(sku_id),
                available=left,
            )


def _self_purchase() -> Problem:
    return Problem(
        OrderError.SELF_PURCHASE, "shop staff cannot buy from their own shop", status=403
    )


def _prices(snapshots: dict[int, catalog.SkuSnapshot], held: HeldStock | None) -> dict[int, int]:
    prices = {sku_id: snap.price_fen for sku_id, snap in snapshots.items()}
    if held is not None:
        prices.update(held.unit_prices)
    return prices


def _build_order(
    *,
    order_id: int,
    buyer_id: int,
    shop_id: int,
    wanted: dict[int, int],
    snapshots: dict[int, catalog.SkuSnapshot],
    address: dict[str, str],
    buyer_note: str,
    source: Source,
    policy: OrderPolicy,
    now: datetime,
    held: HeldStock | None,
) -> OrderView:
    """The order, its lines and its first transition, not yet in the session."""
    prices = _prices(snapshots, held)
    order_lines = [
        OrderLine(
            id=new_id(),
            order_id=order_id,
            sku_id=sku_id,
            product_id=snap.product_id,
            title=snap.title,
            spec_name=snap.spec_name,
            image_url=snap.image_url,
            unit_price_fen=prices[sku_id],
            quantity=wanted[sku_id],
            line_total_fen=domain.line_total(prices[sku_id], wanted[sku_id]),
            stock_held_by=held.held_by if held is not None else STOCK_FROM_CATALOG,
        )
        for sku_id, snap in sorted(snapshots.items())
    ]
    items = sum(ln.line_total_fen for ln in order_lines)
    order = Order(
        id=order_id,
        buyer_id=buyer_id,
        shop_id=shop_id,
        status=OrderStatus.PENDING_PAYMENT,
        items_fen=items,
        shipping_fen=0,
        total_fen=items,
        address=address,
        buyer_note=buyer_note,
        room_id=source.room_id,
        live_session_id=source.live_session_id,
        placed_at=now,
        pay_deadline_at=policy.pay_deadline(now),
        version=1,
    )
    transition = OrderTransition(
        id=new_id(),
        order_id=order_id,
        from_status=None,
        to_status=OrderStatus.PENDING_PAYMENT,
        action="place",
        actor=Actor.BUYER,
        actor_id=buyer_id,
        reason="",
        at=now,
    )
    return OrderView(order, order_lines, [transition])


def _add_rest(session: AsyncSession, view: OrderView, *, now: datetime) -> None:
    """Lines, transition and the OrderPlaced event of an order already added."""
    order = view.order
    session.add_all(view.lines)
    session.add_all(view.transitions)
    record_event(
        session,
        events.OrderPlaced(
            order_id=order.id,
            buyer_id=order.buyer_id,
            shop_id=order.shop_id,
            total_fen=order.total_fen,
            lines=lines_payload(view.lines),
            room_id=order.room_id,
            live_session_id=order.live_session_id,
        ),
        now=now,
    )
