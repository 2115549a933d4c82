"""The media server's publish callbacks through the app: who may call them, which keys open a
stream, the session going on air, and a dropped stream noticed by publish_done or the watchdog."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from tests.support.api import Api, User
from tests.support.ws import RoomSocket, room_socket
from trustlive.app import create_app
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.settings import DEV_SECRET
from trustlive.live.models import LiveSession
from trustlive.media.models import Ingest
from trustlive.media.wiring import PROBE

HOOKS = "/media/hooks/nginx-rtmp"
FORM = {"app": "live", "call": "publish", "type": "live", "addr": "127.0.0.1", "clientid": "7"}


def _app(api: Api) -> Any:
    return api.client._transport.app  # type: ignore[attr-defined]


async def _room_with_key(api: Api) -> tuple[User, str, str]:
    owner = await api.user()
    shop_id = await api.shop(owner)
    room_id = (await api.client.get(f"/api/v1/shops/{shop_id}/room")).json()["id"]
    r = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    assert r.status_code == 201, r.text
    return owner, room_id, r.json()["key"]


async def _publish(
    client: httpx.AsyncClient, key: str, *, secret: str = DEV_SECRET, clientid: str = "7"
) -> httpx.Response:
    return await client.post(
        f"{HOOKS}/on_publish",
        params={"secret": secret},
        data={**FORM, "name": key, "clientid": clientid},
    )


async def _done(api: Api, key: str, *, clientid: str = "7") -> httpx.Response:
    return await api.client.post(
        f"{HOOKS}/on_publish_done",
        params={"secret": DEV_SECRET},
        data={**FORM, "call": "publish_done", "name": key, "clientid": clientid},
    )


async def _sessions(api: Api) -> list[LiveSession]:
    async with api.runtime.sessions() as s:
        return list(await s.scalars(select(LiveSession)))


async def _room_session(api: Api, room_id: str) -> dict[str, Any] | None:
    session: dict[str, Any] | None = (await api.client.get(f"/api/v1/rooms/{room_id}")).json()[
        "session"
    ]
    return session


async def test_a_publish_with_the_key_opens_a_session_on_air_under_the_rooms_public_name(
    api: Api,
) -> None:
    owner, room_id, key = await _room_with_key(api)

    r = await _publish(api.client, key)

    assert r.status_code == 302
    assert r.headers["location"] == f"room-{room_id}"  # the key never names the playlist
    session = await _room_session(api, room_id)
    assert session is not None
    assert session["status"] == "live"
    assert session["stream_status"] == "on_air"
    assert session["hls_url"] == f"http://127.0.0.1:8080/hls/room-{room_id}.m3u8"
    [live] = await _sessions(api)
    assert live.started_by == int(owner.id)


async def test_a_publish_joins_the_session_already_live(api: Api) -> None:
    owner, room_id, key = await _room_with_key(api)
    started = await api.client.post(
        f"/api/v1/rooms/{room_id}/sessions", json={"title": "今晚脐橙专场"}, headers=owner.auth
    )

    r = await _publish(api.client, key)

    assert r.status_code == 302
    session = await _room_session(api, room_id)
    assert session is not None
    assert (session["id"], session["title"]) == (started.json()["id"], "今晚脐橙专场")
    assert session["stream_status"] == "on_air"
    assert len(await _sessions(api)) == 1


async def test_a_wrong_key_and_a_rotated_key_are_refused_and_open_nothing(api: Api) -> None:
    owner, room_id, old_key = await _room_with_key(api)
    new_key = (
        await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    ).json()["key"]

    wrong = await _publish(api.client, "tl_" + "x" * 32)
    rotated = await _publish(api.client, old_key)

    assert (wrong.status_code, rotated.status_code) == (403, 403)
    assert rotated.json()["type"].endswith("/stream-key-refused")
    assert await _sessions(api) == []
    assert await api.count(Ingest) == 0
    assert (await _publish(api.client, new_key)).status_code == 302


async def test_a_wrong_or_missing_hook_secret_is_refused(api: Api) -> None:
    _owner, _room_id, key = await _room_with_key(api)

    wrong = await _publish(api.client, key, secret="guess")
    missing = await api.client.post(f"{HOOKS}/on_publish", data={**FORM, "name": key})

    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert wrong.json()["type"].endswith("/media-hook-refused")
    assert await _sessions(api) == []


async def test_the_hooks_refuse_callers_outside_the_local_network_even_with_the_secret(
    api: Api,
) -> None:
    _owner, _room_id, key = await _room_with_key(api)
    transport = httpx.ASGITransport(app=_app(api), client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as outside:
        r = await _publish(outside, key)

    assert r.status_code == 403
    assert "media network" in r.json()["detail"]
    assert await _sessions(api) == []


async def test_by_policy_a_publish_into_a_room_that_is_not_live_is_refused(api: Api) -> None:
    _owner, _room_id, key = await _room_with_key(api)
    api.runtime.settings = api.runtime.settings.model_copy(
        update={"media_publish_without_session": "refuse"}
    )
    transport = httpx.ASGITransport(app=create_app(api.runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        r = await _publish(client, key)

    assert r.status_code == 409
    assert await _sessions(api) == []
    assert await api.count(Ingest) == 0


async def test_a_key_of_an_anchor_who_left_the_shop_opens_nothing(api: Api) -> None:
    owner, room_id, _ = await _room_with_key(api)
    shop_id = (await api.client.get(f"/api/v1/rooms/{room_id}")).json()["shop_id"]
    anchor = await api.user()
    await api.client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": anchor.id, "role": "anchor"},
        headers=owner.auth,
    )
    key = (
        await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=anchor.auth)
    ).json()["key"]
    removed = await api.client.delete(
        f"/api/v1/shops/{shop_id}/staff/{anchor.id}", headers=owner.auth
    )
    assert removed.status_code in (200, 204), removed.text

    r = await _publish(api.client, key)

    assert r.status_code == 403
    assert await _sessions(api) == []


async def _events_until(ws: RoomSocket, kind: str, **match: str) -> list[dict[str, Any]]:
    """Frames until an event of `kind` (with `match`ing fields) arrives. With Redis, the
    publish's own events may reach the socket after its snapshot: they are skipped past."""
    seen: list[dict[str, Any]] = []

    def arrived() -> bool:
        return any(e["type"] == kind and all(e.get(k) == v for k, v in match.items()) for e in seen)

    async with asyncio.timeout(5):
        while not arrived():
            seen.extend((await ws.frame())["events"])
    return seen


