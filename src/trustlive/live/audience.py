"""Who watched: the viewer counts each session kept, read by analytics through the facade."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.live.models import LiveSession, Room


async def session_viewers(
    session: AsyncSession,
    *,
    started_from: datetime,
    started_to: datetime,
    shop_id: int | None = None,
    also: Collection[int] = (),
) -> dict[int, int]:
    """Viewers (room entries the channel counted) per session started in [from, to) or listed in
    `also` (sessions that sold in a window they started before), optionally of one shop's room."""
    started = (LiveSession.started_at >= started_from) & (LiveSession.started_at < started_to)
    query = select(LiveSession.id, LiveSession.total_viewers).where(
        or_(started, LiveSession.id.in_(sorted(set(also)))) if also else started
    )
    if shop_id is not None:
        query = query.join(Room, Room.id == LiveSession.room_id).where(Room.shop_id == shop_id)
    return {row.id: row.total_viewers for row in await session.execute(query)}
