"""Room events across workers through Redis: a worker subscribes when it starts, not at its first
viewer, and subscribes again when its connection is lost. Needs REDIS_URL (CI's PostgreSQL + Redis
run sets it); elsewhere these are skipped, the rest of the channel is tested in-process."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from trustlive.kernel.runtime import Runtime
from trustlive.live.channel.hub import Channel
from trustlive.live.channel.redis_bus import RedisBus
from trustlive.live.wiring import channel_of, start_channel

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="room events cross workers only with Redis")


@pytest.fixture
async def client() -> AsyncIterator[aioredis.Redis]:
    assert REDIS_URL is not None
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        yield client
    finally:
        await client.aclose()


def _room() -> int:
    """A room id no other test (or earlier run) has published to."""
    return uuid.uuid4().int % 10**15


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll: the subscriber's hub has no event to wait on for one particular sequence number."""
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_a_worker_subscribes_at_startup_and_hears_events_before_any_viewer(
    runtime: Runtime, client: aioredis.Redis
) -> None:
    await start_channel(runtime)  # what the app's lifespan does
    heard = channel_of(runtime)
    other = Channel()  # another worker, where the purchase is paid
    other.bus = RedisBus(other, client)
    room = _room()
    try:
        await other.bus.start()
        other.publish(room, {"type": "purchase", "buyer": "王**"})
        await _until(lambda: heard.hub(room).last_seq > 0)
    finally:
        await other.close()
    assert [e["type"] for e in heard.hub(room).buffer] == ["purchase"]
    assert not heard.hub(room).viewers  # nobody had joined this worker's room yet


async def test_a_lost_subscription_is_renewed(client: aioredis.Redis) -> None:
    listening, speaking = Channel(), Channel()
    listening.bus, speaking.bus = RedisBus(listening, client), RedisBus(speaking, client)
    room = _room()
    try:
        await listening.bus.start()
        await speaking.bus.start()
        speaking.publish(room, {"type": "comment", "text": "before"})
        await _until(lambda: listening.hub(room).last_seq == 1)
        await client.client_kill_filter(_type="pubsub")  # both workers lose their subscription
        await asyncio.sleep(1.5)  # the bus waits a second before subscribing again
        speaking.publish(room, {"type": "comment", "text": "after"})
        await _until(lambda: listening.hub(room).last_seq == 2)
    finally:
        await listening.close()
        await speaking.close()
    assert [e["text"] for e in listening.hub(room).buffer] == ["before", "after"]
