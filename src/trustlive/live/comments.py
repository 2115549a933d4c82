"""Comments: logged-in viewers only, paced per user, passed through a moderation hook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts
from trustlive.accounts import Principal
from trustlive.kernel.errors import NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.runtime import Slot
from trustlive.live.channel.frames import CONSOLE
from trustlive.live.channel.hub import Channel
from trustlive.live.domain import Badge, CommentPolicy, regular_badge, require_live
from trustlive.live.errors import LiveError
from trustlive.live.models import Comment, LiveSession, Room, RoomPurchase
from trustlive.live.wiring import announce

MODERATOR_KEY: Slot[Moderator] = Slot("live.moderator")  # the composition root installs one


@dataclass(frozen=True)
class Reminder:
    """A rule the comment touched without being refused: the room's console is told."""

    rule: str
    clause: str
    span: str


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    code: str = ""  # the rule that refused the comment
    reason: str = ""
    clause: str = ""  # the policy or law clause behind the rule
    span: str = ""  # what matched (normalised)
    reminders: tuple[Reminder, ...] = ()


class Moderator(Protocol):
    """The risk context plugs its private-deal and false-claim checks in here."""

    async def review(
        self, session: AsyncSession, *, room_id: int, user_id: int, text: str
    ) -> Verdict: ...


class AllowAll:
    async def review(
        self, session: AsyncSession, *, room_id: int, user_id: int, text: str
    ) -> Verdict:
        return Verdict(True)


async def badge_for(
    session: AsyncSession, *, room: Room, user_id: int, now: datetime
) -> Badge | None:
    paid = await session.scalar(
        select(func.count())
        .select_from(RoomPurchase)
        .where(RoomPurchase.room_id == room.id, RoomPurchase.buyer_id == user_id)
    )
    since = None
    if room.owner_user_id != user_id:
        since = await accounts.follow_since(
            session, follower_id=user_id, followee_id=room.owner_user_id
        )
    return regular_badge(paid_orders=int(paid or 0), following_since=since, now=now)


def badge_json(badge: Badge | None) -> dict[str, object] | None:
    return None if badge is None else {"level": badge.level, "label": badge.label}


async def post_comment(
    session: AsyncSession,
    *,
    session_id: int,
    user: Principal,
    text: str,
    policy: CommentPolicy,
    moderator: Moderator,
    channel: Channel,
    now: datetime,
) -> tuple[Comment, Badge | None]:
    live = await session.get(LiveSession, session_id)
    if live is None:
        raise NotFound("session", session_id)
    require_live(live.status)
    recent = await session.scalars(
        select(Comment.created_at)
        .where(Comment.user_id == user.user_id, Comment.created_at > now - timedelta(minutes=1))
        .order_by(Comment.created_at.desc())
    )
    policy.check(list(recent), now)
    verdict = await moderator.review(session, room_id=live.room_id, user_id=user.user_id, text=text)
    if not verdict.allowed:
        evidence = {"clause": verdict.clause, "span": verdict.span} if verdict.clause else {}
        raise Problem(
            LiveError.COMMENT_BLOCKED,
            verdict.reason or "this comment breaks the room rules",
            status=422,
            reason_code=verdict.code,
            **evidence,
        )
    room = await session.get(Room, live.room_id)
    assert room is not None
    comment = Comment(
        id=new_id(), session_id=live.id, user_id=user.user_id, text=text, created_at=now
    )
    session.add(comment)
    await session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(comments=LiveSession.comments + 1)
    )
    badge = await badge_for(session, room=room, user_id=user.user_id, now=now)
    await session.flush()
    announce(
        session,
        channel,
        room.id,
        {
            "type": "comment",
            "id": str(comment.id),
            "name": accounts.mask_name(user.display_name),
            "text": text,
            "badge": badge_json(badge),
        },
    )
    for reminder in verdict.reminders:
        announce(session, channel, room.id, reminder_event(comment, reminder))
    return comment, badge


def reminder_event(comment: Comment, reminder: Reminder) -> dict[str, object]:
    """The console's real-time reminder (匹诺曹): which comment touched which rule."""
    return {
        "type": "rule_reminder",
        "audience": CONSOLE,
        "comment_id": str(comment.id),
        "rule": reminder.rule,
        "clause": reminder.clause,
        "span": reminder.span,
    }
