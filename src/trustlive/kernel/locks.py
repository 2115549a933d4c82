"""Transaction locks on a key: two changes to one thing queue instead of interleaving.

For a change that replaces a set of rows, some of which may not exist yet: SELECT … FOR UPDATE
holds only rows that exist, so two such changes would both insert the same row (one fails on the
key) or each keep rows the other removed.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


def _lock_id(scope: str, key: int | str) -> int:
    """One signed 64-bit number per (scope, key); a rare collision only makes two changes queue."""
    digest = hashlib.blake2b(f"{scope}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_for_transaction(session: AsyncSession, *, scope: str, key: int | str) -> None:
    """Wait until no other transaction holds (scope, key), then hold it until this one ends.

    PostgreSQL: a transaction-scoped advisory lock; under READ COMMITTED the statements after it see
    what the previous holder committed. SQLite: nothing to take, every transaction already holds
    the single write lock from its start (BEGIN IMMEDIATE, kernel.db).
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_lock_id(scope, key))))
