"""How orders ended up in after-sales: refunded, disputed (what analytics counts as rates)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.aftersale.models import AftersaleRequest, Dispute

CHUNK = 500  # ids per IN list, well under every database's bound-parameter limit


async def refunded_and_disputed(
    session: AsyncSession, order_ids: Collection[int]
) -> tuple[set[int], set[int]]:
    ids = sorted(set(order_ids))
    refunded: set[int] = set()
    disputed: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        refunded.update(
            await session.scalars(
                select(AftersaleRequest.order_id).where(
                    AftersaleRequest.order_id.in_(chunk), AftersaleRequest.refunded_at.is_not(None)
                )
            )
        )
        disputed.update(
            await session.scalars(select(Dispute.order_id).where(Dispute.order_id.in_(chunk)))
        )
    return refunded, disputed
