"""Idempotency-Key on placeOrder: a retry returns the first order and reserves nothing more."""

from __future__ import annotations

import asyncio

from tests.support.api import ADDRESS, Api
from trustlive.orders.models import Order


async def test_a_retry_with_the_same_key_returns_the_same_order(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    buyer = await api.user()
    first = await api.place(buyer, [(listed.sku_ids[0], 2)], key="k-1")
    again = await api.place(buyer, [(listed.sku_ids[0], 2)], key="k-1")
    assert again["id"] == first["id"]
    assert await api.count(Order) == 1
    assert await api.stock(listed.owner, listed.product_id) == [3]


async def test_concurrent_retries_with_one_key_create_one_order(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    buyer = await api.user()
    body = {"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": ADDRESS}
    headers = {**buyer.auth, "Idempotency-Key": "same-key"}
    replies = await asyncio.gather(
        *(api.client.post("/api/v1/orders", json=body, headers=headers) for _ in range(5))
    )
    assert {r.status_code for r in replies} == {201}
    assert len({r.json()["id"] for r in replies}) == 1
    assert await api.count(Order) == 1
    assert await api.stock(listed.owner, listed.product_id) == [4]


async def test_the_same_key_for_a_different_order_is_refused(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    buyer = await api.user()
    await api.place(buyer, [(listed.sku_ids[0], 1)], key="k-2")
    r = await api.place(buyer, [(listed.sku_ids[0], 2)], key="k-2", expect=422)
    assert r["type"].endswith("/idempotency-key-reused")
    assert await api.count(Order) == 1


async def test_keys_are_per_buyer(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    a, b = await api.user(), await api.user()
    one = await api.place(a, [(listed.sku_ids[0], 1)], key="shared")
    two = await api.place(b, [(listed.sku_ids[0], 1)], key="shared")
    assert one["id"] != two["id"]


async def test_an_order_without_a_key_is_refused(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    r = await api.client.post(
        "/api/v1/orders",
        json={"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": ADDRESS},
        headers=buyer.auth,
    )
    assert r.status_code == 400
    assert r.json()["type"].endswith("/idempotency-key-missing")
    assert await api.count(Order) == 0
