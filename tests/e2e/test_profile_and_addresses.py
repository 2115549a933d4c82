"""A buyer's profile, saved addresses and follow state over HTTP; nobody else reaches them."""

from __future__ import annotations

from typing import Any

from tests.support.api import ADDRESS, Api, User
from trustlive.accounts.models import Address
from trustlive.accounts.schemas import SavedAddressIn
from trustlive.orders import AddressIn as OrderAddressIn

HOME = {**ADDRESS, "detail": "红旗大道 88 号"}
WORK = {**ADDRESS, "recipient": "李四", "phone": "13912345678", "detail": "章江路 1 号 5 楼"}


async def _add(api: Api, who: User, body: dict[str, Any], expect: int = 201) -> dict[str, Any]:
    r = await api.client.post("/api/v1/me/addresses", json=body, headers=who.auth)
    assert r.status_code == expect, r.text
    out: dict[str, Any] = r.json()
    return out


async def _mine(api: Api, who: User) -> list[dict[str, Any]]:
    r = await api.client.get("/api/v1/me/addresses", headers=who.auth)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_buyer_renames_themself(api: Api) -> None:
    buyer = await api.user(display_name="王小明")
    r = await api.client.patch(
        "/api/v1/users/me", json={"display_name": "  小明  "}, headers=buyer.auth
    )
    assert r.status_code == 200, r.text
    assert r.json()["display_name"] == "小明"
    me = await api.client.get("/api/v1/users/me", headers=buyer.auth)
    assert me.json()["display_name"] == "小明"


async def test_an_empty_display_name_is_refused_with_a_sentence(api: Api) -> None:
    buyer = await api.user(display_name="王小明")
    r = await api.client.patch("/api/v1/users/me", json={"display_name": "  "}, headers=buyer.auth)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    me = await api.client.get("/api/v1/users/me", headers=buyer.auth)
    assert me.json()["display_name"] == "王小明"


async def test_renaming_needs_a_login(api: Api) -> None:
    r = await api.client.patch("/api/v1/users/me", json={"display_name": "x"})
    assert r.status_code == 401


async def test_the_first_address_is_the_default_and_a_new_default_replaces_it(api: Api) -> None:
    buyer = await api.user()
    home = await _add(api, buyer, HOME)
    work = await _add(api, buyer, WORK)
    assert (home["is_default"], work["is_default"]) == (True, False)
    assert [a["id"] for a in await _mine(api, buyer)] == [home["id"], work["id"]]

    r = await api.client.patch(
        f"/api/v1/me/addresses/{work['id']}", json={"is_default": True}, headers=buyer.auth
    )
    assert r.status_code == 200, r.text
    mine = await _mine(api, buyer)
    assert [(a["id"], a["is_default"]) for a in mine] == [(work["id"], True), (home["id"], False)]


async def test_the_owner_sees_the_address_whole(api: Api) -> None:
    buyer = await api.user()
    await _add(api, buyer, HOME)
    [saved] = await _mine(api, buyer)
    assert {k: saved[k] for k in HOME} == HOME


async def test_changing_one_field_keeps_the_others(api: Api) -> None:
    buyer = await api.user()
    home = await _add(api, buyer, HOME)
    r = await api.client.patch(
        f"/api/v1/me/addresses/{home['id']}", json={"detail": "新地址 9 号"}, headers=buyer.auth
    )
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in HOME} == {**HOME, "detail": "新地址 9 号"}


async def test_deleting_the_default_makes_the_newest_left_the_default(api: Api) -> None:
    buyer = await api.user()
    home = await _add(api, buyer, HOME)
    first_other = await _add(api, buyer, WORK)
    newest = await _add(api, buyer, {**WORK, "detail": "最新 3 号"})
    r = await api.client.delete(f"/api/v1/me/addresses/{home['id']}", headers=buyer.auth)
    assert r.status_code == 204
    mine = await _mine(api, buyer)
    assert [(a["id"], a["is_default"]) for a in mine] == [
        (newest["id"], True),
        (first_other["id"], False),
    ]


async def test_an_address_book_holds_twenty(api: Api) -> None:
    buyer = await api.user()
    for n in range(20):
        await _add(api, buyer, {**HOME, "detail": f"{n} 号"})
    refused = await _add(api, buyer, HOME, expect=409)
    assert refused["type"].endswith("/too-many-addresses")
    assert "delete one" in refused["detail"]
    assert len(await _mine(api, buyer)) == 20


async def test_a_bad_phone_is_refused_and_nothing_is_saved(api: Api) -> None:
    buyer = await api.user()
    r = await api.client.post(
        "/api/v1/me/addresses", json={**HOME, "phone": "call me"}, headers=buyer.auth
    )
    assert r.status_code == 422
    assert await api.count(Address) == 0


async def test_another_buyer_can_neither_see_change_nor_delete_an_address(api: Api) -> None:
    owner, other = await api.user(), await api.user()
    home = await _add(api, owner, HOME)
    assert await _mine(api, other) == []
    changed = await api.client.patch(
        f"/api/v1/me/addresses/{home['id']}",
        json={"detail": "偷改 1 号", "is_default": True},
        headers=other.auth,
    )
    deleted = await api.client.delete(f"/api/v1/me/addresses/{home['id']}", headers=other.auth)
    assert (changed.status_code, deleted.status_code) == (404, 404)
    [kept] = await _mine(api, owner)
    assert {k: kept[k] for k in (*HOME, "is_default")} == {**HOME, "is_default": True}


async def test_addresses_need_a_login(api: Api) -> None:
    owner = await api.user()
    home = await _add(api, owner, HOME)
    assert (await api.client.get("/api/v1/me/addresses")).status_code == 401
    assert (await api.client.post("/api/v1/me/addresses", json=HOME)).status_code == 401
    assert (await api.client.delete(f"/api/v1/me/addresses/{home['id']}")).status_code == 401
    assert len(await _mine(api, owner)) == 1


async def test_a_saved_address_passes_checkout_as_it_is(api: Api) -> None:
    """The saved address is the order's address: same fields, same limits."""
    saved = SavedAddressIn.model_json_schema()
    order = OrderAddressIn.model_json_schema()
    saved["properties"].pop("is_default")
    assert saved["properties"] == order["properties"]
    assert saved["required"] == order["required"]

    listed = await api.listed_product()
    buyer = await api.user()
    home = await _add(api, buyer, HOME)
    address = {k: home[k] for k in HOME}
    r = await api.client.post(
        "/api/v1/orders",
        json={"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": address},
        headers={**buyer.auth, "Idempotency-Key": "a6b0b3c2-5d2e-4d4e-9f1a-0c0b0a090807"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["address"] == HOME


async def test_follow_state_says_both_directions(api: Api) -> None:
    me, seller = await api.user(), await api.user()
    url = f"/api/v1/me/following/{seller.id}"
    assert (await api.client.get(url, headers=me.auth)).json() == {
        "following": False,
        "followed_by": False,
    }
    await api.follow(me, seller.id)
    await api.follow(seller, me.id)
    assert (await api.client.get(url, headers=me.auth)).json() == {
        "following": True,
        "followed_by": True,
    }


async def test_follow_state_of_an_unknown_user_is_not_found(api: Api) -> None:
    me = await api.user()
    r = await api.client.get("/api/v1/me/following/123456789", headers=me.auth)
    assert r.status_code == 404
