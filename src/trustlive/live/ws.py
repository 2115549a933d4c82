"""The room channel endpoint: /ws/rooms/{room_id}?after=<seq>&ticket=<one-use ticket>.

Signed-in browsers trade their bearer token for a ticket (issueChannelTicket) so the long-lived
token never appears in a URL or an access log; other clients may send Authorization: Bearer.
Refusals close the accepted socket with 4404 (no such room) or 4401 (ticket or token refused).
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from trustlive import accounts
from trustlive.accounts import Principal
from trustlive.kernel.errors import Problem
from trustlive.kernel.http import Id, runtime_of
from trustlive.kernel.runtime import Runtime
from trustlive.live.channel.frames import RoomEvent, coalesce, encode_frame, visible
from trustlive.live.channel.hub import Snapshot, Viewer
from trustlive.live.channel.redis_bus import RedisBus
from trustlive.live.comments import badge_for, badge_json
from trustlive.live.models import Room
from trustlive.live.rooms import may_broadcast
from trustlive.live.state import room_detail
from trustlive.live.wiring import SUBSCRIBE_WAIT_SECONDS, channel_of

router = APIRouter()
ROOM_NOT_FOUND, BAD_TOKEN, TRY_AGAIN = 4404, 4401, 1013
TOKEN_IN_URL = "bearer tokens do not go in URLs: POST /api/v1/rooms/{id}/channel-tickets"
SNAPSHOT_SECONDS = 1.0


async def _close_when_dropped(websocket: WebSocket, viewer: Viewer) -> None:
    """Behind the whole resume buffer: the client reconnects with ?after=<last seq>."""
    await viewer.gone.wait()
    await websocket.close(code=TRY_AGAIN)


def channel_audience(room_id: int) -> str:
    """Whom a socket ticket is for: one room's channel."""
    return f"room-channel:{room_id}"


@router.websocket("/ws/rooms/{room_id}")
async def room_channel(
    websocket: WebSocket, room_id: Id, after: int | None = None, ticket: str | None = None
) -> None:
    rt = runtime_of(websocket)  # type: ignore[arg-type]
    channel = channel_of(rt)
    principal = None
    badge = None
    console = False  # a socket of someone who broadcasts here also gets the console's events
    await websocket.accept()  # refusals are close codes the page understands, not an HTTP 403
    if "token" in websocket.query_params:
        await websocket.close(BAD_TOKEN, reason=TOKEN_IN_URL)
        return
    authorization = websocket.headers.get("authorization")
    # a known room's anonymous viewers need no query
    if room_id not in channel.hubs or ticket or authorization:
        try:
            principal, badge, console = await _viewer(rt, room_id, ticket, authorization)
        except _Refused as refused:
            await websocket.close(refused.code, reason=refused.reason)
            return
    if isinstance(channel.bus, RedisBus):  # started with the app; an app without lifespan here
        with contextlib.suppress(TimeoutError):  # Redis away: join anyway, events resume later
            async with asyncio.timeout(SUBSCRIBE_WAIT_SECONDS):
                await channel.bus.start()
    name = accounts.mask_name(principal.display_name) if principal else None
    viewer = channel.join(
        room_id,
        user_id=principal.user_id if principal else None,
        name=name,
        badge=badge,
        sink=websocket.send_text,
        console=console,
    )
    sender: asyncio.Task[None] | None = None
    try:
        await websocket.send_text(encode_frame(0, await _first_events(rt, room_id, viewer, after)))
        channel.start_sending(viewer)
        sender = asyncio.create_task(_close_when_dropped(websocket, viewer))
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except WebSocketDisconnect:
        pass
    finally:
        channel.leave(viewer)
        if viewer.sending is not None:
            viewer.sending.cancel()
        if sender is not None:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender


class _Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def _viewer(
    rt: Runtime, room_id: int, ticket: str | None, authorization: str | None
) -> tuple[Principal | None, dict[str, object] | None, bool]:
    """Who is watching, their badge and whether they broadcast in the room (their socket is the
    console's): by a ticket (browsers), a bearer token in the Authorization header (other
    clients), or no one."""
    now = rt.clock.now()
    async with rt.sessions() as session:
        room = await session.get(Room, room_id)
        if room is None:
            raise _Refused(ROOM_NOT_FOUND, "no such room")
        try:
            if ticket:
                principal = await accounts.redeem_socket_ticket(
                    rt, session, ticket, audience=channel_audience(room_id)
                )
            elif authorization:
                scheme, _, token = authorization.partition(" ")
                if scheme.lower() != "bearer" or not token:
                    raise _Refused(BAD_TOKEN, "send Authorization: Bearer <token>")
                principal = await accounts.authenticate(session, token=token, now=now)
            else:
                return None, None, False
        except Problem as exc:
            raise _Refused(BAD_TOKEN, exc.detail[:120]) from exc
        badge = await badge_for(session, room=room, user_id=principal.user_id, now=now)
        console = await may_broadcast(session, room, principal.user_id)
        return principal, badge_json(badge), console


async def _first_events(
    rt: Runtime, room_id: int, viewer: Viewer, after: int | None
) -> list[RoomEvent]:
    """What the viewer missed since `after`, or a snapshot when that is unknown or too old.

    A snapshot up to SNAPSHOT_SECONDS old is shared by everyone joining meanwhile (and only one
    is built at a time): 10,000 joins cost a handful of queries. The viewer is then set back to
    the snapshot's sequence number, so what happened since reaches it as its first frames.
    """
    hub = channel_of(rt).hub(room_id)
    if after is not None:
        missed = hub.missed_since(after)
        if missed is not None:
            seen = [e for e in missed if int(e["seq"]) <= viewer.base_seq]
            return visible(coalesce(seen), console=viewer.console)
    snapshot = hub.snapshot
    oldest = int(hub.buffer[0]["seq"]) - 1 if hub.buffer else hub.last_seq
    if (
        snapshot is None
        or time.monotonic() - snapshot.built_at > SNAPSHOT_SECONDS
        or snapshot.seq < oldest
        or snapshot.seq > hub.last_seq
    ):
        if hub.building is None:
            hub.building = asyncio.ensure_future(_build_snapshot(rt, room_id))
        building = hub.building
        try:
            snapshot = await asyncio.shield(building)
        finally:
            if hub.building is building and building.done():
                hub.building = None
    viewer.base_seq = viewer.sent_seq = min(snapshot.seq, viewer.base_seq)
    state = snapshot.state
    return [
        {
            "seq": viewer.base_seq,
            "type": "snapshot",
            "session": state["session"],
            "pins": state["pins"],
            "spotlight": state["spotlight"],
            "flash_sales": state["flash_sales"],
            "viewers": hub.count,
        }
    ]


async def _build_snapshot(rt: Runtime, room_id: int) -> Snapshot:
    hub = channel_of(rt).hub(room_id)
    seq = hub.last_seq  # read before the query: the state holds at least this much
    async with rt.sessions() as session:
        room = await session.get(Room, room_id)
        assert room is not None
        detail = await room_detail(session, room, hub.count)
    snapshot = Snapshot(seq, detail.model_dump(mode="json"), time.monotonic())
    hub.snapshot = snapshot
    return snapshot
