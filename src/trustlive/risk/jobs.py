"""Risk's scheduled jobs: the graph detectors each period, text violations every tick, and
actions past their expiry lifted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.scheduler import Job, Scheduler
from trustlive.risk import enforcement, violations
from trustlive.risk.context import RiskContext
from trustlive.risk.detection import run_graph_detectors


def graph_detectors(ctx: RiskContext) -> Job:
    async def job(session: AsyncSession, now: datetime) -> int:
        return await run_graph_detectors(session, ctx, now)

    return job


def text_violations(ctx: RiskContext) -> Job:
    async def job(session: AsyncSession, now: datetime) -> int:
        return await violations.write_down(session, ctx.violations, ctx.policy.cases, now)

    return job


def expired_actions(ctx: RiskContext) -> Job:
    async def job(session: AsyncSession, now: datetime) -> int:
        return await enforcement.lift_expired(session, banned=ctx.order_check.banned, now=now)

    return job


def register(scheduler: Scheduler, ctx: RiskContext) -> None:
    scheduler.add("risk.graph_detectors", graph_detectors(ctx), lease=timedelta(minutes=30))
    scheduler.add("risk.text_violations", text_violations(ctx))
    scheduler.add("risk.expired_actions", expired_actions(ctx))
