"""Who answers for a room or a comment, for other contexts (risk control's reports)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.errors import NotFound
from trustlive.live.models import Comment, LiveSession, Room


@dataclass(frozen=True)
class RoomOwner:
    room_id: int
    shop_id: int | None  # a shop's room; None: a creator's
    user_id: int  # the creator, or the user who opened the shop's room


async def room_owner(session: AsyncSession, room_id: int) -> RoomOwner:
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound("room", room_id)
    return RoomOwner(room.id, room.shop_id, room.owner_user_id)


@dataclass(frozen=True)
class CommentFacts:
    comment_id: int
    author_id: int
    room_id: int
    text: str


async def comment_facts(session: AsyncSession, comment_id: int) -> CommentFacts:
    row = (
        await session.execute(
            select(Comment.user_id, LiveSession.room_id, Comment.text)
            .join(LiveSession, LiveSession.id == Comment.session_id)
            .where(Comment.id == comment_id)
        )
    ).first()
    if row is None:
        raise NotFound("comment", comment_id)
    return CommentFacts(comment_id, row[0], row[1], row[2])
