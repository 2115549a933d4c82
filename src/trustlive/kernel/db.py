"""Database engine, sessions and the declarative base shared by every context's models."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from trustlive.kernel import committed
from trustlive.kernel.clock import as_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass UTC-aware timestamps")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """All tables. Ids are app-made 64-bit integers (kernel.ids)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {int: BigInteger(), datetime: UtcDateTime()}


def configure_sqlite(engine: AsyncEngine) -> AsyncEngine:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every transaction."""

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_engine(url: str, *, pool_size: int = 8, echo: bool = False) -> AsyncEngine:
    """An engine tuned per backend.

    SQLite allows one writer: every transaction starts with BEGIN IMMEDIATE so two writers queue on
    the busy timeout instead of failing when a read lock cannot be upgraded, and WAL lets readers in
    other processes go on meanwhile.
    """
    if url.startswith("sqlite"):
        return configure_sqlite(create_async_engine(url, echo=echo, connect_args={"timeout": 30}))
    return create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800
    )  # no pre-ping: it costs a round trip per checkout; recycling retires stale connections


def make_sessionmaker(
    engine: AsyncEngine, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    """`info` starts every session's `Session.info` (the outbox finds its registry there).

    Each sessionmaker gets its own session class, so after-commit actions (kernel.committed)
    are installed for this runtime's sessions only."""
    session_class: type[Session] = type("RuntimeSession", (Session,), {})
    committed.install(session_class)
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        autoflush=False,
        info=info or {},
        sync_session_class=session_class,
    )


@asynccontextmanager
async def unit_of_work(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction: commits when the block ends normally, rolls back otherwise.

    The boundary (request, command, job) owns it; services only add and flush.
    """
    async with sessions() as session:
        yield session
        await session.commit()


def insert_for(session: AsyncSession, table: Any) -> Any:
    """The dialect's INSERT, which has ON CONFLICT (both PostgreSQL and SQLite support it)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    return pg_insert(table) if postgres else sqlite_insert(table)
