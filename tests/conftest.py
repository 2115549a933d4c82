"""Test fixtures: a migrated database per run, emptied after each test; an app per test.

The suite runs on SQLite by default. Set TRUSTLIVE_TEST_DATABASE_URL (never DATABASE_URL, so a
developer's own database is never emptied) to run it on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.support.api import Api
from trustlive.app import create_app
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import Base
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings
from trustlive.models_registry import import_all_models

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TRUSTLIVE_TEST_DATABASE_URL")
    if not url:
        path: Path = tmp_path_factory.mktemp("db") / "test.db"
        url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    import_all_models()
    return url


def test_settings(database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        password_hash_fast=True,
        run_background_jobs=False,
        database_pool_size=20,
        media_dir=str(Path(tempfile.gettempdir()) / f"trustlive-test-media-{os.getpid()}"),
    )


async def _empty_all_tables(runtime: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with runtime.engine.begin() as conn:
        if runtime.settings.is_sqlite:
            for name in tables:
                await conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            await conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " CASCADE"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def runtime(database_url: str, clock: FixedClock) -> AsyncIterator[Runtime]:
    rt = Runtime.build(test_settings(database_url), clock=clock)
    try:
        yield rt
    finally:
        await _empty_all_tables(rt)
        await rt.close()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def api(client: httpx.AsyncClient, runtime: Runtime) -> Api:
    return Api(client, runtime)
