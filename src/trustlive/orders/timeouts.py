"""The order timeouts the scheduler runs: unpaid orders cancelled, shipped orders received,
received orders completed. Each order is handled apart (kernel.sweeps)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel import sweeps
from trustlive.orders import lifecycle
from trustlive.orders.domain import Actor, OrderPolicy, OrderStatus
from trustlive.orders.models import Order

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
        await lifecycle.cancel(
            session, order, actor=Actor.SYSTEM, actor_id=None, reason="not paid in time", now=now
        )

    return await sweeps.each_apart(session, due, cancel, job=name, key=_order_key, now=now)


def auto_receive(policy: OrderPolicy) -> Any:
    name = "orders.auto_receive"

    async def job(session: AsyncSession, now: datetime) -> int:
        due = await _due_orders(session, name, OrderStatus.SHIPPED, Order.auto_receive_at, now)

        async def receive(order: Order) -> None:
            await lifecycle.receive(
                session, order, actor=Actor.SYSTEM, actor_id=None, policy=policy, now=now
            )

        return await sweeps.each_apart(session, due, receive, job=name, key=_order_key, now=now)

    return job


async def complete_received(session: AsyncSession, now: datetime) -> int:
    """Orders whose after-sale window has closed are completed."""
    name = "orders.complete_received"
    due = await _due_orders(session, name, OrderStatus.RECEIVED, Order.completes_at, now)

    async def complete(order: Order) -> None:
        await lifecycle.complete_order(session, order, now=now)

    return await sweeps.each_apart(session, due, complete, job=name, key=_order_key, now=now)
