"""Rooms, sessions, pins and spotlight over HTTP, with who may do what."""

from __future__ import annotations

import uuid

from tests.support.api import ADDRESS, Api
from tests.support.live import live_room
from trustlive.live.models import LiveSession, Pin


async def test_a_shop_gets_its_room_when_it_opens(api: Api) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner, "老王的果园")
    await api.runtime.dispatcher.run_once()

    r = await api.client.get(f"/api/v1/shops/{shop_id}/room")

    assert r.status_code == 200
    room = r.json()
    assert (room["owner_kind"], room["shop_id"], room["name"]) == ("shop", shop_id, "老王的果园")
    assert room["session"] is None
    again = await api.client.get(f"/api/v1/rooms/{room['id']}")
    assert again.json()["id"] == room["id"]


async def test_owner_starts_pins_spotlights_and_ends_a_session(api: Api) -> None:
    room = await live_room(api, stock=8, price_fen=3990)
    owner = room.listed.owner

    listed = (await api.client.get("/api/v1/rooms?live=true")).json()
    detail = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()
    r = await api.client.put(
        f"/api/v1/sessions/{room.session_id}/spotlight",
        json={"pin_id": room.pin_id},
        headers=owner.auth,
    )
    after = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()
    again = await api.client.post(
        f"/api/v1/rooms/{room.room_id}/sessions", json={"title": "第二场"}, headers=owner.auth
    )
    ended = await api.client.post(f"/api/v1/sessions/{room.session_id}/end", headers=owner.auth)

    assert [x["id"] for x in listed] == [room.room_id]
    assert detail["session"]["title"] == "今晚脐橙专场"
    assert [(p["id"], p["position"], p["min_price_fen"]) for p in detail["pins"]] == [
        (room.pin_id, 1, 3990)
    ]
    assert detail["pins"][0]["skus"][0]["stock"] == 8
    assert r.status_code == 200
    assert after["spotlight"]["id"] == room.pin_id
    assert again.status_code == 409
    assert again.json()["type"].endswith("/session-already-live")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    assert (await api.client.get("/api/v1/rooms?live=true")).json() == []


async def test_strangers_cannot_run_someone_elses_room(api: Api) -> None:
    room = await live_room(api)
    stranger = await api.user()
    other = await api.listed_product()

    start = await api.client.post(
        f"/api/v1/rooms/{room.room_id}/sessions", json={"title": "x"}, headers=stranger.auth
    )
    pin = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/pins",
        json={"product_id": other.product_id},
        headers=stranger.auth,
    )
    end = await api.client.post(f"/api/v1/sessions/{room.session_id}/end", headers=stranger.auth)
    foreign = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/pins",
        json={"product_id": other.product_id},
        headers=room.listed.owner.auth,
    )
    stats = await api.client.get(f"/api/v1/sessions/{room.session_id}", headers=stranger.auth)

    assert [start.status_code, pin.status_code, end.status_code] == [403, 403, 403]
    assert foreign.status_code == 403
    assert foreign.json()["type"].endswith("/product-of-another-shop")
    assert stats.status_code == 200
    assert stats.json()["gmv_fen"] is None
    assert await api.count(LiveSession) == 1
    assert await api.count(Pin) == 1


async def test_reorder_and_unpin(api: Api) -> None:
    room = await live_room(api)
    owner = room.listed.owner
    second = await api.listed_product(owner, shop_id=room.listed.shop_id)
    pins = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/pins",
        json={"product_id": second.product_id},
        headers=owner.auth,
    )
    ids = [p["id"] for p in pins.json()]

    bad = await api.client.put(
        f"/api/v1/sessions/{room.session_id}/pins", json={"pin_ids": ids[:1]}, headers=owner.auth
    )
    reordered = await api.client.put(
        f"/api/v1/sessions/{room.session_id}/pins",
        json={"pin_ids": list(reversed(ids))},
        headers=owner.auth,
    )
    unpinned = await api.client.delete(
        f"/api/v1/sessions/{room.session_id}/pins/{ids[0]}", headers=owner.auth
    )

    assert bad.status_code == 422
    assert [p["id"] for p in reordered.json()] == list(reversed(ids))
    assert [p["id"] for p in unpinned.json()] == [ids[1]]


async def test_room_orders_are_attributed_and_generic_checkout_cannot_claim_a_room(
    api: Api,
) -> None:
    room = await live_room(api, stock=5, price_fen=2000)
    buyer = await api.user()
    unpinned = await api.listed_product(room.listed.owner, shop_id=room.listed.shop_id)

    spoof = await api.client.post(
        "/api/v1/orders",
        json={
            "lines": [{"sku_id": room.listed.sku_ids[0], "quantity": 1}],
            "address": ADDRESS,
            "room_id": room.room_id,
        },
        headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    not_pinned = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/orders",
        json={"lines": [{"sku_id": unpinned.sku_ids[0], "quantity": 1}], "address": ADDRESS},
        headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    placed = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/orders",
        json={"lines": [{"sku_id": room.listed.sku_ids[0], "quantity": 2}], "address": ADDRESS},
        headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    order = placed.json()
    await api.pay(buyer, order["id"])
    await api.runtime.dispatcher.run_once()
    stats = await api.client.get(
        f"/api/v1/sessions/{room.session_id}", headers=room.listed.owner.auth
    )

    assert spoof.status_code == 422
    assert not_pinned.status_code == 422
    assert not_pinned.json()["type"].endswith("/product-not-pinned")
    assert placed.status_code == 201
    assert (order["room_id"], order["live_session_id"]) == (room.room_id, room.session_id)
    body = stats.json()
    assert (body["orders"], body["gmv_fen"]) == (1, 4000)
    assert body["pins"] == [
        {
            "pin_id": room.pin_id,
            "product_id": room.listed.product_id,
            "clicks": 0,
            "units": 2,
            "gmv_fen": 4000,
        }
    ]
    assert await api.stock(room.listed.owner, room.listed.product_id) == [3]


async def test_pin_clicks_count(api: Api) -> None:
    room = await live_room(api)

    r = await api.client.post(f"/api/v1/sessions/{room.session_id}/pins/{room.pin_id}/clicks")
    missing = await api.client.post(f"/api/v1/sessions/{room.session_id}/pins/12345/clicks")

    assert (r.status_code, missing.status_code) == (204, 404)
    detail = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()
    assert detail["pins"][0]["clicks"] == 1
