"""Emptying the test database between two runs inside one test (the fixture empties it after)."""

from __future__ import annotations

from sqlalchemy import text

from trustlive.kernel.db import Base
from trustlive.kernel.runtime import Runtime


async def empty_all_tables(runtime: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with runtime.engine.begin() as conn:
        if runtime.settings.is_sqlite:
            for name in tables:
                await conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            await conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " CASCADE"))
