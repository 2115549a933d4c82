"""The migrations build exactly the schema the models describe: a column, index or table added
to a model without its migration (or the other way round) fails here, on either database."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from trustlive.kernel.db import Base
from trustlive.kernel.runtime import Runtime
from trustlive.shelf.search.sql import FTS_TABLE


def _described_by_models(name: str | None, type_: str, _parent: Any) -> bool:
    """SQLite's FTS5 index (a virtual table and its shadow tables) has no model to match."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": False, "include_name": _described_by_models}
    )
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrated_schema_is_the_models_schema(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []
