"""Compare-and-set on a row with a `version` column: the one way a lifecycle moves.

The UPDATE names the version that was loaded, so of two concurrent moves of one order or one
after-sale request exactly one wins and the other learns it lost (a 409 for the caller to reload),
instead of both writing. The entity in hand then holds what the row holds, without reading it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value


async def move_if_unchanged(
    session: AsyncSession,
    entity: Any,
    values: dict[str, Any],
    *,
    lost: Callable[[], Exception],
) -> None:
    """Write `values` (plain values, not SQL expressions) and the next version, if the row is
    still at the entity's version; otherwise raise `lost()`."""
    model = type(entity)
    written = {**values, "version": entity.version + 1}
    result = await session.execute(
        update(model)
        .where(model.id == entity.id, model.version == entity.version)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise lost()
    for name, value in written.items():
        set_committed_value(entity, name, value)