async def test_publish_done_shows_viewers_reconnecting_and_warns_only_the_console(
    api: Api,
) -> None:
    owner, room_id, key = await _room_with_key(api)
    await _publish(api.client, key)
    ticket = (
        await api.client.post(f"/api/v1/rooms/{room_id}/channel-tickets", headers=owner.auth)
    ).json()["ticket"]

    async with (
        room_socket(_app(api), f"/ws/rooms/{room_id}") as viewer,
        room_socket(_app(api), f"/ws/rooms/{room_id}", f"ticket={ticket}") as console,
    ):
        await viewer.frame()
        await console.frame()
        r = await _done(api, key)
        seen_by_console = await _events_until(console, "stream_warning")
        seen_by_viewer = await _events_until(viewer, "stream", status="reconnecting")

    assert r.status_code == 204
    stream = next(
        e for e in seen_by_viewer if e["type"] == "stream" and e["status"] == "reconnecting"
    )
    assert (stream["status"], stream["hls_url"]) == (
        "reconnecting",
        f"http://127.0.0.1:8080/hls/room-{room_id}.m3u8",
    )
    assert not any(e["type"] == "stream_warning" for e in seen_by_viewer)
    warning = next(e for e in seen_by_console if e["type"] == "stream_warning")
    assert warning["reason"] == "publish_done"
    session = await _room_session(api, room_id)
    assert session is not None
    assert (session["status"], session["stream_status"]) == ("live", "reconnecting")
    again = await _publish(api.client, key, clientid="8")  # the anchor reconnects
    assert again.status_code == 302
    session = await _room_session(api, room_id)
    assert session is not None
    assert session["stream_status"] == "on_air"


async def test_publish_done_for_nothing_publishing_changes_nothing(api: Api) -> None:
    _owner, _room_id, key = await _room_with_key(api)
    r = await _done(api, key)
    assert r.status_code == 204
    assert await _sessions(api) == []


class Playlist:
    """A media server's playlist as the watchdog reads it; `text = None`: the server is gone."""

    def __init__(self) -> None:
        self.position = 10
        self.text: str | None = self._render()

    def _render(self) -> str:
        return f"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:{self.position - 2}\n" + "#EXTINF:1.0,\nx.ts\n" * 3

    def advance(self) -> None:
        self.position += 1
        self.text = self._render()

    async def __call__(self, url: str) -> str | None:
        return self.text


async def test_the_watchdog_notices_a_media_server_that_died_and_a_stream_that_came_back(
    api: Api, clock: FixedClock
) -> None:
    playlist = Playlist()
    PROBE.put(api.runtime, playlist)
    _owner, room_id, key = await _room_with_key(api)
    await _publish(api.client, key)

    async def status_after(seconds: float) -> str | None:
        clock.advance(timedelta(seconds=seconds))
        await api.runtime.scheduler.run_due()
        session = await _room_session(api, room_id)
        assert session is not None
        return session["stream_status"]  # type: ignore[no-any-return]

    assert await status_after(1) == "on_air"
    playlist.advance()
    assert await status_after(5) == "on_air"
    playlist.text = None  # the media server died: no publish_done will come
    assert await status_after(5) == "on_air"  # within the allowance (6 s)
    assert await status_after(2) == "reconnecting"
    playlist.advance()
    assert await status_after(1) == "on_air"


async def test_the_watchdog_stops_watching_a_session_that_ended(
    api: Api, clock: FixedClock
) -> None:
    PROBE.put(api.runtime, Playlist())
    owner, room_id, key = await _room_with_key(api)
    await _publish(api.client, key)
    session = await _room_session(api, room_id)
    assert session is not None
    await api.client.post(f"/api/v1/sessions/{session['id']}/end", headers=owner.auth)

    clock.advance(timedelta(seconds=30))
    await api.runtime.scheduler.run_due()

    async with api.runtime.sessions() as s:
        ingest = await s.get(Ingest, int(room_id))
    assert ingest is not None
    assert ingest.state == "ended"
    [live] = await _sessions(api)
    assert (live.status, live.stream_status) == ("ended", "on_air")
