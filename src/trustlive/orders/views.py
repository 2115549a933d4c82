"""Orders as others read them: one order with its lines and history, lists for buyers and
shops, and the narrow rows analytics and after-sales need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import shops
from trustlive.accounts import Principal
from trustlive.kernel.errors import NotFound
from trustlive.orders.domain import OrderStatus
from trustlive.orders.models import Order, OrderLine, OrderTransition


@dataclass(frozen=True)
class OrderView:
    order: Order
    lines: list[OrderLine]
    transitions: list[OrderTransition]


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


async def lines_of(session: AsyncSession, order_id: int) -> list[OrderLine]:
    rows = await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
    )
    return list(rows)


async def transitions_of(session: AsyncSession, order_id: int) -> list[OrderTransition]:
    rows = await session.scalars(
        select(OrderTransition)
        .where(OrderTransition.order_id == order_id)
        .order_by(OrderTransition.id)
    )
    return list(rows)


async def view_of(session: AsyncSession, order: Order) -> OrderView:
    return OrderView(
        order, await lines_of(session, order.id), await transitions_of(session, order.id)
    )


async def load_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


async def merchant_may(
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
        or await merchant_may(session, order, viewer.user_id, shops.Permission.VIEW_ORDERS)
    )
    if order is None or not visible:
        raise NotFound("order", order_id)
    return await view_of(session, order)


async def order_for_buyer(session: AsyncSession, *, order_id: int, buyer_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.buyer_id != buyer_id:
        raise NotFound("order", order_id)
    return order


async def views_of(session: AsyncSession, orders: list[Order]) -> list[OrderView]:
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
    return await views_of(
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
    return await views_of(
        session, list(await session.scalars(query.order_by(Order.id.desc()).limit(limit)))
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
    lines = await lines_of(session, order_id)
    return OrderSummary(
        order_id=order.id,
        buyer_id=order.buyer_id,
        shop_id=order.shop_id,
        status=OrderStatus(order.status),
        total_fen=order.total_fen,
        product_ids=sorted({ln.product_id for ln in lines}),
    )


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


@dataclass(frozen=True)
class BoughtLine:
    """A product a buyer paid for, when, at which shop (the feed's purchase history)."""

    product_id: int
    shop_id: int
    order_id: int
    paid_at: datetime


async def bought_lines(
    session: AsyncSession, *, buyer_id: int, paid_from: datetime
) -> list[BoughtLine]:
    """What `buyer_id` paid for since `paid_from`, newest first."""
    rows = await session.execute(
        select(OrderLine.product_id, Order.shop_id, Order.id, Order.paid_at)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.buyer_id == buyer_id, Order.paid_at.is_not(None), Order.paid_at >= paid_from)
        .order_by(Order.paid_at.desc(), OrderLine.id)
    )
    return [BoughtLine(p, s, o, at) for p, s, o, at in rows if at is not None]
