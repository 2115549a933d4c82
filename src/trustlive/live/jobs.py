"""Live timeouts as scheduler jobs: closing ended flash sales, reconciling the Redis gate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.runtime import Runtime
from trustlive.live.flash_reconcile import Reconciler
from trustlive.live.flash_returns import close_ended
from trustlive.live.wiring import channel_of, gate_of


def register(runtime: Runtime) -> None:
    async def close_ended_flash_sales(session: AsyncSession, now: datetime) -> int:
        return await close_ended(session, channel=channel_of(runtime), now=now)

    runtime.scheduler.add("live.close_ended_flash_sales", close_ended_flash_sales)
    gate = gate_of(runtime)
    if gate is not None:
        runtime.scheduler.add("live.reconcile_flash_gates", Reconciler(gate))
