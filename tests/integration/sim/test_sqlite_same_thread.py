"""The simulator's same-thread SQLite engine behaves as the platform's: transactions, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from trustlive.sim.sqlite_same_thread import same_thread_engine


async def test_commits_rolls_back_and_raises_the_usual_errors(tmp_path: Path) -> None:
    engine = same_thread_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            await conn.execute(text("INSERT INTO t VALUES (1, 'a')"))
        async with engine.connect() as conn:
            await conn.begin()
            await conn.execute(text("INSERT INTO t VALUES (2, 'b')"))
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t VALUES (1, 'again')"))
            await conn.rollback()
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, v FROM t ORDER BY id"))).all()
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
            synchronous = (await conn.execute(text("PRAGMA synchronous"))).scalar()
        assert [tuple(r) for r in rows] == [(1, "a")]
        assert (mode, keys) == ("wal", 1)
        assert synchronous == 0  # OFF: a throwaway file need not wait for the disk
    finally:
        await engine.dispose()


def test_only_sqlite_files_are_accepted() -> None:
    with pytest.raises(ValueError, match="not a SQLite file URL"):
        same_thread_engine("postgresql+asyncpg://localhost/x")
