"""Order use cases: place, view, ship, receive, cancel, and the timeouts that drive them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from trustlive import catalog, shops
from trustlive.accounts import Principal
from trustlive.kernel import sweeps
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.orders import domain, events
from trustlive.orders.domain import Actor, OrderAction, OrderPolicy, OrderStatus
from trustlive.orders.errors import OrderError
from trustlive.orders.models import STOCK_FROM_CATALOG, Order, OrderLine, OrderTransition


@dataclass(frozen=True)
class HeldStock:
    """Units a pool (e.g. a flash sale) already took for this order, and the prices it sells at."""

    held_by: str
    unit_prices: dict[int, int]


@dataclass(frozen=True)
class OrderView:
    order: Order
    lines: list[OrderLine]
    transitions: list[OrderTransition]


@dataclass(frozen=True)
class Source:
    """Where a buyer placed the order (a live room and session), for attribution."""

    room_id: int | None = None
    live_session_id: int | None = None


def lines_payload(lines: list[OrderLine]) -> list[dict[str, Any]]:
    return [
        {
            "sku_id": ln.sku_id,
            "product_id": ln.product_id,
            "title": ln.title,
            "quantity": ln.quantity,
            "unit_price_fen": ln.unit_price_fen,
        }
        for ln in lines
    ]


async def _lines(session: AsyncSession, order_id: int) -> list[OrderLine]:
    rows = await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
    )
    return list(rows)


async def _view(session: AsyncSession, order: Order) -> OrderView:
    transitions = await session.scalars(
        select(OrderTransition)
        .where(OrderTransition.order_id == order.id)
        .order_by(OrderTransition.id)
    )
    return OrderView(order, await _lines(session, order.id), list(transitions))


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
) -> OrderView:
    """Reserve stock for every line (in SKU order, so two orders never deadlock) or none of it.

    With `held`, the caller (a flash sale) has already taken the units from its own pool: the
    lines take its prices, no SKU stock is reserved, and cancelling leaves the units to that pool.
    """
    wanted = domain.merge_quantities(lines)
    snapshots = await catalog.sku_snapshots(session, list(wanted))
    shop_id = _check_snapshots(wanted, snapshots)
    if await shops.has_permission(
        session, shop_id=shop_id, user_id=buyer_id, permission=shops.Permission.VIEW_ORDERS
    ):
        raise _self_purchase()
    if held is None:  # a held order's units are already taken from its pool
        await _reserve_stock(session, wanted, snapshots)
    view = _build_order(
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


def _build_order(
    *,
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
    prices = {sku_id: snap.price_fen for sku_id, snap in snapshots.items()}
    if held is not None:
        prices.update(held.unit_prices)
    order_id = new_id()
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


async def apply_transition(
    session: AsyncSession,
    order: Order,
    *,
    action: OrderAction,
    actor: Actor,
    actor_id: int | None,
    now: datetime,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> OrderStatus:
    """Move the order if it is still in the status we loaded: a lost race is a 409, not a double."""
    current = OrderStatus(order.status)
    target = domain.next_status(current, action, actor)
    values = {"status": target, "version": order.version + 1, **(changes or {})}
    result = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.version == order.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(OrderError.ORDER_CHANGED, "the order changed meanwhile; reload it")
    for name, value in values.items():  # what the row now holds, without reading it back
        set_committed_value(order, name, value)
    session.add(
        OrderTransition(
            id=new_id(),
            order_id=order.id,
            from_status=current,
            to_status=target,
            action=action,
            actor=actor,
            actor_id=actor_id,
            reason=reason,
            at=now,
        )
    )
    return target


async def load_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


async def _merchant_may(
    session: AsyncSession, order: Order, user_id: int, permission: shops.Permission
) -> bool:
    return await shops.has_permission(
        session, shop_id=order.shop_id, user_id=user_id, permission=permission
    )


async def get_order(session: AsyncSession, *, order_id: int, viewer: Principal) -> OrderView:
    """The buyer, the shop's staff who see orders, and operators; anyone else gets a 404."""
    order = await session.get(Order, order_id)
    visible = order is not None and (
        order.buyer_id == viewer.user_id
        or viewer.is_operator
        or await _merchant_may(session, order, viewer.user_id, shops.Permission.VIEW_ORDERS)
    )
    if order is None or not visible:
        raise NotFound("order", order_id)
    return await _view(session, order)


