"""What live keeps per runtime (the room channel, the Redis client) and the after-commit bridge
that hands room events to the channel only once their transaction has committed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio as aioredis
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from trustlive.kernel.runtime import Runtime
from trustlive.live.channel.frames import RoomEvent
from trustlive.live.channel.hub import Channel
from trustlive.live.channel.redis_bus import RedisBus
from trustlive.live.flash_gate import FlashGate
from trustlive.live.models import LiveSession, Room

_PENDING = "live.room_events"
REDIS_CONNECTIONS = 256  # per process; a request waits up to REDIS_WAIT_SECONDS for one, then 503
REDIS_WAIT_SECONDS = 2.0
SUBSCRIBE_WAIT_SECONDS = 5.0
log = logging.getLogger(__name__)


def redis_of(runtime: Runtime) -> aioredis.Redis | None:
    """The shared asyncio Redis client when REDIS_URL is set."""
    if not runtime.settings.redis_url:
        return None
    client = runtime.extras.get("live.redis")
    if client is None:
        pool = aioredis.BlockingConnectionPool.from_url(
            runtime.settings.redis_url,
            max_connections=REDIS_CONNECTIONS,
            timeout=REDIS_WAIT_SECONDS,
        )
        client = aioredis.Redis.from_pool(pool)  # closing the client closes its pool
        runtime.extras["live.redis"] = client
        runtime.closers.append(client.aclose)
    assert isinstance(client, aioredis.Redis)
    return client


def channel_of(runtime: Runtime) -> Channel:
    channel = runtime.extras.get("live.channel")
    if channel is None:
        client = redis_of(runtime)

        async def record_stats(stats: dict[int, tuple[int, int]]) -> None:
            await _record_viewer_stats(runtime, stats)

        channel = Channel(stats_sink=record_stats)
        if client is not None:
            channel.bus = RedisBus(channel, client)
        runtime.extras["live.channel"] = channel
        runtime.closers.append(channel.close)
    assert isinstance(channel, Channel)
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
    pending: list[Any] = session.info.setdefault(_PENDING, [])
    pending.append((channel, room_id, room_event))


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    for channel, room_id, room_event in session.info.pop(_PENDING, ()):
        channel.publish(room_id, room_event)


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def gate_of(runtime: Runtime) -> FlashGate | None:
    gate = runtime.extras.get("live.flash_gate")
    if gate is None:
        client = redis_of(runtime)
        if client is None:
            return None
        gate = runtime.extras["live.flash_gate"] = FlashGate(client)
    assert isinstance(gate, FlashGate)
    return gate
