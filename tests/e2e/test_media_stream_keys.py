"""A room's stream key over HTTP: only the room's broadcasters read or rotate it; the key itself
is shown once, when issued, and only its hash is kept."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.api import Api, User
from trustlive.media.domain import hash_key
from trustlive.media.models import StreamKey


async def _shop_room(api: Api) -> tuple[User, str]:
    owner = await api.user()
    shop_id = await api.shop(owner)
    r = await api.client.get(f"/api/v1/shops/{shop_id}/room")
    assert r.status_code == 200, r.text
    return owner, r.json()["id"]


async def _key_hashes(api: Api) -> list[str]:
    async with api.runtime.sessions() as s:
        return list(await s.scalars(select(StreamKey.key_hash)))


async def test_the_owner_rotates_a_key_sees_it_once_and_afterwards_only_its_hint(
    api: Api,
) -> None:
    owner, room_id = await _shop_room(api)

    before = await api.client.get(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    issued = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    after = await api.client.get(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)

    assert before.status_code == 200
    assert (before.json()["hint"], before.json()["key"]) == (None, None)
    assert issued.status_code == 201
    key = issued.json()["key"]
    assert key.startswith("tl_")
    assert len(key) == 35
    assert issued.json()["ingest_url"] == "rtmp://127.0.0.1:1935/live"
    assert issued.json()["playback_url"] == f"http://127.0.0.1:8080/hls/room-{room_id}.m3u8"
    assert after.json()["hint"] == key[:7]
    assert after.json()["key"] is None
    assert await _key_hashes(api) == [hash_key(key)]  # the key itself is stored nowhere


async def test_rotating_replaces_the_key(api: Api) -> None:
    owner, room_id = await _shop_room(api)
    first = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    second = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)

    assert first.json()["key"] != second.json()["key"]
    assert await _key_hashes(api) == [hash_key(second.json()["key"])]


async def test_another_shops_staff_a_buyer_and_strangers_cannot_read_or_rotate_a_key(
    api: Api,
) -> None:
    owner, room_id = await _shop_room(api)
    issued = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=owner.auth)
    other_owner, _ = await _shop_room(api)
    buyer = await api.user()

    for who in (other_owner, buyer):
        read = await api.client.get(f"/api/v1/rooms/{room_id}/stream-key", headers=who.auth)
        rotate = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=who.auth)
        assert (read.status_code, rotate.status_code) == (403, 403)
        assert rotate.headers["content-type"] == "application/problem+json"
    anonymous = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key")
    assert anonymous.status_code == 401
    assert await _key_hashes(api) == [hash_key(issued.json()["key"])]  # unchanged


async def test_the_shops_anchor_may_rotate_but_its_customer_service_may_not(api: Api) -> None:
    owner, room_id = await _shop_room(api)
    shop_id = (await api.client.get(f"/api/v1/rooms/{room_id}")).json()["shop_id"]
    anchor, agent = await api.user(), await api.user()
    for user, role in ((anchor, "anchor"), (agent, "customer_service")):
        r = await api.client.post(
            f"/api/v1/shops/{shop_id}/staff",
            json={"user_id": user.id, "role": role},
            headers=owner.auth,
        )
        assert r.status_code == 201, r.text

    by_agent = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=agent.auth)
    by_anchor = await api.client.post(f"/api/v1/rooms/{room_id}/stream-key", headers=anchor.auth)

    assert by_agent.status_code == 403
    assert by_anchor.status_code == 201
    assert await _key_hashes(api) == [hash_key(by_anchor.json()["key"])]


async def test_a_key_for_a_room_that_does_not_exist_is_404(api: Api) -> None:
    owner = await api.user()
    r = await api.client.post("/api/v1/rooms/123456789/stream-key", headers=owner.auth)
    assert r.status_code == 404
    assert await _key_hashes(api) == []
