"""After-sale deadlines and the fast-shipping promise, as scheduler sweeps driven by the clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from trustlive import orders
from trustlive.aftersale import requests, service
from trustlive.aftersale.domain import Action, Actor, Guarantee, Payer, Status
from trustlive.aftersale.guarantees import shipped_late
from trustlive.aftersale.ledger import Config, PayoutOrder, pay_guarantee
from trustlive.aftersale.models import AftersaleRequest, FastShippingWatch
from trustlive.kernel import sweeps
from trustlive.kernel.scheduler import Scheduler

SWEEP_BATCH = 200
Job = Callable[[AsyncSession, datetime], Awaitable[int]]


async def _due(
    session: AsyncSession,
    job: str,
    status: Status,
    column: InstrumentedAttribute[datetime | None],
    now: datetime,
) -> list[AftersaleRequest]:
    """Due requests, less those that failed lately (kernel.sweeps retries them later)."""
    rows = await session.scalars(
        select(AftersaleRequest)
        .where(
            AftersaleRequest.status == status,
            column <= now,
            AftersaleRequest.id.not_in(await sweeps.held_back_ids(session, job, now)),
        )
        .order_by(AftersaleRequest.id)
        .limit(SWEEP_BATCH)
    )
    return list(rows)


def _key(request: AftersaleRequest) -> int:
    return request.id


def auto_accept(cfg: Config) -> Job:
    """A request the merchant left unanswered past its deadline is accepted."""
    name = "aftersale.auto_accept"

    async def job(session: AsyncSession, now: datetime) -> int:
        due = await _due(session, name, Status.PENDING, AftersaleRequest.decide_by_at, now)

        async def accept(request: AftersaleRequest) -> None:
            await service.accept(
                session, request, actor=Actor.SYSTEM, actor_id=None, cfg=cfg, now=now
            )

        return await sweeps.each_apart(session, due, accept, job=name, key=_key, now=now)

    return job


def close_unreturned(cfg: Config) -> Job:
    """An accepted return the buyer never posted closes; nothing is paid."""
    name = "aftersale.close_unreturned"

    async def job(session: AsyncSession, now: datetime) -> int:
        due = await _due(
            session, name, Status.AWAITING_RETURN, AftersaleRequest.return_ship_by_at, now
        )

        async def close(request: AftersaleRequest) -> None:
            await requests.move(
                session, request, action=Action.RETURN_NOT_SHIPPED, actor=Actor.SYSTEM,
                actor_id=None, policy_version=cfg.policy.version, now=now,
                note="the return was not shipped in time", changes={"closed_at": now},
            )  # fmt: skip

        return await sweeps.each_apart(session, due, close, job=name, key=_key, now=now)

    return job


def auto_confirm_return(cfg: Config) -> Job:
    """A posted return the merchant did not confirm in time counts as received."""
    name = "aftersale.auto_confirm_return"

    async def job(session: AsyncSession, now: datetime) -> int:
        due = await _due(session, name, Status.RETURN_SHIPPED, AftersaleRequest.confirm_by_at, now)

        async def confirm(request: AftersaleRequest) -> None:
            await service.confirm_return(
                session, request, actor=Actor.SYSTEM, actor_id=None, cfg=cfg, now=now
            )

        return await sweeps.each_apart(session, due, confirm, job=name, key=_key, now=now)

    return job


def check_fast_shipping(cfg: Config) -> Job:
    """Each watched order is checked once at its promise: late → the buyer is compensated."""
    name = "aftersale.check_fast_shipping"

    async def job(session: AsyncSession, now: datetime) -> int:
        held = await sweeps.held_back_ids(session, name, now)
        due = (
            await session.scalars(
                select(FastShippingWatch)
                .where(
                    FastShippingWatch.checked_at.is_(None),
                    FastShippingWatch.due_at <= now,
                    FastShippingWatch.order_id.not_in(held),
                )
                .order_by(FastShippingWatch.order_id)
                .limit(SWEEP_BATCH)
            )
        ).all()

        async def check(watch: FastShippingWatch) -> None:
            watch.checked_at = now
            await session.flush()
            facts = await orders.order_facts(session, watch.order_id)
            if facts.status in (orders.OrderStatus.CANCELLED, orders.OrderStatus.CLOSED):
                return
            if shipped_late(due_at=watch.due_at, shipped_at=facts.shipped_at, now=now):
                await pay_guarantee(
                    session,
                    PayoutOrder(
                        guarantee=Guarantee.FAST_SHIPPING,
                        payer=Payer.MERCHANT_DEPOSIT,
                        buyer_id=watch.buyer_id,
                        shop_id=watch.shop_id,
                        order_id=watch.order_id,
                        request_id=None,
                        amount_fen=cfg.policy.fast_shipping_compensation_fen,
                        reason=f"not shipped by {watch.due_at.isoformat()}",
                        dedupe_key=f"{Guarantee.FAST_SHIPPING}:{watch.order_id}",
                    ),
                    cfg=cfg,
                    now=now,
                )

        def key(watch: FastShippingWatch) -> int:
            return watch.order_id

        return await sweeps.each_apart(session, due, check, job=name, key=key, now=now)

    return job


def register(scheduler: Scheduler, cfg: Config) -> None:
    scheduler.add("aftersale.auto_accept", auto_accept(cfg))
    scheduler.add("aftersale.close_unreturned", close_unreturned(cfg))
    scheduler.add("aftersale.auto_confirm_return", auto_confirm_return(cfg))
    scheduler.add("aftersale.check_fast_shipping", check_fast_shipping(cfg))
