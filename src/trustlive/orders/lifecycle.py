"""The order lifecycle after placing: every move is a versioned transition (a lost race is a
409); cancel, ship, receive and complete, each with its event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, shops
from trustlive.accounts import Principal
from trustlive.kernel.errors import Conflict, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.kernel.versioned import move_if_unchanged
from trustlive.orders import domain, events
from trustlive.orders.domain import Actor, OrderAction, OrderPolicy, OrderStatus
from trustlive.orders.errors import OrderError
from trustlive.orders.models import STOCK_FROM_CATALOG, Order, OrderTransition
from trustlive.orders.views import (
    OrderView,
    lines_of,
    load_order,
    merchant_may,
    order_for_buyer,
    view_of,
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
    await move_if_unchanged(
        session,
        order,
        {"status": target, **(changes or {})},
        lost=lambda: Conflict(OrderError.ORDER_CHANGED, "the order changed meanwhile; reload it"),
    )
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


async def cancel(
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
    for line in await lines_of(session, order.id):
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
    elif await merchant_may(session, order, viewer.user_id, shops.Permission.FULFIL_ORDERS):
        actor = Actor.MERCHANT
    else:
        raise NotFound("order", order_id)
    await cancel(session, order, actor=actor, actor_id=viewer.user_id, reason=reason, now=now)
    return await view_of(session, order)


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
    return await view_of(session, order)


async def receive(
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
    await receive(session, order, actor=Actor.BUYER, actor_id=buyer_id, policy=policy, now=now)
    return await view_of(session, order)


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
