"""Sweeps that take a batch: each item in its own savepoint, so one bad item never poisons the rest.

An item that fails is rolled back alone, logged, and recorded in `job_item_failure` with a retry
time that doubles with each attempt (1 min … 1 day); until then the job's due query leaves it out,
so a batch full of bad items cannot starve the good ones behind them either.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.db import insert_for
from trustlive.kernel.models import JobItemFailure

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(days=1)
ERROR_CHARS = 2000


def retry_after(attempts: int) -> timedelta:
    """1 min after the first failure, doubling, at most a day."""
    doublings = min(max(attempts - 1, 0), 11)  # 2**11 min > a day
    return min(FIRST_RETRY * (1 << doublings), LONGEST_RETRY)


async def held_back(session: AsyncSession, job: str, now: datetime) -> list[str]:
    """Keys of the job's items that failed and wait for their retry time."""
    rows = await session.scalars(
        select(JobItemFailure.item_key).where(
            JobItemFailure.job == job, JobItemFailure.retry_at > now
        )
    )
    return list(rows)


async def held_back_ids(session: AsyncSession, job: str, now: datetime) -> list[int]:
    return [int(k) for k in await held_back(session, job, now) if k.lstrip("-").isdigit()]


async def each_apart(
    session: AsyncSession,
    items: Iterable[T],
    handle: Callable[[T], Awaitable[object]],
    *,
    job: str,
    key: Callable[[T], object],
    now: datetime,
) -> int:
    """Handle every item in its own savepoint; returns how many were handled."""
    failed_before = set(
        await session.scalars(select(JobItemFailure.item_key).where(JobItemFailure.job == job))
    )
    handled = 0
    for item in items:
        item_key = str(key(item))
        try:
            async with session.begin_nested():
                await handle(item)
        except Exception as exc:
            log.exception("job %s: item %s failed; the others go on", job, item_key)
            await _record_failure(session, job=job, item_key=item_key, error=exc, now=now)
            continue
        handled += 1
        if item_key in failed_before:
            await _forget_failure(session, job=job, item_key=item_key)
    return handled


async def _record_failure(
    session: AsyncSession, *, job: str, item_key: str, error: Exception, now: datetime
) -> None:
    message = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    earlier = await session.get(JobItemFailure, (job, item_key), populate_existing=True)
    attempts = 1 if earlier is None else earlier.attempts + 1
    stmt = insert_for(session, JobItemFailure).values(
        job=job,
        item_key=item_key,
        attempts=attempts,
        last_error=message,
        first_failed_at=now,
        last_failed_at=now,
        retry_at=now + retry_after(attempts),
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[JobItemFailure.job, JobItemFailure.item_key],
            set_={
                "attempts": stmt.excluded.attempts,
                "last_error": stmt.excluded.last_error,
                "last_failed_at": stmt.excluded.last_failed_at,
                "retry_at": stmt.excluded.retry_at,
            },
        )
    )


async def _forget_failure(session: AsyncSession, *, job: str, item_key: str) -> None:
    """An item that once failed and now went through leaves the list (one cheap statement)."""
    await session.execute(
        delete(JobItemFailure).where(JobItemFailure.job == job, JobItemFailure.item_key == item_key)
    )
