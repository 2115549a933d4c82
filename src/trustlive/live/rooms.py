"""Rooms and sessions: every shop and creator has a room; a room has at most one live session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, shops
from trustlive.accounts import Principal
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Conflict, Forbidden, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.live.channel.hub import Channel
from trustlive.live.domain import OwnerKind, SessionStatus, require_live
from trustlive.live.errors import LiveError
from trustlive.live.events import RoomWentLive, RoomWentOffAir
from trustlive.live.models import LiveSession, Room
from trustlive.live.wiring import announce


async def _insert_room(session: AsyncSession, room: Room) -> Room | None:
    """Insert unless a concurrent request created it first (the unique index decides)."""
    try:
        async with session.begin_nested():
            session.add(room)
            await session.flush()
    except IntegrityError:
        return None
    return room


async def shop_room(session: AsyncSession, *, shop_id: int, now: datetime) -> Room:
    """The shop's room, created on first need (and when the shop opens)."""
    room = await session.scalar(select(Room).where(Room.shop_id == shop_id))
    if room is not None:
        return room
    shop = await shops.get_shop(session, shop_id)
    new = Room(
        id=new_id(),
        owner_kind=OwnerKind.SHOP,
        shop_id=shop.id,
        owner_user_id=shop.owner_id,
        name=shop.name,
        avatar_url=shop.logo_url,
        created_at=now,
    )
    created = await _insert_room(session, new)
    if created is not None:
        return created
    found = await session.scalar(select(Room).where(Room.shop_id == shop_id))
    assert found is not None
    return found


async def creator_room(session: AsyncSession, *, user: Principal, now: datetime) -> Room:
    if not user.has(Role.CREATOR):
        raise Forbidden("only creators have their own room; shops use the shop's room")
    query = select(Room).where(
        Room.owner_kind == OwnerKind.CREATOR, Room.owner_user_id == user.user_id
    )
    room = await session.scalar(query)
    if room is not None:
        return room
    new = Room(
        id=new_id(),
        owner_kind=OwnerKind.CREATOR,
        shop_id=None,
        owner_user_id=user.user_id,
        name=user.display_name[:40],
        created_at=now,
    )
    created = await _insert_room(session, new)
    if created is not None:
        return created
    found = await session.scalar(query)
    assert found is not None
    return found


async def my_room(session: AsyncSession, *, user: Principal, now: datetime) -> Room:
    """A creator's own room, else the room of the first shop where the user may broadcast."""
    if user.has(Role.CREATOR):
        return await creator_room(session, user=user, now=now)
    for shop, _role in await shops.shops_of(session, user.user_id):
        if await shops.has_permission(
            session, shop_id=shop.id, user_id=user.user_id, permission=shops.Permission.BROADCAST
        ):
            return await shop_room(session, shop_id=shop.id, now=now)
    raise Forbidden("you have no room: become a creator or join a shop as an anchor")


async def get_room(session: AsyncSession, room_id: int) -> Room:
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound("room", room_id)
    return room


async def may_broadcast(session: AsyncSession, room: Room, user_id: int) -> bool:
    if room.owner_kind == OwnerKind.CREATOR:
        return room.owner_user_id == user_id
    assert room.shop_id is not None
    return await shops.has_permission(
        session, shop_id=room.shop_id, user_id=user_id, permission=shops.Permission.BROADCAST
    )


async def require_broadcaster(session: AsyncSession, room: Room, user_id: int) -> None:
    if not await may_broadcast(session, room, user_id):
        raise Forbidden("only the room's owner or the shop's anchors may do this")


async def live_session_for_staff(
    session: AsyncSession, *, session_id: int, user_id: int
) -> tuple[Room, LiveSession]:
    """The session, its room, and a check that the caller runs it and that it is live."""
    live = await session.get(LiveSession, session_id)
    if live is None:
        raise NotFound("session", session_id)
    room = await get_room(session, live.room_id)
    await require_broadcaster(session, room, user_id)
    require_live(live.status)
    return room, live


