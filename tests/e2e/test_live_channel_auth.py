"""Who opens a room's channel: one-use tickets instead of bearer tokens in URLs, refusals as the
documented close codes (4401, 4404) on a real server, and no credential in the server's logs."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import logging.config
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import uvicorn

from tests.support.api import Api
from tests.support.browser import free_port
from tests.support.live import LiveRoom, live_room
from tests.support.ws import RoomSocket, room_socket
from trustlive.app import create_app
from trustlive.cli import log_config
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.log_redaction import RedactCredentials
from trustlive.kernel.runtime import Runtime

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def _app(api: Api) -> Any:
    return api.client._transport.app  # type: ignore[attr-defined]


async def _ticket(api: Api, room_id: str, auth: dict[str, str]) -> str:
    r = await api.client.post(f"/api/v1/rooms/{room_id}/channel-tickets", headers=auth)
    assert r.status_code == 201, r.text
    ticket: str = r.json()["ticket"]
    return ticket


async def _joined_names(ws: RoomSocket) -> list[str]:
    while True:
        for event in (await ws.frame())["events"]:
            if event["type"] == "viewers" and event.get("joined"):
                return [j["name"] if isinstance(j, dict) else j for j in event["joined"]]


# tickets


async def test_a_ticket_opens_the_channel_as_its_user_once(api: Api) -> None:
    room = await live_room(api)
    fan = await api.user(display_name="李老铁")
    ticket = await _ticket(api, room.room_id, fan.auth)

    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", f"ticket={ticket}") as ws:
        assert ws.accepted
        snapshot = (await ws.frame())["events"][0]
        names = await _joined_names(ws)
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", f"ticket={ticket}") as again:
        reused = await again.closed_with()

    assert snapshot["type"] == "snapshot"
    assert names == ["李**"]
    assert reused == 4401


async def test_a_ticket_is_for_one_room_and_a_few_seconds(api: Api, clock: FixedClock) -> None:
    room, other = await live_room(api), await live_room(api)
    fan = await api.user()
    for_other = await _ticket(api, other.room_id, fan.auth)
    stale = await _ticket(api, room.room_id, fan.auth)
    clock.advance(timedelta(seconds=api.runtime.settings.channel_ticket_seconds))
    forged = stale[:-2] + ("AA" if not stale.endswith("AA") else "BB")

    codes = []
    for query in (f"ticket={for_other}", f"ticket={stale}", f"ticket={forged}"):
        async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", query) as ws:
            codes.append(await ws.closed_with())

    assert codes == [4401, 4401, 4401]


async def test_tickets_are_issued_only_to_signed_in_callers_for_real_rooms(api: Api) -> None:
    room = await live_room(api)
    fan = await api.user()

    anonymous = await api.client.post(f"/api/v1/rooms/{room.room_id}/channel-tickets")
    missing = await api.client.post("/api/v1/rooms/12345/channel-tickets", headers=fan.auth)

    assert anonymous.status_code == 401
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_clients_with_headers_may_send_their_bearer_token(api: Api) -> None:
    room = await live_room(api)
    fan = await api.user(display_name="张三")
    path = f"/ws/rooms/{room.room_id}"

    async with room_socket(_app(api), path, headers=fan.auth) as ws:
        names = await _joined_names(ws)
    async with room_socket(_app(api), path, headers={"Authorization": "Bearer tl_nope"}) as ws:
        refused = await ws.closed_with()

    assert names == ["张**"]
    assert refused == 4401


async def test_a_bearer_token_in_the_url_is_refused(api: Api) -> None:
    room = await live_room(api)
    fan = await api.user()

    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", f"token={fan.token}") as ws:
        code = await ws.closed_with()

    assert (ws.accepted, code) == (True, 4401)


# close codes on a real server (an ASGI close before accept would be an HTTP 403 there)


@contextlib.asynccontextmanager
async def _served(runtime: Runtime) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(runtime), host="127.0.0.1", port=port, lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(400):
        if server.started:
            break
        await asyncio.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _close_code(url: str) -> tuple[int | None, str]:
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        message = await ws.receive(timeout=5)
        assert message.type == aiohttp.WSMsgType.CLOSE, message
        return ws.close_code, str(message.extra or "")


async def test_refusals_are_close_codes_on_a_real_server(api: Api) -> None:
    room: LiveRoom = await live_room(api)
    fan = await api.user()
    async with _served(api.runtime) as host:
        missing = await _close_code(f"ws://{host}/ws/rooms/12345")
        bad_ticket = await _close_code(f"ws://{host}/ws/rooms/{room.room_id}?ticket=tlt_x.y")
        in_url = await _close_code(f"ws://{host}/ws/rooms/{room.room_id}?token={fan.token}")

    assert missing[0] == 4404
    assert bad_ticket[0] == 4401
    assert in_url[0] == 4401
    assert "channel-tickets" in in_url[1]


# logs


@pytest.fixture
def server_logs() -> Iterator[io.StringIO]:
    """uvicorn's loggers as `trustlive serve` configures them, writing to one buffer."""
    saved = {
        n: (
            logging.getLogger(n).handlers[:],
            logging.getLogger(n).propagate,
            logging.getLogger(n).level,
        )
        for n in UVICORN_LOGGERS
    }
    logging.config.dictConfig(log_config())
    buffer = io.StringIO()
    for name in UVICORN_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(buffer)
    try:
        yield buffer
    finally:
        for name, (handlers, propagate, level) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.propagate, logger.level = propagate, level


async def test_the_server_logs_no_token_or_ticket(api: Api, server_logs: io.StringIO) -> None:
    room = await live_room(api)
    fan = await api.user()
    ticket = await _ticket(api, room.room_id, fan.auth)
    async with _served(api.runtime) as host, aiohttp.ClientSession() as session:
        page = await session.get(f"http://{host}/healthz?token={fan.token}&x=1")
        assert page.status == 200
        async with session.ws_connect(f"ws://{host}/ws/rooms/{room.room_id}?ticket={ticket}"):
            pass
        async with session.ws_connect(f"ws://{host}/ws/rooms/{room.room_id}?token={fan.token}"):
            pass

    logged = server_logs.getvalue()
    assert fan.token not in logged
    assert ticket not in logged
    assert "/healthz?token=[redacted]&x=1" in logged
    assert f"/ws/rooms/{room.room_id}?ticket=[redacted]" in logged


def test_the_filter_masks_credentials_in_arguments_and_messages() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "GET", "/ws/rooms/1?after=3&TOKEN=tl_abc&ticket=tlt_q.r", "1.1", 101),
        None,
    )
    plain = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "opened /a?access_token=s3", None, None
    )

    kept = [RedactCredentials().filter(r) for r in (record, plain)]

    assert kept == [True, True]
    assert record.getMessage() == (
        '1.2.3.4:5 - "GET /ws/rooms/1?after=3&TOKEN=[redacted]&ticket=[redacted] HTTP/1.1" 101'
    )
    assert plain.getMessage() == "opened /a?access_token=[redacted]"
