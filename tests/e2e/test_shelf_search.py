"""Search over the shelf: Chinese words, characters, pinyin and initials as typed, filters,
facets, sorts, and an index that follows the catalog's events."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api
from tests.support.shelf import deliver, titled_product
from trustlive.shelf.models import Impression


async def _search(api: Api, **params: Any) -> dict[str, Any]:
    r = await api.client.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _titles(body: dict[str, Any]) -> list[str]:
    return [i["title"] for i in body["items"]]


async def test_a_buyer_finds_a_product_by_part_of_its_name_its_pinyin_or_its_initials(
    api: Api,
) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    await titled_product(api, owner, shop, "红富士苹果 5斤装")
    await titled_product(api, owner, shop, "赣南脐橙", price_fen=3990)
    await deliver(api)

    for typed in ["苹果", "苹", "富士", "pingguo", "pingg", "hfs", "hongfu", "HFS"]:
        assert _titles(await _search(api, q=typed)) == ["红富士苹果 5斤装"], typed
    assert _titles(await _search(api, q="qc")) == ["赣南脐橙"]
    assert _titles(await _search(api, q="香蕉")) == []


async def test_filters_facets_and_sorts(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    await titled_product(api, owner, shop, "有机苹果", price_fen=1000)
    await titled_product(api, owner, shop, "苹果手机壳", category="electronics", price_fen=5000)
    await titled_product(api, owner, shop, "苹果醋", category="snacks", price_fen=3000, stock=0)
    await deliver(api)

    body = await _search(api, q="苹果", sort="price_asc")
    assert _titles(body) == ["有机苹果", "苹果醋", "苹果手机壳"]
    assert body["total"] == 3
    assert body["facets"]["categories"] == {"fresh_food": 1, "electronics": 1, "snacks": 1}
    assert body["facets"]["in_stock"] == 2
    assert body["facets"]["guarantees"] == {"seven_day_return": 3}
    assert _titles(await _search(api, q="苹果", sort="price_desc"))[0] == "苹果手机壳"
    assert _titles(await _search(api, q="苹果", category="electronics")) == ["苹果手机壳"]
    assert _titles(await _search(api, q="苹果", price_min_fen=2000, price_max_fen=4000)) == [
        "苹果醋"
    ]
    in_stock = await _search(api, q="苹果", in_stock=True)
    assert sorted(_titles(in_stock)) == ["有机苹果", "苹果手机壳"]
    assert _titles(await _search(api, q="苹果", guarantee="counterfeit_tenfold")) == []
    assert _titles(await _search(api, q="苹果", tier="gold")) == []


async def test_the_index_follows_updates_and_delisting(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    listed = await titled_product(api, owner, shop, "赣南脐橙")
    await deliver(api)
    r = await api.client.patch(
        f"/api/v1/products/{listed.product_id}", json={"title": "褚橙 云南"}, headers=owner.auth
    )
    assert r.status_code == 200, r.text
    await deliver(api)
    assert _titles(await _search(api, q="褚橙")) == ["褚橙 云南"]
    assert _titles(await _search(api, q="脐橙")) == []

    r = await api.client.post(f"/api/v1/products/{listed.product_id}/delist", headers=owner.auth)
    assert r.status_code == 200, r.text
    await deliver(api)
    assert _titles(await _search(api, q="褚橙")) == []


async def test_every_search_logs_its_impressions_with_policy_and_propensity(api: Api) -> None:
    owner = await api.user()
    shop = await api.shop(owner)
    await titled_product(api, owner, shop, "红富士苹果")
    await deliver(api)
    body = await _search(api, q="苹果")
    item = body["items"][0]
    assert item["position"] == 0
    assert 0 < item["propensity"] <= 1
    assert await api.count(Impression) == 1


async def test_a_bad_search_is_refused_and_logs_nothing(api: Api) -> None:
    r = await api.client.get("/api/v1/search", params={"category": "weapons"})
    assert r.status_code == 422
    r = await api.client.get("/api/v1/search", params={"price_min_fen": 5, "price_max_fen": 1})
    assert r.status_code == 422
    assert await api.count(Impression) == 0
