"""Periodic jobs (timeouts, sweeps) driven by the injected clock.

A job is an idempotent sweep `async (session, now) -> int` run in its own transaction, so the order
timeouts, after-sale deadlines and score recomputes are testable by moving a FixedClock and calling
`run_due()`, with no waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trustlive.kernel.clock import Clock

log = logging.getLogger(__name__)
Job = Callable[[AsyncSession, datetime], Awaitable[int]]


@dataclass
class Scheduler:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    jobs: dict[str, Job] = field(default_factory=dict)
    after_commit: Callable[[], None] = lambda: None

    def add(self, name: str, job: Job) -> None:
        if name in self.jobs:
            raise ValueError(f"job {name} already scheduled")
        self.jobs[name] = job

    async def run_due(self) -> dict[str, int]:
        """Run every job once at the clock's now; returns how many items each one handled."""
        done: dict[str, int] = {}
        for name, job in self.jobs.items():
            try:
                async with self.sessions() as session:
                    done[name] = await job(session, self.clock.now())
                    await session.commit()
            except Exception:
                log.exception("job %s failed; it runs again next pass", name)
                done[name] = 0
        if any(done.values()):
            self.after_commit()
        return done

    async def run_forever(self, interval: float) -> None:
        while True:
            await self.run_due()
            await asyncio.sleep(interval)
