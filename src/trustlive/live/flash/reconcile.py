"""Bring the Redis gate back to what the database holds when they stay apart.

A crash between a take in Redis and the order's commit leaves Redis counting units as sold and the
buyer as holding them: attempts would be refused that the database would accept. Every scheduler
pass compares each open sale. While winners are being written the two differ for a moment, and
reloading then would hand out units already taken; a difference that stays exactly the same for
SETTLE (longer than any attempt takes) is a leftover, and the sale is reloaded from the database.

A server that starts does not wait SETTLE: what Redis holds apart from the database then is what
the previous process left behind when it died, so it is reloaded at once (`reconcile_now`). Another
process's attempts in flight at that moment are still decided by the database; at worst they are
answered by it instead of by Redis.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.runtime import Runtime
from trustlive.live.flash.gate import FlashGate
from trustlive.live.flash.sale import left_of, reload_gate
from trustlive.live.models import FlashClaim, FlashSale

Seen = tuple[int | None, int, int, int]  # Redis left, its held sum; the database's left, held sum
SETTLE = timedelta(seconds=30)
log = logging.getLogger(__name__)


@dataclass
class Reconciler:
    gate: FlashGate
    apart: dict[int, tuple[Seen, datetime]] = field(default_factory=dict)  # since when, as seen

    async def __call__(self, session: AsyncSession, now: datetime) -> int:
        return await self.reconcile(session, now, settle=SETTLE)

    async def reconcile(self, session: AsyncSession, now: datetime, *, settle: timedelta) -> int:
        """Reload each open sale whose Redis state has stood apart from the database for
        `settle`; returns how many were reloaded."""
        sales = (
            await session.scalars(
                select(FlashSale).where(FlashSale.closed_at.is_(None), FlashSale.ends_at > now)
            )
        ).all()
        apart: dict[int, tuple[Seen, datetime]] = {}
        reloaded = 0
        for sale in sales:
            held = await session.scalar(
                select(func.coalesce(func.sum(FlashClaim.quantity), 0)).where(
                    FlashClaim.flash_sale_id == sale.id
                )
            )
            redis_left = await self.gate.left(sale.id)
            redis_held = sum((await self.gate.held(sale.id)).values())
            seen = (redis_left, redis_held, left_of(sale), int(held or 0))
            if seen[0] is None or (seen[0], seen[1]) == (seen[2], seen[3]):
                continue  # not loaded (the next attempt loads it), or in step
            before, since = self.apart.get(sale.id, (None, now))
            if before != seen:
                since = now  # still moving: attempts in flight
            if now - since >= settle:
                await reload_gate(session, self.gate, sale, now=now, only_if_missing=False)
                reloaded += 1
            else:
                apart[sale.id] = (seen, since)
        self.apart = apart
        return reloaded


async def reconcile_now(runtime: Runtime, gate: FlashGate) -> int:
    """At start-up: whatever Redis holds apart from the database is a dead process's leftover."""
    async with runtime.sessions() as session:
        reloaded = await Reconciler(gate).reconcile(
            session, runtime.clock.now(), settle=timedelta(0)
        )
        await session.commit()
    if reloaded:
        log.info("flash gate: %d sale(s) reloaded from the database at start", reloaded)
    return reloaded
