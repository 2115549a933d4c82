"""Reactions to orders' events: a paid order of a fast-shipping shop is watched until due."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.aftersale import offers
from trustlive.aftersale.domain import Guarantee
from trustlive.aftersale.guarantees import shipping_due_at
from trustlive.aftersale.models import FastShippingWatch
from trustlive.aftersale.policy import Policy
from trustlive.kernel.outbox import HandlerRegistry


async def watch_fast_shipping(
    session: AsyncSession, event: orders.OrderPaid, *, policy: Policy
) -> None:
    if await session.get(FastShippingWatch, event.order_id) is not None:
        return
    facts = await orders.order_facts(session, event.order_id)
    if facts.paid_at is None:
        return
    if not await offers.offered_at(
        session, event.shop_id, Guarantee.FAST_SHIPPING, facts.paid_at, policy
    ):
        return  # paid before the shop promised fast shipping (the event may arrive later)
    session.add(
        FastShippingWatch(
            order_id=event.order_id,
            shop_id=event.shop_id,
            buyer_id=event.buyer_id,
            due_at=shipping_due_at(facts.paid_at, policy),
            policy_version=policy.version,
        )
    )
    await session.flush()


def register(registry: HandlerRegistry, policy: Policy) -> None:
    async def on_paid(session: AsyncSession, event: orders.OrderPaid) -> None:
        await watch_fast_shipping(session, event, policy=policy)

    registry.subscribe(orders.OrderPaid, on_paid, name="aftersale.watch_fast_shipping")
