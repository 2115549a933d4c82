"""The mall, the shop page, the feed and the exposure log over HTTP: who may read what, and
clicks and orders credited back to the surface that showed the product."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api, User
from tests.support.live import live_room
from tests.support.shelf import deliver, titled_product
from trustlive.shelf.models import Attribution, Impression


async def _get(api: Api, path: str, who: User | None = None, **params: Any) -> Any:
    r = await api.client.get(path, params=params, headers=who.auth if who else {})
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_mall_has_a_category_tree_and_sections(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    await titled_product(api, owner, shop, "红富士苹果")
    await titled_product(api, owner, shop, "纯棉T恤", category="apparel")
    await deliver(api)

    body = await _get(api, "/api/v1/mall")
    food = next(n for n in body["tree"] if n["code"] == "food")
    assert food["products"] == 1
    assert {c["code"]: c["products"] for c in food["children"]} == {
        "fresh_food": 1,
        "snacks": 0,
        "agriculture": 0,
    }
    sections = {(s["by"], s["code"]): [i["title"] for i in s["items"]] for s in body["sections"]}
    assert sections[("category", "food")] == ["红富士苹果"]
    assert sections[("category", "fashion")] == ["纯棉T恤"]
    assert sections[("guarantee", "counterfeit_tenfold")] == []


async def test_the_shop_page_shows_products_badges_guarantees_room_and_follow_state(
    api: Api,
) -> None:
    room = await live_room(api)
    owner, shop = room.listed.owner, room.listed.shop_id
    await deliver(api)
    buyer = await api.user()

    anonymous = await _get(api, f"/api/v1/shops/{shop}/page")
    assert anonymous["following"] is None
    assert [p["id"] for p in anonymous["products"]["items"]] == [room.listed.product_id]
    assert anonymous["room"]["on_air"] is True
    assert anonymous["room"]["session_id"] == room.session_id
    assert anonymous["guarantees"] == [{"guarantee": "seven_day_return", "source": "mandatory"}]
    assert anonymous["badge"] == {"tier": None, "score": None, "traffic_weight": 1.0}

    assert (await _get(api, f"/api/v1/shops/{shop}/page", buyer))["following"] is False
    await api.follow(buyer, owner.id)
    assert (await _get(api, f"/api/v1/shops/{shop}/page", buyer))["following"] is True


async def test_a_shop_page_of_no_shop_is_404(api: Api) -> None:
    r = await api.client.get("/api/v1/shops/12345/page")
    assert r.status_code == 404


async def test_the_feed_puts_followed_rooms_and_shops_first(api: Api) -> None:
    followed = await live_room(api)
    other_owner = await api.user()
    other_shop = await api.shop(other_owner)
    await titled_product(api, other_owner, other_shop, "纯棉T恤", category="apparel")
    await deliver(api)
    buyer = await api.user()
    await api.follow(buyer, followed.listed.owner.id)

    feed = await _get(api, f"/api/v1/buyers/{buyer.id}/feed", buyer)
    items = [(i["section"], i["kind"], i["id"]) for i in feed["items"]]
    assert items[0] == ("private", "room", followed.room_id)
    assert items[1] == ("private", "product", followed.listed.product_id)
    assert items[2][:2] == ("explore", "product")
    assert feed["policy_version"]
    assert await api.count(Impression) == 3


async def test_another_buyers_feed_and_exposure_log_are_refused(api: Api) -> None:
    buyer, stranger = await api.user(), await api.user()
    for path in (f"/api/v1/buyers/{buyer.id}/feed", f"/api/v1/buyers/{buyer.id}/impressions"):
        r = await api.client.get(path, headers=stranger.auth)
        assert r.status_code == 403, path
        r = await api.client.get(path)
        assert r.status_code == 401, path
    assert await api.count(Impression) == 0
    operator = await api.operator()
    r = await api.client.get(f"/api/v1/buyers/{buyer.id}/impressions", headers=operator.auth)
    assert r.status_code == 200
    r = await api.client.get(f"/api/v1/buyers/{buyer.id}/feed", headers=operator.auth)
    assert r.status_code == 403


async def test_a_click_and_the_order_after_it_are_credited_to_the_surface(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    listed = await titled_product(api, owner, shop, "红富士苹果")
    await deliver(api)
    buyer, stranger = await api.user(), await api.user()
    found = await _get(api, "/api/v1/search", buyer, q="hfs")
    impression = found["items"][0]["impression_id"]

    r = await api.client.post(f"/api/v1/impressions/{impression}/click", headers=stranger.auth)
    assert r.status_code == 403
    r = await api.client.post(f"/api/v1/impressions/{impression}/click", headers=buyer.auth)
    assert r.status_code == 200, r.text
    assert r.json()["surface"] == "search"

    order = await api.place(buyer, [(listed.sku_ids[0], 2)])
    await api.pay(buyer, order["id"])
    await deliver(api)

    log = await _get(api, f"/api/v1/buyers/{buyer.id}/impressions", buyer)
    assert log[0]["clicked_at"] is not None
    assert log[0]["orders"] == [
        {"order_id": order["id"], "product_id": listed.product_id, "amount_fen": 2 * 2990}
    ]
    assert await api.count(Attribution) == 1


async def test_an_order_without_a_clicked_impression_is_not_credited(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    listed = await titled_product(api, owner, shop, "红富士苹果")
    await deliver(api)
    buyer = await api.user()
    await _get(api, "/api/v1/search", buyer, q="苹果")  # shown, never clicked
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    await deliver(api)
    assert await api.count(Attribution) == 0


async def test_reindex_is_for_operators_and_rebuilds_the_index(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    await titled_product(api, owner, shop, "红富士苹果")
    await deliver(api)  # the shop's room opens on its event
    r = await api.client.post("/api/v1/shelf/reindex", headers=owner.auth)
    assert r.status_code == 403
    operator = await api.operator()
    r = await api.client.post("/api/v1/shelf/reindex", headers=operator.auth)
    assert r.status_code == 200, r.text
    assert r.json() == {"products": 1, "shops": 1, "rooms": 1}
    found = await _get(api, "/api/v1/search", q="苹果")
    assert [i["title"] for i in found["items"]] == ["红富士苹果"]
