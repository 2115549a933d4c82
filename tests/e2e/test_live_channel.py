"""The room channel through the app: snapshot, pushed events, resuming after a reconnect,
masked purchases, regulars' badges. Runs over Redis pub/sub when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from tests.support.api import ADDRESS, Api
from tests.support.live import live_room
from tests.support.ws import RoomSocket, room_socket
from trustlive.live.channel.redis_bus import RedisBus
from trustlive.live.wiring import channel_of


def _app(api: Api) -> Any:
    return api.client._transport.app  # type: ignore[attr-defined]


async def _settled(api: Api) -> None:
    """With Redis, wait until what was published came back through the subscription."""
    bus = channel_of(api.runtime).bus
    if isinstance(bus, RedisBus):
        async with asyncio.timeout(5):
            await bus.settle()


async def _events_until(ws: RoomSocket, kind: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not any(e["type"] == kind for e in seen):
        seen.extend((await ws.frame())["events"])
    return seen


async def test_viewer_gets_a_snapshot_then_spotlight_and_pins_pushed(api: Api) -> None:
    room = await live_room(api)
    owner = room.listed.owner

    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}") as ws:
        first = await ws.frame()
        await api.client.put(
            f"/api/v1/sessions/{room.session_id}/spotlight",
            json={"pin_id": room.pin_id},
            headers=owner.auth,
        )
        events = await _events_until(ws, "spotlight")

    snapshot = first["events"][0]
    assert snapshot["type"] == "snapshot"
    assert snapshot["session"]["id"] == room.session_id
    assert [p["id"] for p in snapshot["pins"]] == [room.pin_id]
    spotlight = next(e for e in events if e["type"] == "spotlight")
    assert spotlight["pin"]["id"] == room.pin_id
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)


async def test_reconnecting_with_the_last_seq_gets_what_was_missed(api: Api) -> None:
    room = await live_room(api)
    owner = room.listed.owner
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}") as ws:
        events = await _events_until(ws, "viewers")
        last = max(e["seq"] for e in events)

    await api.client.put(
        f"/api/v1/sessions/{room.session_id}/spotlight",
        json={"pin_id": room.pin_id},
        headers=owner.auth,
    )
    await api.client.delete(f"/api/v1/sessions/{room.session_id}/spotlight", headers=owner.auth)
    await _settled(api)
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", f"after={last}") as ws:
        resumed = (await ws.frame())["events"]
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", "after=999999999") as ws:
        unknown = (await ws.frame())["events"]

    missed = [e for e in resumed if e["type"] == "spotlight"]
    assert [e["pin"] and e["pin"]["id"] for e in missed] == [room.pin_id, None]
    assert all(e["seq"] > last for e in resumed)
    assert "snapshot" not in {e["type"] for e in resumed}
    assert [e["type"] for e in unknown] == ["snapshot"]


async def test_purchase_shows_masked_when_paid_and_regulars_wear_a_badge(api: Api) -> None:
    room = await live_room(api, stock=5)
    buyer = await api.user(display_name="王小明")
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}") as ws:
        await ws.frame()
        placed = await api.client.post(
            f"/api/v1/sessions/{room.session_id}/orders",
            json={"lines": [{"sku_id": room.listed.sku_ids[0], "quantity": 2}], "address": ADDRESS},
            headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        await api.pay(buyer, placed.json()["id"])
        await api.runtime.dispatcher.run_once()
        purchase = next(e for e in await _events_until(ws, "purchase") if e["type"] == "purchase")
        comment = await api.client.post(
            f"/api/v1/sessions/{room.session_id}/comments",
            json={"text": "又来买了"},
            headers=buyer.auth,
        )
        said = next(e for e in await _events_until(ws, "comment") if e["type"] == "comment")

    assert purchase["buyer"] == "王**"
    assert (purchase["product_id"], purchase["quantity"]) == (room.listed.product_id, 2)
    assert purchase["title"] == "赣南脐橙"
    assert comment.status_code == 201
    assert comment.json()["badge"] == {"level": 1, "label": "老粉 Lv1"}
    assert (said["name"], said["text"], said["badge"]["level"]) == ("王**", "又来买了", 1)


async def test_unknown_room_and_bad_token_are_refused(api: Api) -> None:
    room = await live_room(api)

    async with room_socket(_app(api), "/ws/rooms/12345") as ws:
        missing = await ws.closed_with()
    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}", "ticket=tlt_nope") as ws:
        bad = await ws.closed_with()

    assert (missing, bad) == (4404, 4401)


async def test_viewers_joining_together_share_one_snapshot_query_and_miss_nothing_after_it(
    api: Api, monkeypatch: Any
) -> None:
    from trustlive.live.state import room_detail as real

    room = await live_room(api)
    queries = 0

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal queries
        queries += 1
        await asyncio.sleep(0.05)  # long enough for the others to arrive meanwhile
        return await real(*args, **kwargs)

    monkeypatch.setattr("trustlive.live.ws.room_detail", counted)
    async with contextlib.AsyncExitStack() as stack:
        path = f"/ws/rooms/{room.room_id}"
        sockets = await asyncio.gather(
            *(stack.enter_async_context(room_socket(_app(api), path)) for _ in range(12))
        )
        firsts = [await ws.frame() for ws in sockets]
        await api.client.put(
            f"/api/v1/sessions/{room.session_id}/spotlight",
            json={"pin_id": room.pin_id},
            headers=room.listed.owner.auth,
        )
        await _settled(api)
        after = [await _events_until(ws, "spotlight") for ws in sockets]

    assert queries == 1
    assert all(f["events"][0]["type"] == "snapshot" for f in firsts)
    assert all(any(e["type"] == "spotlight" for e in events) for events in after)
