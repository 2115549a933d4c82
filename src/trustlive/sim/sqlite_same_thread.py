"""A SQLite connection for the simulator that runs each statement on the event loop's own thread.

aiosqlite sends every statement to a worker thread and back, which costs more than the statement
itself (0.1–0.5 ms on a busy 2-core machine). The in-process simulator is the only writer of a
fresh file and awaits one statement at a time, so nothing is gained by the hop: this object has
aiosqlite's shape (what SQLAlchemy's aiosqlite dialect calls) and answers at once. The database,
the SQL, the pragmas and the transactions (BEGIN IMMEDIATE) are the platform's own.

Never use it for a server: a slow statement here blocks the event loop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from trustlive.kernel.db import configure_sqlite

URL_PREFIX = "sqlite+aiosqlite:///"


class Cursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        self._cursor.execute(sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size or self._cursor.arraysize)

    async def close(self) -> None:
        self._cursor.close()

    async def nextset(self) -> None:
        return None

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _RunAtOnce:
    """Stands where aiosqlite keeps its queue of work for the worker thread."""

    def put_nowait(self, item: tuple[Any, Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:  # handed to the awaiting caller, as aiosqlite does
            future.set_exception(error)


class Connection:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._connection = conn  # SQLAlchemy checks it to know the connection is open
        self._tx = _RunAtOnce()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor())

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    def stop(self) -> None:
        self._conn.close()


def _connector(path: str) -> Callable[[], Awaitable[Connection]]:
    async def connect() -> Connection:
        return Connection(sqlite3.connect(path, timeout=30, check_same_thread=False))

    return connect


def same_thread_engine(url: str) -> AsyncEngine:
    """An engine on a SQLite file URL whose statements run on the calling thread."""
    if not url.startswith(URL_PREFIX):
        raise ValueError(f"not a SQLite file URL: {url}")
    path = url.removeprefix(URL_PREFIX)
    engine = configure_sqlite(create_async_engine(url, async_creator=_connector(path)))

    @event.listens_for(engine.sync_engine, "connect")
    def _scratch_file(dbapi_connection: Any, _record: Any) -> None:
        # The simulator fills a throwaway file it can make again from the seed: a crash may
        # lose it, so commits need not wait for the disk (synchronous=OFF, after the
        # platform's own pragmas), and a larger page cache keeps the hot indexes in memory.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-131072")  # 128 MiB
        cursor.close()

    return engine
