"""The daily full recompute: rebuild counters from the outbox history, rescore every subject."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.scheduler import Job, Scheduler
from trustlive.trust.context import TrustContext
from trustlive.trust.fold import day_of
from trustlive.trust.handlers import TOPICS
from trustlive.trust.ingest import rebuild_counters
from trustlive.trust.models import TrustRecomputeRun
from trustlive.trust.rescore import rescore_all


async def recompute_all(session: AsyncSession, ctx: TrustContext, now: datetime) -> tuple[int, int]:
    """Returns (events folded, subjects scored)."""
    events = await rebuild_counters(session, TOPICS, ctx)
    return events, await rescore_all(session, ctx, now)


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


# The full recompute over a million orders took 19 minutes (docs/benchmarks.md); the lease must
# outlast it, or a second process starts the same recompute.
RECOMPUTE_LEASE = timedelta(hours=2)


def register(scheduler: Scheduler, ctx: TrustContext) -> None:
    scheduler.add("trust.daily_recompute", daily_recompute(ctx), lease=RECOMPUTE_LEASE)
