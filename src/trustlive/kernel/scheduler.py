"""Periodic jobs (timeouts, sweeps) driven by the injected clock.

A job is an idempotent sweep `async (session, now) -> int` run in its own transaction, so the order
timeouts, after-sale deadlines and score recomputes are testable by moving a FixedClock and calling
`run_due()`, with no waiting.

Every process (each uvicorn worker, `trustlive worker`) runs a scheduler over the same jobs, so a
job first takes its lease (kernel.lease): while one process runs it, the others skip it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trustlive.kernel import lease
from trustlive.kernel.clock import Clock

log = logging.getLogger(__name__)
Job = Callable[[AsyncSession, datetime], Awaitable[int]]
DEFAULT_LEASE = timedelta(minutes=5)
# On SQLite the cancelled job's transaction may still hold the write lock, and the release would
# wait out the busy timeout (30 s), holding up the process's shutdown; an unreleased lease expires.
RELEASE_ON_CANCEL_SECONDS = 1.0


def _holder() -> str:
    """Unique per scheduler, readable in the lease table: which host and process runs the job."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class Scheduler:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    jobs: dict[str, Job] = field(default_factory=dict)
    after_commit: Callable[[], None] = lambda: None
    holder: str = field(default_factory=_holder)
    leases: dict[str, timedelta] = field(default_factory=dict)

    def add(self, name: str, job: Job, *, lease: timedelta = DEFAULT_LEASE) -> None:
        """`lease` must outlast the job's longest run: past it another process may start it too."""
        if name in self.jobs:
            raise ValueError(f"job {name} already scheduled")
        self.jobs[name] = job
        self.leases[name] = lease

    async def run_due(self) -> dict[str, int]:
        """Run every job once at the clock's now; returns how many items each job it ran handled.

        A job whose lease another process holds is left out of the answer.
        """
        done: dict[str, int] = {}
        for name, job in self.jobs.items():
            try:
                handled = await self._run_leased(name, job)
            except Exception:
                log.exception("job %s failed; it runs again next pass", name)
                handled = 0
            if handled is not None:
                done[name] = handled
        if any(done.values()):
            self.after_commit()
        return done

    async def _run_leased(self, name: str, job: Job) -> int | None:
        now = self.clock.now()
        async with self.sessions() as session:
            taken = await lease.acquire(
                session, name=name, holder=self.holder, now=now, until=now + self.leases[name]
            )
            await session.commit()
        if not taken:
            log.debug("job %s skipped: another process holds its lease", name)
            return None
        try:
            async with self.sessions() as session:
                handled = await job(session, now)
                await lease.release(session, name=name, holder=self.holder)  # with the job's work
                await session.commit()
        except Exception:
            await self._release(name)
            raise
        except BaseException:  # cancelled (shutting down): give it back if that is quick
            with contextlib.suppress(Exception):
                async with asyncio.timeout(RELEASE_ON_CANCEL_SECONDS):
                    await self._release(name)
            raise
        return handled

    async def _release(self, name: str) -> None:
        async with self.sessions() as session:
            await lease.release(session, name=name, holder=self.holder)
            await session.commit()

    async def run_forever(self, interval: float, stop: asyncio.Event | None = None) -> None:
        """Until `stop` is set; the pass under way is finished first (see Dispatcher)."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            await self.run_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
