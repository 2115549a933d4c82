"""Live timeouts as scheduler jobs: closing ended flash sales, reconciling the Redis gate."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.runtime import Runtime
from trustlive.live.flash.gate import gate_of
from trustlive.live.flash.reconcile import Reconciler, reconcile_now
from trustlive.live.flash.returns import close_ended
from trustlive.live.wiring import channel_of

log = logging.getLogger(__name__)


async def on_start(runtime: Runtime) -> None:
    """With the Redis gate: a sale a dead process left apart from the database is set right
    before this process answers its first attempt. Redis being away does not stop the start."""
    gate = gate_of(runtime)
    if gate is None:
        return
    try:
        await reconcile_now(runtime, gate)
    except Exception:
        log.exception("flash gate: not reconciled at start; the scheduler's pass will")


def register(runtime: Runtime) -> None:
    async def close_ended_flash_sales(session: AsyncSession, now: datetime) -> int:
        return await close_ended(session, channel=channel_of(runtime), now=now)

    runtime.scheduler.add("live.close_ended_flash_sales", close_ended_flash_sales)
    gate = gate_of(runtime)
    if gate is not None:
        runtime.scheduler.add("live.reconcile_flash_gates", Reconciler(gate))
