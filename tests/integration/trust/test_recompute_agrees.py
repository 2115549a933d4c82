"""The incremental path (handlers, event by event) and the full recompute give the same numbers."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.integration.trust.generated import generate
from trustlive import trust
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import Base
from trustlive.kernel.outbox import record_event
from trustlive.kernel.runtime import Runtime
from trustlive.trust import handlers, jobs, service
from trustlive.trust.context import TrustContext
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.models import (
    TrustCounterBuyer,
    TrustDailyCounter,
    TrustOrderFact,
    TrustPurchase,
    TrustRecomputeRun,
    TrustScore,
    TrustScoreHistory,
    TrustThreadWait,
)

STATE: list[type[Base]] = [
    TrustDailyCounter,
    TrustCounterBuyer,
    TrustOrderFact,
    TrustPurchase,
    TrustThreadWait,
]


async def _rows(session: AsyncSession, model: type[Base]) -> list[tuple[Any, ...]]:
    columns = list(model.__table__.columns)
    keys = [c for c in columns if c.primary_key]
    result = await session.execute(select(*columns).order_by(*keys))
    return [tuple(r) for r in result]


async def _scores(session: AsyncSession) -> list[tuple[Any, ...]]:
    result = await session.execute(
        select(
            TrustScore.score, TrustScore.subject_id, TrustScore.value, TrustScore.dimensions
        ).order_by(TrustScore.score, TrustScore.subject_id)
    )
    return [tuple(r) for r in result]


class RoomCreators:
    """Stands in for live rooms: room r was hosted by creator 900 + r."""

    async def creators_of_rooms(self, session: AsyncSession, room_ids: set[int]) -> dict[int, int]:
        return {r: 900 + r for r in room_ids}


async def _seed(
    runtime: Runtime,
    clock: FixedClock,
    orders_n: int,
    attribution: trust.CreatorAttribution | None = None,
) -> TrustContext:
    # no guarantee grants: these shops exist only as events
    ctx = trust.build_context(clock, attribution=attribution)
    handlers.register(runtime.registry, ctx)
    timeline = generate(random.Random(7), clock.now(), orders_n=orders_n)
    async with runtime.sessions() as session:
        for at, event in timeline:
            record_event(session, event, now=at)
        await session.commit()
    clock.advance(timedelta(days=45))
    return ctx


async def test_recompute_rebuilds_exactly_the_counters_and_scores_of_live_delivery(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = await _seed(runtime, clock, orders_n=150, attribution=RoomCreators())
    delivered = await runtime.dispatcher.run_once()
    async with runtime.sessions() as session:
        live_state = [await _rows(session, m) for m in STATE]
        live_scores = await _scores(session)

    async with runtime.sessions() as session:
        events, subjects = await jobs.recompute_all(session, ctx, clock.now())
        await session.commit()
    async with runtime.sessions() as session:
        rebuilt_state = [await _rows(session, m) for m in STATE]
        rebuilt_scores = await _scores(session)

    assert events == delivered
    assert subjects == len(live_scores) - len([s for s in live_scores if s[0] == "trust_index"])
    assert len(live_state[0]) > 300
    assert rebuilt_state == live_state
    assert rebuilt_scores == live_scores
    assert {s[1] for s in live_scores if s[0] == "creator_reputation"} == {901, 902, 903}


async def test_the_explanation_of_every_score_adds_up_to_it(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = await _seed(runtime, clock, orders_n=50)
    await runtime.dispatcher.run_once()
    async with runtime.sessions() as session:
        subjects = (await session.execute(select(TrustScore.score, TrustScore.subject_id))).all()
        for name, subject_id in subjects:
            ex = await service.explain(
                session, name, subject_id, policy=ctx.policy, now=clock.now()
            )
            assert sum(i.contribution for i in ex.result.indicators) == ex.result.value
            assert sum(d.contribution for d in ex.result.dimensions) == ex.result.value
            assert len(ex.result.improvements) == 3
            assert 0 <= ex.percentile <= 100
        kinds = set(await session.scalars(select(TrustScore.subject_kind).distinct()))
    # no creator scores: live rooms do not attribute creators yet (NoAttribution)
    assert kinds == {SubjectKind.SHOP.value, SubjectKind.PRODUCT.value}


async def test_the_daily_job_recomputes_once_a_day_and_keeps_history(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = await _seed(runtime, clock, orders_n=40)
    await runtime.dispatcher.run_once()
    job = jobs.daily_recompute(ctx)
    async with runtime.sessions() as session:
        first = await job(session, clock.now())
        again = await job(session, clock.now())
        await session.commit()
    clock.advance(timedelta(days=1))
    async with runtime.sessions() as session:
        next_day = await job(session, clock.now())
        await session.commit()
        runs = await session.scalar(select(func.count()).select_from(TrustRecomputeRun))
        days = await session.scalar(select(func.count(func.distinct(TrustScoreHistory.day))))
        versions = set(await session.scalars(select(TrustScoreHistory.policy_version)))
    assert first > 0
    assert again == 0
    assert next_day == first
    assert runs == 2
    assert days == 2
    assert versions == {ctx.policy.version}


async def test_after_a_recompute_the_live_path_scores_with_the_fit_it_stored(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = await _seed(runtime, clock, orders_n=150, attribution=RoomCreators())
    await runtime.dispatcher.run_once()
    async with runtime.sessions() as session:
        await jobs.recompute_all(session, ctx, clock.now())
        await session.commit()
    async with runtime.sessions() as session:
        rebuilt = await _scores(session)
        fit = await service.current_fit(session, ctx.policy)
        subjects = {
            (SubjectKind(k), i)
            for k, i in await session.execute(
                select(TrustScore.subject_kind, TrustScore.subject_id).distinct()
            )
        }
        await service.refresh(
            session, subjects, policy=ctx.policy, hooks=ctx.hooks, now=clock.now()
        )
        await session.commit()
    async with runtime.sessions() as session:
        live = await _scores(session)

    assert fit.subjects == len(subjects)
    assert set(fit.tier_lines) == {t.name for t in ctx.policy.tiers}
    assert live == rebuilt
