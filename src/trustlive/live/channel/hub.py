"""Per-room hubs in one process: sequence-ordered buffers for resume and a coalescing tick.

Every ~200 ms the tick builds, for each room with new events, one frame carrying everything since
the last one, encodes it once and hands the same string to every viewer in the room.

A WebSocket viewer is written to straight from the tick: the send coroutine is stepped in place
and, as the socket's buffer takes the bytes without waiting, finishes there — no queue and no task
switch per viewer and frame, which is most of the cost at 10,000 viewers. Only a send that has to
wait for the socket becomes a task; while it waits, the viewer misses ticks, and when it is done it
gets one catch-up frame with everything since (a slow viewer gets fewer, larger frames instead of
being dropped). Only a viewer behind the whole resume buffer is closed, to resume with ?after=.
In-process viewers without a socket (tests, simulated audiences) get frames on a bounded queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from trustlive.live.channel.frames import (
    RoomEvent,
    coalesce,
    encode_frame,
    has_console_events,
    visible,
)

log = logging.getLogger(__name__)
TICK_SECONDS = 0.2
BUFFER_EVENTS = 2000
MAX_QUEUED_FRAMES = 25
FLUSH_ON_CLOSE_SECONDS = 2.0
VIEWERS_ONLY_EVERY = 1.0  # seconds between frames that carry nothing but the viewer count
StatsSink = Callable[[dict[int, tuple[int, int]]], Awaitable[None]]
Sink = Callable[[str], Awaitable[None]]


class Bus(Protocol):
    """Assigns each room event its sequence number once and hands it to every worker's hub."""

    def publish(self, room_id: int, event: RoomEvent) -> None: ...

    async def close(self) -> None: ...


@dataclass(eq=False)
class Viewer:
    room_id: int
    user_id: int | None
    base_seq: int
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    dropped: bool = False
    sink: Sink | None = None  # the socket's send; None: frames go to `queue`
    sent_seq: int = 0  # the last event the viewer has been sent (sink viewers)
    sending: asyncio.Task[None] | None = None  # a send that had to wait for the socket
    ready: bool = True  # False until the endpoint has sent the first (snapshot) frame
    gone: asyncio.Event = field(default_factory=asyncio.Event)  # closed for falling behind
    console: bool = False  # one of the room's broadcasters: also gets events for the console

    def push(self, data: str) -> None:
        if self.dropped:
            return
        if self.queue.qsize() >= MAX_QUEUED_FRAMES:
            self.dropped = True
            self.queue.put_nowait(None)  # the sender closes the socket; the client resumes
            return
        self.queue.put_nowait(data)


@dataclass(frozen=True)
class Snapshot:
    seq: int  # the state holds at least everything up to this event
    state: dict[str, Any]
    built_at: float


@dataclass(eq=False)
class RoomHub:
    room_id: int
    buffer: deque[RoomEvent] = field(default_factory=lambda: deque(maxlen=BUFFER_EVENTS))
    pending: list[RoomEvent] = field(default_factory=list)
    viewers: set[Viewer] = field(default_factory=set)
    last_seq: int = 0
    count: int = 0
    joined: list[dict[str, Any]] = field(default_factory=list)
    joins: int = 0
    net: int = 0
    last_frame_at: float = 0.0
    framed_seq: int = 0  # the last event the previous frame covered
    first_seq: int = 0  # the first event this worker received (with Redis, seqs start earlier)
    snapshot: Snapshot | None = None  # the room's state for joining viewers, shared
    building: asyncio.Future[Snapshot] | None = None  # one snapshot query at a time

    def receive(self, event: RoomEvent) -> None:
        seq = int(event["seq"])
        if seq <= self.last_seq:
            return  # already seen
        if self.first_seq == 0:
            self.first_seq = seq
        self.last_seq = seq
        if event["type"] == "viewers":
            self.count = int(event["count"])
        self.buffer.append(event)
        self.pending.append(event)

    def missed_since(self, after: int) -> list[RoomEvent] | None:
        """Events after `after`, or None when the buffer no longer reaches back that far."""
        if after > self.last_seq:
            return None
        oldest = int(self.buffer[0]["seq"]) if self.buffer else self.last_seq + 1
        if after < oldest - 1:
            return None
        return [e for e in self.buffer if int(e["seq"]) > after]