async def order_for_buyer(session: AsyncSession, *, order_id: int, buyer_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.buyer_id != buyer_id:
        raise NotFound("order", order_id)
    return order


async def _views(session: AsyncSession, orders: list[Order]) -> list[OrderView]:
    lines = await session.scalars(
        select(OrderLine)
        .where(OrderLine.order_id.in_([o.id for o in orders]))
        .order_by(OrderLine.id)
    )
    by_order: dict[int, list[OrderLine]] = {o.id: [] for o in orders}
    for line in lines:
        by_order[line.order_id].append(line)
    return [OrderView(o, by_order[o.id], []) for o in orders]


async def list_buyer_orders(
    session: AsyncSession,
    *,
    buyer_id: int,
    status: OrderStatus | None,
    before: int | None,
    limit: int,
) -> list[OrderView]:
    query = select(Order).where(Order.buyer_id == buyer_id)
    if status is not None:
        query = query.where(Order.status == status)
    if before is not None:
        query = query.where(Order.id < before)
    return await _views(
        session, list(await session.scalars(query.order_by(Order.id.desc()).limit(limit)))
    )


async def list_shop_orders(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    status: OrderStatus | None,
    before: int | None,
    limit: int,
) -> list[OrderView]:
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.VIEW_ORDERS
    )
    query = select(Order).where(Order.shop_id == shop_id)
    if status is not None:
        query = query.where(Order.status == status)
    if before is not None:
        query = query.where(Order.id < before)
    return await _views(
        session, list(await session.scalars(query.order_by(Order.id.desc()).limit(limit)))
    )


async def _cancel(
    session: AsyncSession,
    order: Order,
    *,
    actor: Actor,
    actor_id: int | None,
    reason: str,
    now: datetime,
) -> None:
    await apply_transition(
        session,
        order,
        action=OrderAction.CANCEL,
        actor=actor,
        actor_id=actor_id,
        now=now,
        reason=reason,
        changes={"cancelled_at": now},
    )
    for line in await _lines(session, order.id):
        if line.stock_held_by == STOCK_FROM_CATALOG:  # other pools take theirs back on the event
            await catalog.release_stock(session, sku_id=line.sku_id, quantity=line.quantity)
    record_event(
        session,
        events.OrderCancelled(
            order_id=order.id,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            by=actor,
            reason=reason,
        ),
        now=now,
    )


async def cancel_order(
    session: AsyncSession, *, order_id: int, viewer: Principal, reason: str, now: datetime
) -> OrderView:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("order", order_id)
    if order.buyer_id == viewer.user_id:
        actor = Actor.BUYER
    elif await _merchant_may(session, order, viewer.user_id, shops.Permission.FULFIL_ORDERS):
        actor = Actor.MERCHANT
    else:
        raise NotFound("order", order_id)
    await _cancel(session, order, actor=actor, actor_id=viewer.user_id, reason=reason, now=now)
    return await _view(session, order)


async def ship_order(
    session: AsyncSession,
    *,
    order_id: int,
    actor_id: int,
    carrier: str,
    tracking_no: str,
    policy: OrderPolicy,
    now: datetime,
) -> OrderView:
    order = await load_order(session, order_id)
    await shops.require_permission(
        session, shop_id=order.shop_id, user_id=actor_id, permission=shops.Permission.FULFIL_ORDERS
    )
    await apply_transition(
        session,
        order,
        action=OrderAction.SHIP,
        actor=Actor.MERCHANT,
        actor_id=actor_id,
        now=now,
        changes={
            "shipped_at": now,
            "carrier": carrier,
            "tracking_no": tracking_no,
            "auto_receive_at": policy.auto_receive_at(now),
        },
    )
    record_event(
        session,
        events.OrderShipped(order_id=order.id, shop_id=order.shop_id, buyer_id=order.buyer_id),
        now=now,
    )
    return await _view(session, order)


async def _receive(
    session: AsyncSession,
    order: Order,
    *,
    actor: Actor,
    actor_id: int | None,
    policy: OrderPolicy,
    now: datetime,
) -> None:
    await apply_transition(
        session,
        order,
        action=OrderAction.CONFIRM_RECEIPT,
        actor=actor,
        actor_id=actor_id,
        now=now,
        reason="automatic after the receipt window" if actor == Actor.SYSTEM else "",
        changes={"received_at": now, "completes_at": policy.completes_at(now)},
    )
    record_event(
        session,
        events.OrderReceived(
            order_id=order.id,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            automatic=actor == Actor.SYSTEM,
        ),
        now=now,
    )


async def confirm_receipt(
    session: AsyncSession, *, order_id: int, buyer_id: int, policy: OrderPolicy, now: datetime
) -> OrderView:
    order = await order_for_buyer(session, order_id=order_id, buyer_id=buyer_id)
    await _receive(session, order, actor=Actor.BUYER, actor_id=buyer_id, policy=policy, now=now)
    return await _view(session, order)


# --- scheduled sweeps ----------------------------------------------------------------------------

SWEEP_BATCH = 500


