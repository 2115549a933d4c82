"""Alembic, driven from code: `trustlive db upgrade` and the start-up check share one config."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class DatabaseNotMigrated(RuntimeError):
    """The schema is behind the code; the message says what to run."""


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def ensure_migrated(engine: AsyncEngine, database_url: str) -> None:
    """Refuse to run on a database whose schema is not at the code's head revision."""
    async with engine.connect() as conn:
        current = await conn.run_sync(current_revision)
    head = head_revision(database_url)
    if current != head:
        raise DatabaseNotMigrated(
            f"the database is at migration {current or 'none'}, the code needs {head}: "
            "run `trustlive db upgrade` first"
        )