class Channel:
    """All room hubs of this process; `bus` decides whether events cross workers."""

    def __init__(self, *, stats_sink: StatsSink | None = None, tick: float = TICK_SECONDS) -> None:
        self.hubs: dict[int, RoomHub] = {}
        self.bus: Bus = LocalBus(self)
        self._stats_sink = stats_sink
        self._tick = tick
        self._task: asyncio.Task[None] | None = None
        self._frame_no = 0
        self._stats: dict[int, tuple[int, int]] = {}
        self.frames_sent = 0

    def hub(self, room_id: int) -> RoomHub:
        hub = self.hubs.get(room_id)
        if hub is None:
            hub = self.hubs[room_id] = RoomHub(room_id)
        return hub

    def publish(self, room_id: int, event: RoomEvent) -> None:
        """Called after the producing transaction committed."""
        self.bus.publish(room_id, event)

    def deliver(self, room_id: int, event: RoomEvent) -> None:
        """The bus hands over an event with its sequence number."""
        self.hub(room_id).receive(event)

    def join(
        self,
        room_id: int,
        *,
        user_id: int | None,
        name: str | None,
        badge: Any,
        sink: Sink | None = None,
        console: bool = False,
    ) -> Viewer:
        """`sink` sends one text frame on the viewer's socket; without it frames are queued.
        `console`: the viewer broadcasts in the room and gets the events for its console."""
        hub = self.hub(room_id)
        viewer = Viewer(room_id, user_id, base_seq=hub.last_seq, sink=sink, console=console)
        viewer.sent_seq, viewer.ready = hub.last_seq, sink is None
        hub.viewers.add(viewer)
        hub.net += 1
        hub.joins += 1
        if name is not None:
            hub.joined.append({"name": name, "badge": badge})
        self._ensure_ticking()
        return viewer

    def start_sending(self, viewer: Viewer) -> None:
        """The viewer's first frame is out: from now on the tick writes to its socket."""
        viewer.ready = True
        hub = self.hubs.get(viewer.room_id)
        if hub is not None and viewer in hub.viewers and viewer.sent_seq < hub.last_seq:
            self._catch_up(hub, viewer)

    def leave(self, viewer: Viewer) -> None:
        hub = self.hubs.get(viewer.room_id)
        if hub is not None and viewer in hub.viewers:
            hub.viewers.discard(viewer)
            hub.net -= 1

    def _ensure_ticking(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        ticks = 0
        while True:
            started = time.monotonic()
            try:
                self.tick()
                ticks += 1
                if ticks % 25 == 0:
                    await self._flush_stats()
            except Exception:
                log.exception("room channel tick failed")
            await asyncio.sleep(max(0.0, self._tick - (time.monotonic() - started)))

    def tick(self) -> None:
        for hub in list(self.hubs.values()):
            self._announce_viewers(hub)
        for hub in list(self.hubs.values()):
            self._send_frame(hub)

    def _announce_viewers(self, hub: RoomHub) -> None:
        if hub.net == 0 and not hub.joined:
            return
        joined, more = hub.joined[:10], max(0, len(hub.joined) - 10)
        delta = hub.net
        hub.joined, hub.net = [], 0
        self.bus.publish(
            hub.room_id, {"type": "viewers", "delta": delta, "joined": joined, "more_joined": more}
        )
        peak, joins = self._stats.get(hub.room_id, (0, 0))
        self._stats[hub.room_id] = (max(peak, hub.count + max(delta, 0)), joins + hub.joins)
        hub.joins = 0

    def _send_frame(self, hub: RoomHub) -> None:
        if not hub.pending:
            return
        now = time.monotonic()
        if all(e["type"] == "viewers" for e in hub.pending) and (
            now - hub.last_frame_at < VIEWERS_ONLY_EVERY
        ):
            return  # a changed viewer count alone waits for a once-a-second frame
        hub.last_frame_at = now
        start, hub.framed_seq = hub.framed_seq, int(hub.pending[-1]["seq"])
        events = coalesce(hub.pending)
        hub.pending = []
        if not hub.viewers or not events:
            return
        self._frame_no += 1
        first = int(events[0]["seq"])
        console = encode_frame(self._frame_no, events)
        shared: str | None = console  # what everyone else gets; None: nothing for them
        if has_console_events(events):
            public = visible(events, console=False)
            shared = encode_frame(self._frame_no, public) if public else None
        for viewer in list(hub.viewers):
            frame = console if viewer.console else shared
            if viewer.sink is not None:
                if viewer.sending is not None or not viewer.ready:
                    continue  # caught up when its send (or its first frame) is done
                if viewer.sent_seq == start:
                    if frame is None:
                        viewer.sent_seq = hub.framed_seq
                    else:
                        self._write(hub, viewer, frame, hub.framed_seq)
                elif viewer.sent_seq < hub.framed_seq:  # joined meanwhile, or missed ticks
                    self._catch_up(hub, viewer)
                continue
            if viewer.base_seq >= first:  # joined meanwhile: its first frame had some of these
                own = [e for e in events if int(e["seq"]) > viewer.base_seq]
                own = visible(own, console=viewer.console)
                if own:
                    viewer.push(encode_frame(self._frame_no, own))
                    self.frames_sent += 1
                continue
            if frame is not None:
                viewer.push(frame)
                self.frames_sent += 1

    def _catch_up(self, hub: RoomHub, viewer: Viewer) -> None:
        """One frame with everything the viewer has not been sent, from the resume buffer."""
        since = max(viewer.sent_seq, viewer.base_seq)
        missed = hub.missed_since(since)
        if missed is None and since == 0 and hub.buffer and hub.buffer[0]["seq"] == hub.first_seq:
            # joined before this worker heard its first event: the snapshot, read after the
            # subscription began, holds what came before it, and the buffer holds the rest
            missed = list(hub.buffer)
        if missed is None:  # behind the whole buffer: close; the client resumes with a snapshot
            hub.viewers.discard(viewer)
            hub.net -= 1
            viewer.gone.set()
            return
        events = visible(coalesce(missed), console=viewer.console)
        if events:
            self._write(hub, viewer, encode_frame(self._frame_no, events), hub.last_seq)
        else:
            viewer.sent_seq = hub.last_seq

    def _write(self, hub: RoomHub, viewer: Viewer, data: str, upto: int) -> None:
        """Send on the viewer's socket now; a send that must wait finishes in a task."""
        assert viewer.sink is not None
        viewer.sent_seq = upto
        self.frames_sent += 1
        step = viewer.sink(data).__await__()
        try:
            waiting = step.send(None)
        except StopIteration:
            return  # the common case: written to the socket's buffer at once
        except Exception as exc:  # the socket is gone; the endpoint notices and leaves
            log.debug("frame not sent to a viewer of room %s: %r", hub.room_id, exc)
            return
        viewer.sending = asyncio.get_running_loop().create_task(
            self._finish(hub, viewer, step, waiting)
        )

    async def _finish(self, hub: RoomHub, viewer: Viewer, step: Any, waiting: Any) -> None:
        """Drive a send that had to wait, then catch the viewer up on what it missed meanwhile."""
        try:
            while True:
                try:
                    if waiting is None:  # a bare yield: just let the loop run once
                        await asyncio.sleep(0)
                    else:
                        # the future was yielded to us, not to a task: take it over as a task's
                        # step would, or awaiting it raises "await wasn't used with future"
                        waiting._asyncio_future_blocking = False
                        await waiting
                except BaseException as exc:  # cancelled or failed: let the send see it
                    waiting = step.throw(exc)
                    continue
                waiting = step.send(None)
        except StopIteration:
            pass
        except Exception as exc:
            log.debug("frame not sent to a viewer of room %s: %r", hub.room_id, exc)
            return  # the socket is gone
        finally:
            viewer.sending = None
        if viewer.sent_seq < hub.last_seq and viewer in hub.viewers:
            self._catch_up(hub, viewer)

    async def _flush_stats(self) -> None:
        if self._stats and self._stats_sink is not None:
            stats, self._stats = self._stats, {}
            await self._stats_sink(stats)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):  # best effort: a shutdown does not wait on it long
            async with asyncio.timeout(FLUSH_ON_CLOSE_SECONDS):
                await self._flush_stats()
        await self.bus.close()


class LocalBus:
    """One worker: sequence numbers and viewer counts kept here."""

    def __init__(self, channel: Channel) -> None:
        self._channel = channel
        self._seq: dict[int, int] = {}
        self._viewers: dict[int, int] = {}

    def publish(self, room_id: int, event: RoomEvent) -> None:
        event = dict(event)
        seq = self._seq.get(room_id, 0) + 1
        self._seq[room_id] = seq
        if event["type"] == "viewers":
            count = self._viewers.get(room_id, 0) + int(event.pop("delta"))
            self._viewers[room_id] = count
            event = {"count": count, **event}
        self._channel.deliver(room_id, {"seq": seq, **event})

    async def close(self) -> None:
        return None
