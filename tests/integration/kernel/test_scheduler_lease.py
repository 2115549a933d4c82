"""Two processes' schedulers over one database: a job runs in one of them at a time."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import JobLease
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.scheduler import Scheduler

LEASE = timedelta(minutes=5)


class Sweep:
    """One process's copy of a job: records its runs and, when gated, waits to be released."""

    def __init__(self, runs: list[str], who: str, *, gated: bool = False) -> None:
        self.runs, self.who, self.gated = runs, who, gated
        self.started, self.released = asyncio.Event(), asyncio.Event()

    async def running(self) -> None:
        await asyncio.wait_for(self.started.wait(), timeout=10)  # a failure, never a hang

    async def __call__(self, session: AsyncSession, now: datetime) -> int:
        self.runs.append(self.who)
        self.started.set()
        if self.gated:
            await self.released.wait()
        return 1


def process(runtime: Runtime, clock: FixedClock, sweep: Sweep) -> Scheduler:
    """A scheduler as another process builds it: its own holder, the same database and job."""
    scheduler = Scheduler(runtime.sessions, clock)
    scheduler.add("test.sweep", sweep, lease=LEASE)
    return scheduler


async def holders(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session:
        return list(await session.scalars(select(JobLease.holder)))


async def test_a_second_scheduler_skips_a_job_the_first_is_running(
    runtime: Runtime, clock: FixedClock
) -> None:
    runs: list[str] = []
    sweep = Sweep(runs, "first", gated=True)
    first = process(runtime, clock, sweep)
    second = process(runtime, clock, Sweep(runs, "second"))

    running = asyncio.create_task(first.run_due())
    await sweep.running()
    assert await second.run_due() == {}
    assert runs == ["first"]
    assert await holders(runtime) == [first.holder]

    sweep.released.set()
    assert await running == {"test.sweep": 1}
    assert await holders(runtime) == []
    assert await second.run_due() == {"test.sweep": 1}  # given back: no wait for the expiry
    assert runs == ["first", "second"]


async def test_a_lease_never_given_back_runs_out_on_the_clock(
    runtime: Runtime, clock: FixedClock
) -> None:
    runs: list[str] = []
    stuck_sweep, next_sweep = Sweep(runs, "stuck", gated=True), Sweep(runs, "next", gated=True)
    stuck = process(runtime, clock, stuck_sweep)
    successor = process(runtime, clock, next_sweep)
    stuck_run = asyncio.create_task(stuck.run_due())
    await stuck_sweep.running()

    clock.advance(LEASE - timedelta(seconds=1))
    assert await process(runtime, clock, Sweep(runs, "early")).run_due() == {}
    clock.advance(timedelta(seconds=1))
    next_run = asyncio.create_task(successor.run_due())
    await next_sweep.running()
    assert runs == ["stuck", "next"]

    stuck_sweep.released.set()
    assert await stuck_run == {"test.sweep": 1}
    assert await holders(runtime) == [successor.holder]  # the late holder frees nothing
    next_sweep.released.set()
    assert await next_run == {"test.sweep": 1}
    assert await holders(runtime) == []


async def test_a_failed_job_gives_its_lease_back(runtime: Runtime, clock: FixedClock) -> None:
    async def failing(session: AsyncSession, now: datetime) -> int:
        raise RuntimeError("sweep broke")

    scheduler = Scheduler(runtime.sessions, clock)
    scheduler.add("test.sweep", failing, lease=LEASE)
    assert await scheduler.run_due() == {"test.sweep": 0}
    assert await holders(runtime) == []
