"""The whole loop over HTTP: merchant lists, buyer orders and pays, merchant ships, buyer receives
and reviews, merchant replies."""

from __future__ import annotations

from tests.support.api import Api


async def test_merchant_to_review_loop(api: Api) -> None:
    listed = await api.listed_product(stock=5, price_fen=3990)
    buyer = await api.user(display_name="李秀英")

    order = await api.place(buyer, [(listed.sku_ids[0], 2)])
    assert order["status"] == "pending_payment"
    assert order["total_fen"] == 7980
    assert order["actions"] == ["cancel"]
    assert await api.stock(listed.owner, listed.product_id) == [3]

    paid = await api.pay(buyer, order["id"])
    assert paid["payment"]["status"] == "succeeded"
    assert paid["order"]["status"] == "paid"

    shipped = await api.ship(listed.owner, order["id"])
    assert shipped["status"] == "shipped"
    assert shipped["tracking_no"] == "SF1234567890"

    r = await api.client.post(f"/api/v1/orders/{order['id']}/receipt", headers=buyer.auth)
    assert r.status_code == 200
    assert r.json()["status"] == "received"

    r = await api.client.post(
        f"/api/v1/orders/{order['id']}/review",
        json={
            "rating_described": 5,
            "rating_service": 4,
            "rating_logistics": 5,
            "text": "很甜, 还会回购",
        },
        headers=buyer.auth,
    )
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["buyer_name"] == "李**"

    r = await api.client.post(
        f"/api/v1/reviews/{review['id']}/reply",
        json={"text": "谢谢老铁"},
        headers=listed.owner.auth,
    )
    assert r.status_code == 200
    assert r.json()["reply_text"] == "谢谢老铁"

    r = await api.client.get(f"/api/v1/products/{listed.product_id}/reviews")
    assert [(x["text"], x["reply_text"]) for x in r.json()["items"]] == [
        ("很甜, 还会回购", "谢谢老铁")
    ]

    history = (await api.order(buyer, order["id"]))["history"]
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in history] == [
        (None, "pending_payment", "buyer"),
        ("pending_payment", "paid", "payment"),
        ("paid", "shipped", "merchant"),
        ("shipped", "received", "buyer"),
    ]
    assert history[2]["actor_id"] == listed.owner.id


async def test_paid_units_count_as_sold_once_events_are_delivered(api: Api) -> None:
    listed = await api.listed_product(stock=5)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 3)])
    await api.pay(buyer, order["id"])

    await api.runtime.dispatcher.run_once()
    await api.runtime.dispatcher.run_once()

    r = await api.client.get(f"/api/v1/products/{listed.product_id}")
    assert r.json()["sold_count"] == 3


async def test_review_twice_and_reply_twice_are_refused(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    await api.ship(listed.owner, order["id"])
    await api.client.post(f"/api/v1/orders/{order['id']}/receipt", headers=buyer.auth)
    body = {"rating_described": 1, "rating_service": 1, "rating_logistics": 1}
    first = await api.client.post(
        f"/api/v1/orders/{order['id']}/review", json=body, headers=buyer.auth
    )
    second = await api.client.post(
        f"/api/v1/orders/{order['id']}/review", json=body, headers=buyer.auth
    )
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["type"].endswith("/already-reviewed")
    rid = first.json()["id"]
    one = await api.client.post(
        f"/api/v1/reviews/{rid}/reply", json={"text": "抱歉"}, headers=listed.owner.auth
    )
    two = await api.client.post(
        f"/api/v1/reviews/{rid}/reply", json={"text": "再说一次"}, headers=listed.owner.auth
    )
    assert (one.status_code, two.status_code) == (200, 409)


async def test_review_before_receipt_is_refused(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    r = await api.client.post(
        f"/api/v1/orders/{order['id']}/review",
        json={"rating_described": 5, "rating_service": 5, "rating_logistics": 5},
        headers=buyer.auth,
    )
    assert r.status_code == 409
    assert r.json()["type"].endswith("/order-not-reviewable")
