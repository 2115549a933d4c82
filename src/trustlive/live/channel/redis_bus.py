"""Room events across workers: Redis numbers each event once (INCR) and publishes it in the same
script, so every worker's hub sees the same events with the same sequence numbers, in order."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisUnavailable
from redis.exceptions import TimeoutError as RedisTimeout

from trustlive.live.channel.frames import RoomEvent
from trustlive.live.channel.hub import Channel

log = logging.getLogger(__name__)
CHANNEL_PREFIX = "tl:room:"
RESUBSCRIBE_SECONDS = 1.0
PUBLISH = """
local seq = redis.call('INCR', KEYS[1])
local body = ARGV[1]
if ARGV[2] ~= '' then
  local count = redis.call('INCRBY', KEYS[3], tonumber(ARGV[2]))
  body = '{"count":' .. count .. ',' .. string.sub(body, 2)
end
redis.call('PUBLISH', KEYS[2], '{"seq":' .. seq .. ',' .. string.sub(body, 2))
return seq
"""


class RedisBus:
    def __init__(self, channel: Channel, client: aioredis.Redis) -> None:
        self._channel = channel
        self._redis = client
        self._script = client.register_script(PUBLISH)
        self._outbox: asyncio.Queue[tuple[int, RoomEvent]] = asyncio.Queue()
        self._published: dict[int, int] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._subscribed = asyncio.Event()
        self._inflight = 0
        self._progress = asyncio.Event()

    def publish(self, room_id: int, event: RoomEvent) -> None:
        self._start()
        self._outbox.put_nowait((room_id, event))

    def _start(self) -> None:
        if not self._tasks:
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self._subscribe()), loop.create_task(self._send())]

    async def start(self) -> None:
        """Subscribed from here on. The app calls it at startup: a worker that subscribed only
        at its first viewer missed what was published before, while its first viewers joined."""
        self._start()
        await self._subscribed.wait()

    async def _send(self) -> None:
        await self._subscribed.wait()
        while True:
            batch = [await self._outbox.get()]
            while not self._outbox.empty() and len(batch) < 500:
                batch.append(self._outbox.get_nowait())
            self._inflight = len(batch)
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for room_id, event in batch:
                        body = dict(event)
                        delta = str(body.pop("delta")) if body["type"] == "viewers" else ""
                        await self._script(
                            keys=[
                                f"{CHANNEL_PREFIX}{room_id}:seq",
                                f"{CHANNEL_PREFIX}{room_id}",
                                f"{CHANNEL_PREFIX}{room_id}:viewers",
                            ],
                            args=[json.dumps(body, ensure_ascii=False), delta],
                            client=pipe,
                        )
                    seqs = await pipe.execute()
                for (room_id, _), seq in zip(batch, seqs, strict=True):
                    self._published[room_id] = max(self._published.get(room_id, 0), int(seq))
            except Exception:
                log.exception("publishing %d room events to Redis failed", len(batch))
            self._inflight = 0
            self._progress.set()

    async def _subscribe(self) -> None:
        """Listen for every room's events; after a lost connection, subscribe again (events
        published meanwhile are gone: pub/sub keeps no history, and the gap is logged)."""
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                self._subscribed.set()
                async for message in pubsub.listen():
                    if message["type"] == "pmessage":
                        self._receive(message["channel"].decode(), message["data"])
            except (RedisUnavailable, RedisTimeout, OSError) as exc:
                log.warning("room events subscription lost (%r); subscribing again", exc)
                await asyncio.sleep(RESUBSCRIBE_SECONDS)
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _receive(self, name: str, data: bytes) -> None:
        room = name[len(CHANNEL_PREFIX) :]
        if not room.isdigit():
            return
        event = json.loads(data)
        hub = self._channel.hub(int(room))
        if hub.last_seq and int(event["seq"]) > hub.last_seq + 1:
            log.warning(
                "room %s: events %d..%d never arrived", room, hub.last_seq + 1, event["seq"] - 1
            )
        self._channel.deliver(int(room), event)
        self._progress.set()

    def settled(self) -> bool:
        """Whether what this worker published has come back through the subscription."""
        return not (
            self._inflight
            or not self._outbox.empty()
            or any(self._channel.hub(r).last_seq < s for r, s in self._published.items())
        )

    async def settle(self) -> None:
        """Return once settled (tests wrap it in a timeout)."""
        while not self.settled():
            self._progress.clear()
            await self._progress.wait()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
