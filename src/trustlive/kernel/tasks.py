"""Stopping background loops without cutting a pass short."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence


async def stop_tasks(tasks: Sequence[asyncio.Task[None]], grace: float) -> None:
    """Wait up to `grace` seconds for tasks already told to stop, then cancel what is left. A task
    cancelled inside a transaction can leave it open (on SQLite, holding the write lock until the
    busy timeout runs out for everyone else), so cancelling is the last resort."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
