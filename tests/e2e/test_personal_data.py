"""Buyers' personal data: masked for everyone but the buyer; staff who ship reveal one order's
address through an audited, daily-limited action the shop owner can read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.api import ADDRESS, Api, Listed, User
from trustlive.kernel.clock import FixedClock
from trustlive.orders import reveals
from trustlive.orders.models import AddressReveal

MASKED = {
    "recipient": "王*",
    "phone": "138****8000",
    "province": "江西省",
    "city": "赣州市",
    "district": "章贡区",
    "detail": "****",
}
WHY = {"reason": "打印面单 printing the waybill"}


async def _staff(api: Api, listed: Listed, role: str) -> User:
    user = await api.user()
    r = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/staff",
        json={"user_id": user.id, "role": role},
        headers=listed.owner.auth,
    )
    assert r.status_code == 201, r.text
    return user


async def _paid_order(api: Api) -> tuple[Listed, User, str]:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    return listed, buyer, order["id"]


async def test_only_the_buyer_sees_the_address_whole(api: Api) -> None:
    listed, buyer, order_id = await _paid_order(api)
    service = await _staff(api, listed, "customer_service")
    operator = await api.operator()

    assert (await api.order(buyer, order_id))["address"] == ADDRESS
    mine = await api.client.get("/api/v1/me/orders", headers=buyer.auth)
    assert mine.json()["items"][0]["address"] == ADDRESS
    for viewer in (listed.owner, service, operator):
        assert (await api.order(viewer, order_id))["address"] == MASKED
    listing = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/orders", headers=listed.owner.auth
    )
    assert [o["address"] for o in listing.json()["items"]] == [MASKED]
    shipped = await api.ship(listed.owner, order_id)
    assert shipped["address"] == MASKED
    assert await api.count(AddressReveal) == 0


async def test_fulfilment_staff_reveal_one_address_and_the_owner_reads_who_when_why(
    api: Api, clock: FixedClock
) -> None:
    listed, _buyer, order_id = await _paid_order(api)
    packer = await _staff(api, listed, "fulfilment")

    r = await api.client.post(
        f"/api/v1/orders/{order_id}/address-reveals", json=WHY, headers=packer.auth
    )
    assert r.status_code == 201, r.text
    assert r.json()["address"] == ADDRESS
    assert (r.json()["order_id"], r.json()["user_id"]) == (order_id, packer.id)
    assert (await api.order(packer, order_id))["address"] == MASKED  # still masked elsewhere

    audit = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/address-reveals", headers=listed.owner.auth
    )
    assert audit.status_code == 200
    assert [
        (a["order_id"], a["user_id"], a["user_name"], a["reason"], a["revealed_at"])
        for a in audit.json()["items"]
    ] == [(order_id, packer.id, "王小明", WHY["reason"], "2026-03-01T09:00:00Z")]
    refused = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/address-reveals", headers=packer.auth
    )
    assert refused.status_code == 403


async def test_no_one_outside_the_shops_shippers_may_reveal(api: Api) -> None:
    listed, buyer, order_id = await _paid_order(api)
    service = await _staff(api, listed, "customer_service")
    other_shop, _, _ = await _paid_order(api)
    operator = await api.operator()
    path = f"/api/v1/orders/{order_id}/address-reveals"

    answers = {
        who: await api.client.post(path, json=WHY, headers=user.auth)
        for who, user in (
            ("other shop owner", other_shop.owner),
            ("buyer", buyer),
            ("operator", operator),
            ("customer service", service),
        )
    }
    assert {who: r.status_code for who, r in answers.items()} == {
        "other shop owner": 404,
        "buyer": 404,
        "operator": 404,
        "customer service": 403,
    }
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers.values())
    assert all("红旗大道" not in r.text for r in answers.values())
    audit = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/address-reveals", headers=other_shop.owner.auth
    )
    assert audit.status_code == 403
    assert await api.count(AddressReveal) == 0


async def test_reveals_past_the_daily_limit_answer_429_and_record_nothing(
    api: Api, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        reveals, "load_reveal_policy", lambda: reveals.RevealPolicy("test", per_staff_per_day=2)
    )
    listed, _buyer, order_id = await _paid_order(api)
    path = f"/api/v1/orders/{order_id}/address-reveals"
    for _ in range(2):
        ok = await api.client.post(path, json=WHY, headers=listed.owner.auth)
        assert ok.status_code == 201, ok.text

    clock.advance(timedelta(hours=23, minutes=59))
    await api.relogin(listed.owner)
    r = await api.client.post(path, json=WHY, headers=listed.owner.auth)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/address-reveal-limit-reached")
    assert "address" not in r.json()
    assert await api.count(AddressReveal) == 2

    clock.advance(timedelta(minutes=1))  # the first two are now a day old
    again = await api.client.post(path, json=WHY, headers=listed.owner.auth)
    assert again.status_code == 201
    assert await api.count(AddressReveal) == 3


async def test_a_reveal_needs_a_reason(api: Api) -> None:
    listed, _buyer, order_id = await _paid_order(api)
    r = await api.client.post(
        f"/api/v1/orders/{order_id}/address-reveals",
        json={"reason": " "},
        headers=listed.owner.auth,
    )
    assert r.status_code == 422
    assert await api.count(AddressReveal) == 0


async def test_owner_page_lists_the_reveals_from_the_api(api: Api) -> None:
    r = await api.client.get("/seller/shops/123/address-reveals")
    assert r.status_code == 200
    assert 'id="reveals"' in r.text
    assert "/shops/${shopId}/address-reveals" in r.text