async def start_session(
    session: AsyncSession,
    *,
    room_id: int,
    user_id: int,
    title: str,
    cover_url: str | None,
    hls_url: str | None,
    channel: Channel,
    now: datetime,
) -> LiveSession:
    room = await get_room(session, room_id)
    await require_broadcaster(session, room, user_id)
    live = LiveSession(
        id=new_id(),
        room_id=room.id,
        status=SessionStatus.LIVE,
        title=title,
        cover_url=cover_url,
        hls_url=hls_url,
        started_by=user_id,
        started_at=now,
    )
    claimed = await session.execute(
        update(Room)
        .where(Room.id == room.id, Room.live_session_id.is_(None))
        .values(live_session_id=live.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(LiveError.SESSION_ALREADY_LIVE, "this room is already live; end it first")
    session.add(live)
    record_event(
        session,
        RoomWentLive(
            room_id=room.id,
            session_id=live.id,
            shop_id=room.shop_id,
            owner_user_id=room.owner_user_id,
        ),
        now=now,
    )
    await session.flush()
    await session.refresh(room)
    announce(session, channel, room.id, {"type": "session_started", "session": session_json(live)})
    return live


async def end_session(
    session: AsyncSession, *, session_id: int, user_id: int, channel: Channel, now: datetime
) -> LiveSession:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    ended = await session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id, LiveSession.status == SessionStatus.LIVE)
        .values(status=SessionStatus.ENDED, ended_at=now, spotlight_pin_id=None)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(LiveError.SESSION_NOT_LIVE, "this session has already ended")
    await session.execute(
        update(Room)
        .where(Room.id == room.id, Room.live_session_id == live.id)
        .values(live_session_id=None)
        .execution_options(synchronize_session=False)
    )
    record_event(
        session, RoomWentOffAir(room_id=room.id, session_id=live.id, shop_id=room.shop_id), now=now
    )
    await session.refresh(live)
    await session.refresh(room)
    announce(session, channel, room.id, {"type": "session_ended", "session_id": str(live.id)})
    return live


async def admit_viewers(session: AsyncSession, *, session_id: int, joined: int) -> None:
    """Count `joined` viewers who arrived together: the total grows by them and the peak is at
    least that many. The same figures the room channel keeps for its WebSocket viewers, for an
    audience that watches without the channel (a player on the stream alone, the simulator)."""
    if joined < 0:
        raise ValueError("joined counts viewers and cannot be negative")
    live = await session.get(LiveSession, session_id)
    if live is None:
        raise NotFound("session", session_id)
    require_live(live.status)
    await session.execute(
        update(LiveSession)
        .where(LiveSession.id == session_id)
        .values(
            peak_viewers=case(
                (LiveSession.peak_viewers < joined, joined), else_=LiveSession.peak_viewers
            ),
            total_viewers=LiveSession.total_viewers + joined,
        )
        .execution_options(synchronize_session=False)
    )


async def get_session(session: AsyncSession, session_id: int) -> tuple[Room, LiveSession]:
    live = await session.get(LiveSession, session_id)
    if live is None:
        raise NotFound("session", session_id)
    return await get_room(session, live.room_id), live


async def list_live_rooms(session: AsyncSession, *, limit: int) -> list[tuple[Room, LiveSession]]:
    rows = await session.execute(
        select(Room, LiveSession)
        .join(LiveSession, LiveSession.id == Room.live_session_id)
        .order_by(LiveSession.started_at.desc(), Room.id)
        .limit(limit)
    )
    return [(room, live) for room, live in rows]


async def display_name(session: AsyncSession, user_id: int) -> str:
    names = await accounts.display_names(session, {user_id})
    return names.get(user_id, "")


def session_json(live: LiveSession, viewers: int = 0) -> dict[str, object]:
    return {
        "id": str(live.id),
        "room_id": str(live.room_id),
        "status": live.status,
        "title": live.title,
        "cover_url": live.cover_url,
        "hls_url": live.hls_url,
        "stream_status": live.stream_status,
        "viewers": viewers,
        "started_at": live.started_at.isoformat(),
        "ended_at": live.ended_at.isoformat() if live.ended_at else None,
    }
