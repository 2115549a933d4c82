"""Forbidden paths: other people's orders, other shops' products and orders. Nothing may change."""

from __future__ import annotations

from tests.support.api import Api
from trustlive.catalog.models import StockAdjustment
from trustlive.shops.models import ShopStaff


async def test_a_buyer_cannot_see_or_act_on_another_buyers_order(api: Api) -> None:
    listed = await api.listed_product()
    owner_buyer, other = await api.user(), await api.user()
    order = await api.place(owner_buyer, [(listed.sku_ids[0], 1)])
    oid = order["id"]

    assert (await api.client.get(f"/api/v1/orders/{oid}", headers=other.auth)).status_code == 404
    assert (
        await api.client.post(f"/api/v1/orders/{oid}/payments", headers=other.auth)
    ).status_code == 404
    assert (
        await api.client.post(f"/api/v1/orders/{oid}/cancel", headers=other.auth)
    ).status_code == 404
    mine = await api.client.get("/api/v1/me/orders", headers=other.auth)
    assert mine.json()["items"] == []
    assert (await api.order(owner_buyer, oid))["status"] == "pending_payment"


async def test_another_shop_cannot_ship_list_or_see_the_order(api: Api) -> None:
    listed = await api.listed_product()
    rival = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])

    ship = await api.client.post(
        f"/api/v1/orders/{order['id']}/shipment",
        json={"carrier": "顺丰", "tracking_no": "SF0001"},
        headers=rival.owner.auth,
    )
    assert ship.status_code == 403
    assert ship.json()["type"].endswith("/forbidden")
    seen = await api.client.get(f"/api/v1/orders/{order['id']}", headers=rival.owner.auth)
    assert seen.status_code == 404
    listing = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/orders", headers=rival.owner.auth
    )
    assert listing.status_code == 403
    assert (await api.order(buyer, order["id"]))["status"] == "paid"


async def test_another_shop_cannot_change_a_product_or_its_stock(api: Api) -> None:
    listed = await api.listed_product(stock=10)
    rival = await api.user()
    await api.shop(rival)
    before = await api.count(StockAdjustment)

    calls = [
        api.client.patch(
            f"/api/v1/products/{listed.product_id}", json={"title": "假货"}, headers=rival.auth
        ),
        api.client.post(f"/api/v1/products/{listed.product_id}/delist", headers=rival.auth),
        api.client.post(
            f"/api/v1/skus/{listed.sku_ids[0]}/stock-adjustments",
            json={"delta": -10, "reason": "sabotage"},
            headers=rival.auth,
        ),
        api.client.post(
            f"/api/v1/shops/{listed.shop_id}/products",
            json={"title": "x", "category": "snacks", "skus": [{"spec_name": "a", "price_fen": 1}]},
            headers=rival.auth,
        ),
    ]
    for call in calls:
        r = await call
        assert r.status_code == 403, r.text
    product = (await api.client.get(f"/api/v1/products/{listed.product_id}")).json()
    assert (product["title"], product["status"], product["skus"][0]["stock"]) == (
        "赣南脐橙",
        "listed",
        10,
    )
    assert await api.count(StockAdjustment) == before


async def test_staff_roles_limit_what_staff_may_do(api: Api) -> None:
    listed = await api.listed_product()
    shipper, service_agent = await api.user(), await api.user()
    for user, role in ((shipper, "fulfilment"), (service_agent, "customer_service")):
        r = await api.client.post(
            f"/api/v1/shops/{listed.shop_id}/staff",
            json={"user_id": user.id, "role": role},
            headers=listed.owner.auth,
        )
        assert r.status_code == 201, r.text
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])

    by_agent = await api.client.post(
        f"/api/v1/orders/{order['id']}/shipment",
        json={"carrier": "顺丰", "tracking_no": "SF0001"},
        headers=service_agent.auth,
    )
    assert by_agent.status_code == 403
    edit = await api.client.patch(
        f"/api/v1/products/{listed.product_id}", json={"title": "改"}, headers=shipper.auth
    )
    assert edit.status_code == 403
    staff_add = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/staff",
        json={"user_id": buyer.id, "role": "admin"},
        headers=shipper.auth,
    )
    assert staff_add.status_code == 403
    assert (await api.ship(shipper, order["id"]))["status"] == "shipped"
    assert await api.count(ShopStaff) == 3


async def test_nobody_can_be_made_owner_and_admins_are_the_owners_to_make(api: Api) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    admin, someone = await api.user(), await api.user()
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": someone.id, "role": "owner"},
        headers=owner.auth,
    )
    assert r.status_code == 403
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": admin.id, "role": "admin"},
        headers=owner.auth,
    )
    assert r.status_code == 201
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": someone.id, "role": "admin"},
        headers=admin.auth,
    )
    assert r.status_code == 403


async def test_a_merchant_cannot_reply_to_another_shops_review(api: Api) -> None:
    listed = await api.listed_product()
    rival = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    await api.ship(listed.owner, order["id"])
    await api.client.post(f"/api/v1/orders/{order['id']}/receipt", headers=buyer.auth)
    review = await api.client.post(
        f"/api/v1/orders/{order['id']}/review",
        json={"rating_described": 1, "rating_service": 1, "rating_logistics": 1},
        headers=buyer.auth,
    )
    r = await api.client.post(
        f"/api/v1/reviews/{review.json()['id']}/reply",
        json={"text": "差评师"},
        headers=rival.owner.auth,
    )
    assert r.status_code == 403
    reviews = await api.client.get(f"/api/v1/products/{listed.product_id}/reviews")
    assert reviews.json()["items"][0]["reply_text"] is None


async def test_only_the_buyer_confirms_receipt_and_reviews(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    await api.ship(listed.owner, order["id"])
    r = await api.client.post(f"/api/v1/orders/{order['id']}/receipt", headers=listed.owner.auth)
    assert r.status_code == 404
    assert (await api.order(buyer, order["id"]))["status"] == "shipped"


async def test_drafts_are_hidden_from_the_public(api: Api) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/products",
        json={
            "title": "新品",
            "category": "snacks",
            "skus": [{"spec_name": "a", "price_fen": 100}],
        },
        headers=owner.auth,
    )
    pid = r.json()["id"]
    stranger = await api.user()
    assert (await api.client.get(f"/api/v1/products/{pid}")).status_code == 404
    assert (
        await api.client.get(f"/api/v1/products/{pid}", headers=stranger.auth)
    ).status_code == 404
    assert (await api.client.get(f"/api/v1/products/{pid}", headers=owner.auth)).status_code == 200
    public = await api.client.get(f"/api/v1/shops/{shop_id}/products")
    assert public.json()["items"] == []


async def test_staff_cannot_buy_from_their_own_shop(api: Api) -> None:
    listed = await api.listed_product(stock=3)
    r = await api.place(listed.owner, [(listed.sku_ids[0], 1)], expect=403)
    assert r["type"].endswith("/self-purchase")
    assert await api.stock(listed.owner, listed.product_id) == [3]


async def test_calls_without_a_valid_token_are_unauthenticated(api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer tl_nope"}, {"Authorization": "Basic abc"}):
        r = await api.client.get("/api/v1/me/orders", headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
