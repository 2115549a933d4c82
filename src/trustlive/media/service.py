"""Media use cases: issue and rotate a room's stream key, decide a publish, note its end, and
the watchdog's pass over streams on air. Each flushes; the caller commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import live
from trustlive.kernel.errors import Forbidden, Problem
from trustlive.media.domain import (
    KEY_PREFIX,
    IngestState,
    MediaPolicy,
    Verdict,
    hash_key,
    judge_playlist,
    key_hint,
    playlist_position,
    stream_name,
)
from trustlive.media.errors import MediaError
from trustlive.media.models import Ingest, StreamKey

KEY_BYTES = 24  # 192 bits; 32 URL-safe characters after the prefix


class PlaylistProbe(Protocol):
    """Reads a live playlist; None when it cannot (the media server is down, a 404)."""

    async def __call__(self, url: str) -> str | None: ...


@dataclass(frozen=True)
class KeyView:
    room_id: int
    hint: str | None
    rotated_at: datetime | None
    key: str | None = None  # only in the answer that issued it


@dataclass(frozen=True)
class PublishGrant:
    room_id: int
    session_id: int
    stream_name: str
    started_session: bool


async def key_of_room(session: AsyncSession, *, room_id: int, user_id: int) -> KeyView:
    await live.require_room_broadcaster(session, room_id=room_id, user_id=user_id)
    found = await session.get(StreamKey, room_id)
    if found is None:
        return KeyView(room_id=room_id, hint=None, rotated_at=None)
    return KeyView(room_id=room_id, hint=found.key_hint, rotated_at=found.rotated_at)


async def rotate_key(
    session: AsyncSession, *, room_id: int, user_id: int, now: datetime
) -> KeyView:
    """A new key for the room; the old one stops opening streams at once. The caller becomes
    the anchor a publish with it broadcasts as."""
    await live.require_room_broadcaster(session, room_id=room_id, user_id=user_id)
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    found = await session.get(StreamKey, room_id, with_for_update=True)
    if found is None:
        session.add(
            StreamKey(
                room_id=room_id,
                key_hash=hash_key(key),
                key_hint=key_hint(key),
                issued_by=user_id,
                rotated_at=now,
            )
        )
    else:
        found.key_hash = hash_key(key)
        found.key_hint = key_hint(key)
        found.issued_by = user_id
        found.rotated_at = now
    await session.flush()
    return KeyView(room_id=room_id, hint=key_hint(key), rotated_at=now, key=key)


async def authorize_publish(
    session: AsyncSession,
    *,
    key: str,
    client_id: str,
    policy: MediaPolicy,
    channel: live.Channel,
    now: datetime,
) -> PublishGrant:
    """A media server asks whether `key` may publish: yes into its room's live session (opened
    for the key's anchor when the policy says so), under the room's public stream name."""
    found = await session.scalar(select(StreamKey).where(StreamKey.key_hash == hash_key(key)))
    if found is None:
        raise Problem(
            MediaError.KEY_REFUSED,
            "unknown or rotated stream key: copy the current key from the console",
            status=403,
        )
    try:
        on_air = await live.stream_publishing(
            session,
            room_id=found.room_id,
            anchor_id=found.issued_by,
            hls_url=policy.playlist_url(found.room_id),
            start_when_off_air=policy.start_when_off_air,
            channel=channel,
            now=now,
        )
    except Forbidden as refused:
        raise Problem(
            MediaError.KEY_REFUSED,
            "the anchor who issued this key may no longer broadcast here; issue a new key",
            status=403,
        ) from refused
    ingest = await session.get(Ingest, found.room_id, with_for_update=True)
    if ingest is None:
        ingest = Ingest(room_id=found.room_id)
        session.add(ingest)
    ingest.session_id = on_air.session_id
    ingest.state = IngestState.PUBLISHING
    ingest.client_id = client_id[:40]
    ingest.started_at = now
    ingest.position = None
    ingest.advanced_at = now
    ingest.state_changed_at = now
    await session.flush()
    return PublishGrant(
        room_id=found.room_id,
        session_id=on_air.session_id,
        stream_name=stream_name(found.room_id),
        started_session=on_air.started,
    )


async def publish_done(
    session: AsyncSession, *, key: str, client_id: str, channel: live.Channel, now: datetime
) -> bool:
    """The publisher left (or was cut off): the room shows reconnecting. Found by the key, or
    by the connection when the key was rotated meanwhile. False when nothing was publishing."""
    found = await session.scalar(select(StreamKey).where(StreamKey.key_hash == hash_key(key)))
    ingest = None
    if found is not None:
        ingest = await session.get(Ingest, found.room_id, with_for_update=True)
    if ingest is None or ingest.client_id != client_id[:40]:
        ingest = await session.scalar(
            select(Ingest).where(
                Ingest.client_id == client_id[:40], Ingest.state == IngestState.PUBLISHING
            )
        )
    if ingest is None or ingest.state != IngestState.PUBLISHING:
        return False
    ingest.state = IngestState.DROPPED
    ingest.state_changed_at = now
    await session.flush()
    await live.stream_dropped(
        session, room_id=ingest.room_id, reason="publish_done", channel=channel, now=now
    )
    return True


async def watch_streams(
    session: AsyncSession,
    *,
    probe: PlaylistProbe,
    policy: MediaPolicy,
    channel: live.Channel,
    now: datetime,
) -> int:
    """One watchdog pass: each publishing stream whose playlist stopped advancing for longer
    than the policy allows is dropped (a media server that died sends no publish_done); one
    that advances again after being flagged is back on air. Returns how many changed."""
    watched = await session.scalars(
        select(Ingest).where(Ingest.state == IngestState.PUBLISHING).order_by(Ingest.room_id)
    )
    changed = 0
    for ingest in list(watched):
        if await live.live_session_of(session, room_id=ingest.room_id) != ingest.session_id:
            ingest.state = IngestState.ENDED  # the session ended: nothing left to watch
            ingest.state_changed_at = now
            continue
        text = await probe(policy.playlist_url(ingest.room_id))
        position = playlist_position(text) if text is not None else None
        verdict = judge_playlist(
            last_position=ingest.position,
            position=position,
            advanced_at=ingest.advanced_at,
            now=now,
            stale_after=policy.stale_after,
        )
        if verdict == Verdict.ADVANCED:
            ingest.position = position
            ingest.advanced_at = now
            if await live.stream_resumed(session, room_id=ingest.room_id, channel=channel, now=now):
                changed += 1
        elif verdict == Verdict.STALE and await live.stream_dropped(
            session, room_id=ingest.room_id, reason="stale", channel=channel, now=now
        ):
            changed += 1
    await session.flush()
    return changed
