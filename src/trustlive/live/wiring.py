"""What live keeps per runtime (the room channel, the Redis client) and the after-commit bridge
that hands room events to the channel only once their transaction has committed."""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.committed import after_commit
from trustlive.kernel.redis import redis_of
from trustlive.kernel.runtime import Runtime, Slot
from trustlive.live.channel.frames import RoomEvent
from trustlive.live.channel.hub import Channel
from trustlive.live.channel.redis_bus import RedisBus
from trustlive.live.models import LiveSession, Room

SUBSCRIBE_WAIT_SECONDS = 5.0
log = logging.getLogger(__name__)


CHANNEL: Slot[Channel] = Slot("live.channel")


def channel_of(runtime: Runtime) -> Channel:
    channel = CHANNEL.get(runtime)
    if channel is None:
        client = redis_of(runtime)

        async def record_stats(stats: dict[int, tuple[int, int]]) -> None:
            await _record_viewer_stats(runtime, stats)

        channel = Channel(stats_sink=record_stats)
        if client is not None:
            channel.bus = RedisBus(channel, client)
        CHANNEL.put(runtime, channel)
        runtime.closers.append(channel.close)
    return channel


async def start_channel(runtime: Runtime, wait: float = SUBSCRIBE_WAIT_SECONDS) -> None:
    """At startup, with Redis: subscribe to room events before any viewer joins. If Redis does
    not answer in time the worker serves anyway and keeps trying (viewers see this worker's own
    events meanwhile)."""
    channel = channel_of(runtime)
    if isinstance(channel.bus, RedisBus):
        try:
            await asyncio.wait_for(channel.bus.start(), wait)
        except TimeoutError:
            log.warning("room events: not subscribed to Redis after %.0f s; still trying", wait)


async def _record_viewer_stats(runtime: Runtime, stats: dict[int, tuple[int, int]]) -> None:
    async with runtime.sessions() as session:
        for room_id, (peak, joins) in stats.items():
            room = await session.get(Room, room_id)
            if room is None or room.live_session_id is None:
                continue
            live = await session.get(LiveSession, room.live_session_id)
            if live is None:
                continue
            await session.execute(
                update(LiveSession)
                .where(LiveSession.id == live.id)
                .values(
                    peak_viewers=max(live.peak_viewers, peak),
                    total_viewers=LiveSession.total_viewers + joins,
                )
            )
        await session.commit()


def announce(session: AsyncSession, channel: Channel, room_id: int, room_event: RoomEvent) -> None:
    """Send `room_event` to the room when (and only if) this transaction commits."""
    after_commit(session, partial(channel.publish, room_id, room_event))
