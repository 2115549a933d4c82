"""A room's video as the media context reports it: who may hold the room's stream key, a
publish that opens or joins the live session, and the stream going on air or dropping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.errors import Conflict
from trustlive.live.channel.frames import CONSOLE
from trustlive.live.channel.hub import Channel
from trustlive.live.domain import SessionStatus, StreamStatus
from trustlive.live.errors import LiveError
from trustlive.live.models import LiveSession
from trustlive.live.rooms import get_room, may_broadcast, require_broadcaster, start_session
from trustlive.live.wiring import announce

STREAM_WARNINGS = {
    "publish_done": "推流已断开 Your stream stopped reaching the platform; viewers see "
    "'reconnecting'. Check the encoder (OBS) and its network.",
    "stale": "推流卡住了 The media server has sent no new video for a few seconds; viewers see "
    "'reconnecting'.",
}


@dataclass(frozen=True)
class RoomOnAir:
    """The live session a publish went into; `started` when the publish opened it."""

    room_id: int
    session_id: int
    started: bool


async def require_room_broadcaster(session: AsyncSession, *, room_id: int, user_id: int) -> str:
    """The room's name, once `user_id` is known to broadcast there (else 404/403)."""
    room = await get_room(session, room_id)
    await require_broadcaster(session, room, user_id)
    return room.name


async def may_broadcast_in(session: AsyncSession, *, room_id: int, user_id: int) -> bool:
    return await may_broadcast(session, await get_room(session, room_id), user_id)


async def live_session_of(session: AsyncSession, *, room_id: int) -> int | None:
    """The id of the room's live session, None when it is not live."""
    return (await get_room(session, room_id)).live_session_id


async def stream_publishing(
    session: AsyncSession,
    *,
    room_id: int,
    anchor_id: int,
    hls_url: str,
    start_when_off_air: bool,
    channel: Channel,
    now: datetime,
) -> RoomOnAir:
    """A stream with the room's key started: the live session shows it on air. A room that is
    not live gets a session for `anchor_id` when `start_when_off_air`, else the publish is
    refused (409). The anchor must still broadcast in the room: a key issued by staff who have
    since left opens nothing (403)."""
    room = await get_room(session, room_id)
    await require_broadcaster(session, room, anchor_id)
    started = False
    if room.live_session_id is None:
        if not start_when_off_air:
            raise Conflict(
                LiveError.SESSION_NOT_LIVE,
                "this room is not live: start a session in the console, then publish",
            )
        live = await start_session(
            session,
            room_id=room_id,
            user_id=anchor_id,
            title=f"{room.name} 直播中"[:60],
            cover_url=None,
            hls_url=hls_url,
            channel=channel,
            now=now,
        )
        started = True
    else:
        found = await session.get(LiveSession, room.live_session_id)
        assert found is not None
        live = found
    await _set_stream(session, live, StreamStatus.ON_AIR, hls_url=hls_url, now=now)
    announce(session, channel, room_id, _stream_event(live))
    return RoomOnAir(room_id=room_id, session_id=live.id, started=started)


async def stream_dropped(
    session: AsyncSession, *, room_id: int, reason: str, channel: Channel, now: datetime
) -> bool:
    """The room's stream stopped (`reason`: publish_done, stale): viewers see reconnecting and
    the console a warning. False when the room has no session on air (nothing changed)."""
    live = await _on_air_session(session, room_id)
    if live is None or live.stream_status != StreamStatus.ON_AIR:
        return False
    await _set_stream(session, live, StreamStatus.RECONNECTING, hls_url=live.hls_url, now=now)
    announce(session, channel, room_id, _stream_event(live))
    warning = STREAM_WARNINGS.get(reason, STREAM_WARNINGS["stale"])
    announce(
        session,
        channel,
        room_id,
        {"type": "stream_warning", "audience": CONSOLE, "reason": reason, "message": warning},
    )
    return True


async def stream_resumed(
    session: AsyncSession, *, room_id: int, channel: Channel, now: datetime
) -> bool:
    """The watchdog saw new video after a stall: on air again. False if nothing changed."""
    live = await _on_air_session(session, room_id)
    if live is None or live.stream_status != StreamStatus.RECONNECTING:
        return False
    await _set_stream(session, live, StreamStatus.ON_AIR, hls_url=live.hls_url, now=now)
    announce(session, channel, room_id, _stream_event(live))
    return True


async def _on_air_session(session: AsyncSession, room_id: int) -> LiveSession | None:
    room = await get_room(session, room_id)
    if room.live_session_id is None:
        return None
    live = await session.get(LiveSession, room.live_session_id)
    if live is None or live.status != SessionStatus.LIVE:
        return None
    return live


async def _set_stream(
    session: AsyncSession,
    live: LiveSession,
    status: StreamStatus,
    *,
    hls_url: str | None,
    now: datetime,
) -> None:
    await session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(stream_status=status, stream_changed_at=now, hls_url=hls_url)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(live)


def _stream_event(live: LiveSession) -> dict[str, object]:
    return {
        "type": "stream",
        "session_id": str(live.id),
        "status": live.stream_status,
        "hls_url": live.hls_url,
    }
