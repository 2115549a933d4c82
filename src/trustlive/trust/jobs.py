"""The daily full recompute: rebuild counters from the outbox history, rescore every subject."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.scheduler import Job, Scheduler
from trustlive.trust import service
from trustlive.trust.context import TrustContext
from trustlive.trust.fold import day_of
from trustlive.trust.handlers import TOPICS
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.ingest import rebuild_counters
from trustlive.trust.models import TrustDailyCounter, TrustRecomputeRun, TrustScore


async def recompute_all(session: AsyncSession, ctx: TrustContext, now: datetime) -> tuple[int, int]:
    """Returns (events folded, subjects scored)."""
    events = await rebuild_counters(session, TOPICS, ctx)
    with_counters = await session.execute(
        select(TrustDailyCounter.subject_kind, TrustDailyCounter.subject_id).distinct()
    )
    scored = await session.execute(
        select(TrustScore.subject_kind, TrustScore.subject_id).distinct()
    )
    subjects = {(SubjectKind(k), i) for k, i in [*with_counters, *scored]}
    await service.refresh(session, subjects, policy=ctx.policy, hooks=ctx.hooks, now=now)
    return events, len(subjects)


def daily_recompute(ctx: TrustContext) -> Job:
    async def job(session: AsyncSession, now: datetime) -> int:
        day = day_of(now)
        if await session.get(TrustRecomputeRun, day) is not None:
            return 0
        events, subjects = await recompute_all(session, ctx, now)
        session.add(
            TrustRecomputeRun(
                day=day,
                events=events,
                subjects=subjects,
                policy_version=ctx.policy.version,
                finished_at=now,
            )
        )
        await session.flush()
        return subjects

    return job


def register(scheduler: Scheduler, ctx: TrustContext) -> None:
    scheduler.add("trust.daily_recompute", daily_recompute(ctx))
