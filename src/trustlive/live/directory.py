"""Rooms as other contexts see them: who owns each, and whether and what it broadcasts now."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.live.models import LiveSession, Room


@dataclass(frozen=True)
class RoomFacts:
    room_id: int
    name: str
    shop_id: int | None
    owner_user_id: int
    avatar_url: str | None
    session_id: int | None  # the session on air, None when off air
    title: str | None
    cover_url: str | None
    started_at: datetime | None
    viewers: int

    @property
    def on_air(self) -> bool:
        return self.session_id is not None


def _facts(room: Room, live: LiveSession | None) -> RoomFacts:
    return RoomFacts(
        room_id=room.id,
        name=room.name,
        shop_id=room.shop_id,
        owner_user_id=room.owner_user_id,
        avatar_url=room.avatar_url,
        session_id=live.id if live else None,
        title=live.title if live else None,
        cover_url=live.cover_url if live else None,
        started_at=live.started_at if live else None,
        viewers=live.total_viewers if live else 0,
    )


async def room_facts(session: AsyncSession, room_ids: Collection[int]) -> dict[int, RoomFacts]:
    rows = await session.execute(
        select(Room, LiveSession)
        .outerjoin(LiveSession, LiveSession.id == Room.live_session_id)
        .where(Room.id.in_(list(room_ids)))
    )
    return {room.id: _facts(room, live) for room, live in rows}


async def room_of_shop(session: AsyncSession, shop_id: int) -> RoomFacts | None:
    row = (
        await session.execute(
            select(Room, LiveSession)
            .outerjoin(LiveSession, LiveSession.id == Room.live_session_id)
            .where(Room.shop_id == shop_id)
        )
    ).first()
    return _facts(row[0], row[1]) if row else None


async def rooms_on_air(session: AsyncSession, *, limit: int) -> list[RoomFacts]:
    """Rooms broadcasting now, the most watched first."""
    rows = await session.execute(
        select(Room, LiveSession)
        .join(LiveSession, LiveSession.id == Room.live_session_id)
        .order_by(LiveSession.total_viewers.desc(), Room.id)
        .limit(limit)
    )
    return [_facts(room, live) for room, live in rows]


async def room_ids_after(session: AsyncSession, *, after: int, limit: int) -> list[int]:
    """Every room in id order from `after`, a page at a time (a full reindex walks them)."""
    rows = await session.scalars(
        select(Room.id).where(Room.id > after).order_by(Room.id).limit(limit)
    )
    return list(rows)
