"""Job leases: one process at a time runs a named job, and a crashed holder's lease runs out.

Each acquisition is one statement (insert the lease, or take it over once it has expired) in its
own short transaction, so other processes see it at once and PostgreSQL re-checks the expiry
against the row a concurrent winner just wrote: two processes can never both get it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.db import insert_for
from trustlive.kernel.models import JobLease


async def acquire(
    session: AsyncSession, *, name: str, holder: str, now: datetime, until: datetime
) -> bool:
    """Take the lease on `name` until `until` if it is free or expired at `now`."""
    stmt = insert_for(session, JobLease).values(name=name, holder=holder, expires_at=until)
    stmt = stmt.on_conflict_do_update(
        index_elements=[JobLease.name],
        set_={"holder": stmt.excluded.holder, "expires_at": stmt.excluded.expires_at},
        where=JobLease.expires_at <= now,
    ).returning(JobLease.holder)
    return (await session.execute(stmt)).first() is not None


async def release(session: AsyncSession, *, name: str, holder: str) -> None:
    """Give the lease back; one taken over after it expired belongs to its new holder and stays."""
    await session.execute(delete(JobLease).where(JobLease.name == name, JobLease.holder == holder))
