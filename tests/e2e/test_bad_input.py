"""Bad input gets a 4xx problem+json answer, never a 500, and writes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.api import ADDRESS, Api
from trustlive.catalog.models import Product, Sku
from trustlive.kernel.models import IdempotencyRecord, OutboxEvent
from trustlive.orders.models import Order, OrderLine


def _problem(r: Any, status: int, type_suffix: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    if type_suffix:
        assert body["type"].endswith("/" + type_suffix), body
    return body


async def _nothing_written(api: Api, *, orders: int = 0) -> None:
    assert await api.count(Order) == orders
    assert await api.count(OrderLine) == 0 if orders == 0 else True
    assert await api.count(IdempotencyRecord) == orders


@pytest.mark.parametrize(
    ("lines", "status", "problem"),
    [
        ([{"sku_id": "SKU", "quantity": 0}], 422, "validation-failed"),
        ([{"sku_id": "SKU", "quantity": -1}], 422, "validation-failed"),
        ([{"sku_id": "SKU", "quantity": 1000}], 422, "validation-failed"),
        ([{"sku_id": "SKU", "quantity": 11}], 409, "insufficient-stock"),
        ([{"sku_id": "123456789", "quantity": 1}], 422, "unknown-sku"),
        ([{"sku_id": "not-a-number", "quantity": 1}], 422, "validation-failed"),
        ([], 422, "validation-failed"),
        (
            [{"sku_id": "SKU", "quantity": 1}, {"sku_id": "SKU2", "quantity": 11}],
            409,
            "insufficient-stock",
        ),
    ],
)
async def test_bad_order_lines_are_refused_with_nothing_reserved(
    api: Api, lines: list[dict[str, Any]], status: int, problem: str
) -> None:
    listed = await api.listed_product(stock=10, skus=2)
    buyer = await api.user()
    for line in lines:
        line["sku_id"] = {"SKU": listed.sku_ids[0], "SKU2": listed.sku_ids[1]}.get(
            line["sku_id"], line["sku_id"]
        )
    events_before = await api.count(OutboxEvent)
    r = await api.client.post(
        "/api/v1/orders",
        json={"lines": lines, "address": ADDRESS},
        headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    _problem(r, status, problem)
    await _nothing_written(api)
    assert await api.stock(listed.owner, listed.product_id) == [10, 10]
    assert await api.count(OutboxEvent) == events_before


async def test_malformed_json_is_a_400(api: Api) -> None:
    buyer = await api.user()
    r = await api.client.post(
        "/api/v1/orders",
        content=b'{"lines": [',
        headers={**buyer.auth, "content-type": "application/json", "Idempotency-Key": "x"},
    )
    _problem(r, 400, "malformed-json")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_wrong_content_types_are_a_415(api: Api, content_type: str) -> None:
    buyer = await api.user()
    headers = {**buyer.auth, "Idempotency-Key": "x"}
    if content_type:
        headers["content-type"] = content_type
    r = await api.client.post("/api/v1/orders", content=b"lines=1", headers=headers)
    _problem(r, 415, "unsupported-media-type")


@pytest.mark.parametrize(
    ("patch", "problem"),
    [
        ({"skus": [{"spec_name": "a", "price_fen": 0}]}, "validation-failed"),
        ({"skus": [{"spec_name": "a", "price_fen": 100_000_001}]}, "validation-failed"),
        ({"skus": [{"spec_name": "a", "price_fen": -5}]}, "validation-failed"),
        ({"title": "x" * 61}, "validation-failed"),
        ({"title": ""}, "validation-failed"),
        ({"description": "x" * 5001}, "validation-failed"),
        ({"category": "weapons"}, "unknown-category"),
        ({"image_urls": ["not a url"]}, "validation-failed"),
        ({"image_urls": ["https://a.example/x.jpg"] * 10}, "validation-failed"),
        ({"unknown_field": 1}, "validation-failed"),
    ],
)
async def test_bad_product_input_is_refused_and_nothing_changes(
    api: Api, patch: dict[str, Any], problem: str
) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    base = {"title": "好物", "category": "snacks", "skus": [{"spec_name": "a", "price_fen": 100}]}
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/products", json={**base, **patch}, headers=owner.auth
    )
    _problem(r, 422, problem)
    assert await api.count(Product) == 0
    assert await api.count(Sku) == 0


async def test_unknown_ids_are_404_problems(api: Api) -> None:
    user = await api.user()
    for path in (
        "/api/v1/orders/42",
        "/api/v1/products/42",
        "/api/v1/shops/42",
        "/api/v1/users/42",
    ):
        _problem(await api.client.get(path, headers=user.auth), 404, "not-found")
    _problem(await api.client.get("/api/v1/nowhere"), 404, "not-found")
    _problem(await api.client.put("/api/v1/me/following/42", headers=user.auth), 404, "not-found")


async def test_ids_out_of_range_are_422_not_500(api: Api) -> None:
    user = await api.user()
    r = await api.client.get("/api/v1/orders/99999999999999999999999", headers=user.auth)
    assert r.status_code in (404, 422)
    assert r.headers["content-type"] == "application/problem+json"


async def test_stock_cannot_be_cut_below_zero(api: Api) -> None:
    listed = await api.listed_product(stock=2)
    r = await api.client.post(
        f"/api/v1/skus/{listed.sku_ids[0]}/stock-adjustments",
        json={"delta": -3, "reason": "count"},
        headers=listed.owner.auth,
    )
    body = _problem(r, 409, "stock-would-go-negative")
    assert "stock is 2" in body["detail"]
    assert await api.stock(listed.owner, listed.product_id) == [2]


async def test_over_long_review_text_and_bad_ratings_are_refused(api: Api) -> None:
    buyer = await api.user()
    for body in (
        {"rating_described": 6, "rating_service": 5, "rating_logistics": 5},
        {"rating_described": 0, "rating_service": 5, "rating_logistics": 5},
        {"rating_described": 5, "rating_service": 5, "rating_logistics": 5, "text": "x" * 1001},
    ):
        r = await api.client.post("/api/v1/orders/42/review", json=body, headers=buyer.auth)
        _problem(r, 422, "validation-failed")


async def test_shipping_needs_a_plausible_tracking_number(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    r = await api.client.post(
        f"/api/v1/orders/{order['id']}/shipment",
        json={"carrier": "顺丰", "tracking_no": "<script>"},
        headers=listed.owner.auth,
    )
    _problem(r, 422, "validation-failed")
    assert (await api.order(buyer, order["id"]))["status"] == "paid"


async def test_undefined_transitions_are_409_with_the_current_status(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    ship = await api.client.post(
        f"/api/v1/orders/{order['id']}/shipment",
        json={"carrier": "顺丰", "tracking_no": "SF0001"},
        headers=listed.owner.auth,
    )
    body = _problem(ship, 409, "illegal-order-transition")
    assert body["current_status"] == "pending_payment"
    receipt = await api.client.post(f"/api/v1/orders/{order['id']}/receipt", headers=buyer.auth)
    _problem(receipt, 409, "illegal-order-transition")
    await api.pay(buyer, order["id"])
    again = await api.client.post(f"/api/v1/orders/{order['id']}/payments", headers=buyer.auth)
    _problem(again, 409, "illegal-order-transition")
    cancel = await api.client.post(f"/api/v1/orders/{order['id']}/cancel", headers=buyer.auth)
    _problem(cancel, 409, "illegal-order-transition")
    assert (await api.order(buyer, order["id"]))["status"] == "paid"


async def test_ordering_an_unlisted_product_is_refused(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    r = await api.client.post(
        f"/api/v1/products/{listed.product_id}/delist", headers=listed.owner.auth
    )
    assert r.status_code == 200
    buyer = await api.user()
    _problem(
        await api.client.post(
            "/api/v1/orders",
            json={"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": ADDRESS},
            headers={**buyer.auth, "Idempotency-Key": "k"},
        ),
        409,
        "product-not-on-sale",
    )
    assert await api.stock(listed.owner, listed.product_id) == [5]


async def test_orders_across_two_shops_are_refused(api: Api) -> None:
    a = await api.listed_product(stock=5)
    b = await api.listed_product(stock=5)
    buyer = await api.user()
    r = await api.place(buyer, [(a.sku_ids[0], 1), (b.sku_ids[0], 1)], expect=422)
    assert r["type"].endswith("/mixed-shops")
    assert await api.stock(a.owner, a.product_id) == [5]


async def test_bad_addresses_are_refused(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    for address in (
        {**ADDRESS, "phone": "call me"},
        {**ADDRESS, "detail": "x" * 121},
        {k: v for k, v in ADDRESS.items() if k != "city"},
    ):
        r = await api.client.post(
            "/api/v1/orders",
            json={"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": address},
            headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        _problem(r, 422, "validation-failed")
    await _nothing_written(api)