async def _due_orders(
    session: AsyncSession, job: str, status: OrderStatus, column: Any, now: datetime
) -> list[Order]:
    """Due orders, less those that failed lately (kernel.sweeps retries them later)."""
    held = await sweeps.held_back_ids(session, job, now)
    query = (
        select(Order)
        .where(Order.status == status, column <= now, Order.id.not_in(held))
        .order_by(Order.id)
        .limit(SWEEP_BATCH)
    )
    return list(await session.scalars(query))


def _order_key(order: Order) -> int:
    return order.id


async def cancel_unpaid(session: AsyncSession, now: datetime) -> int:
    """Unpaid orders past their deadline are cancelled and their stock released."""
    name = "orders.cancel_unpaid"
    due = await _due_orders(session, name, OrderStatus.PENDING_PAYMENT, Order.pay_deadline_at, now)

    async def cancel(order: Order) -> None:
        await _cancel(
            session, order, actor=Actor.SYSTEM, actor_id=None, reason="not paid in time", now=now
        )

    return await sweeps.each_apart(session, due, cancel, job=name, key=_order_key, now=now)


def auto_receive(policy: OrderPolicy) -> Any:
    name = "orders.auto_receive"

    async def job(session: AsyncSession, now: datetime) -> int:
        due = await _due_orders(session, name, OrderStatus.SHIPPED, Order.auto_receive_at, now)

        async def receive(order: Order) -> None:
            await _receive(
                session, order, actor=Actor.SYSTEM, actor_id=None, policy=policy, now=now
            )

        return await sweeps.each_apart(session, due, receive, job=name, key=_order_key, now=now)

    return job


async def complete_received(session: AsyncSession, now: datetime) -> int:
    """Orders whose after-sale window has closed are completed."""
    name = "orders.complete_received"
    due = await _due_orders(session, name, OrderStatus.RECEIVED, Order.completes_at, now)

    async def complete(order: Order) -> None:
        await complete_order(session, order, now=now)

    return await sweeps.each_apart(session, due, complete, job=name, key=_order_key, now=now)


async def complete_order(session: AsyncSession, order: Order, *, now: datetime) -> None:
    await apply_transition(
        session,
        order,
        action=OrderAction.COMPLETE,
        actor=Actor.SYSTEM,
        actor_id=None,
        now=now,
        reason="the after-sale window closed",
        changes={"completed_at": now},
    )
    record_event(
        session,
        events.OrderCompleted(order_id=order.id, shop_id=order.shop_id, buyer_id=order.buyer_id),
        now=now,
    )


@dataclass(frozen=True)
class OrderSummary:
    """The narrow view of an order that other contexts (reviews, after-sales) receive."""

    order_id: int
    buyer_id: int
    shop_id: int
    status: OrderStatus
    total_fen: int
    product_ids: list[int]


async def summary_for_buyer(session: AsyncSession, *, order_id: int, buyer_id: int) -> OrderSummary:
    order = await order_for_buyer(session, order_id=order_id, buyer_id=buyer_id)
    lines = await _lines(session, order_id)
    return OrderSummary(
        order_id=order.id,
        buyer_id=order.buyer_id,
        shop_id=order.shop_id,
        status=OrderStatus(order.status),
        total_fen=order.total_fen,
        product_ids=sorted({ln.product_id for ln in lines}),
    )


# --- narrow reads for analytics ------------------------------------------------------------------


@dataclass(frozen=True)
class PaidOrderRow:
    """An order whose payment succeeded, as the figures need it."""

    order_id: int
    buyer_id: int
    shop_id: int
    total_fen: int
    paid_at: datetime
    live_session_id: int | None


async def paid_order_rows(
    session: AsyncSession, *, paid_from: datetime, paid_to: datetime, shop_id: int | None = None
) -> list[PaidOrderRow]:
    """Orders paid in [paid_from, paid_to), of one shop or of the whole platform, oldest first."""
    query = select(
        Order.id,
        Order.buyer_id,
        Order.shop_id,
        Order.total_fen,
        Order.paid_at,
        Order.live_session_id,
    ).where(Order.paid_at.is_not(None), Order.paid_at >= paid_from, Order.paid_at < paid_to)
    if shop_id is not None:
        query = query.where(Order.shop_id == shop_id)
    rows = await session.execute(query.order_by(Order.paid_at, Order.id))
    return [
        PaidOrderRow(oid, buyer, shop, total, paid_at, live_session)
        for oid, buyer, shop, total, paid_at, live_session in rows
        if paid_at is not None
    ]


async def buyers_paid_before(
    session: AsyncSession, *, before: datetime, shop_id: int | None = None
) -> set[int]:
    """Buyers with a paid order before `before` (at one shop, or anywhere)."""
    query = select(Order.buyer_id).where(Order.paid_at.is_not(None), Order.paid_at < before)
    if shop_id is not None:
        query = query.where(Order.shop_id == shop_id)
    return set(await session.scalars(query.distinct()))
