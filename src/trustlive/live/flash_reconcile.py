"""Bring the Redis gate back to what the database holds when they stay apart.

A crash between a take in Redis and the order's commit leaves Redis counting units as sold and the
buyer as holding them: attempts would be refused that the database would accept. Every scheduler
pass compares each open sale; a difference seen twice in a row with nothing changed in between is
not an attempt in flight but a leftover, and the sale is reloaded from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.live.flash_gate import FlashGate
from trustlive.live.flash_sale import left_of, reload_gate
from trustlive.live.models import FlashClaim, FlashSale

Seen = tuple[int | None, int, int, int]  # Redis left, its held sum; the database's left, held sum


@dataclass
class Reconciler:
    gate: FlashGate
    apart: dict[int, Seen] = field(default_factory=dict)  # sales found apart in the last pass

    async def __call__(self, session: AsyncSession, now: datetime) -> int:
        sales = (
            await session.scalars(
                select(FlashSale).where(FlashSale.closed_at.is_(None), FlashSale.ends_at > now)
            )
        ).all()
        apart: dict[int, Seen] = {}
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
            if self.apart.get(sale.id) == seen:
                await reload_gate(session, self.gate, sale, now=now, only_if_missing=False)
                reloaded += 1
            else:
                apart[sale.id] = seen
        self.apart = apart
        return reloaded
