"""Every buyer and anchor page answers 200 with the elements its script fills in."""

from __future__ import annotations

import httpx

from tests.support.api import Api
from tests.support.live import live_room


async def test_product_page_names_its_product_and_loads_the_checkout(
    client: httpx.AsyncClient, api: Api
) -> None:
    listed = await api.listed_product()
    r = await client.get(f"/products/{listed.product_id}")
    assert r.status_code == 200
    assert f'data-product-id="{listed.product_id}"' in r.text
    for element in ('id="skus"', 'id="buy"', 'id="reviews"', "/static/checkout.js"):
        assert element in r.text


async def test_buyers_are_shown_in_stock_or_only_n_left_not_the_count(
    client: httpx.AsyncClient, api: Api
) -> None:
    plenty = await api.listed_product(stock=999961)
    few = await api.listed_product(stock=3)
    shown = [
        (sku["availability"], sku["only_left"])
        for listed in (plenty, few)
        for sku in (await client.get(f"/api/v1/products/{listed.product_id}")).json()["skus"]
    ]
    assert shown == [("in_stock", None), ("few_left", 3)]
    for script in ("product.js", "room.js"):
        js = (await client.get(f"/static/{script}")).text
        assert "库存 ${s.stock}" not in js, script
        assert "stockText(s)" in js, script


async def test_room_pins_show_buyers_how_few_are_left(api: Api) -> None:
    room = await live_room(api, stock=4)
    detail = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()
    sku = detail["pins"][0]["skus"][0]
    assert (sku["availability"], sku["only_left"]) == ("few_left", 4)


async def test_product_page_refuses_an_id_that_is_not_a_number(client: httpx.AsyncClient) -> None:
    r = await client.get("/products/abc")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


async def test_my_orders_page_has_status_tabs_and_the_orders_list(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/me/orders")
    assert r.status_code == 200
    for element in ('id="status-tabs"', 'data-status="pending_payment"', 'id="orders"'):
        assert element in r.text
    assert "/static/orders.js" in r.text


async def test_static_scripts_of_the_pages_are_served(client: httpx.AsyncClient) -> None:
    for script in (
        "checkout.js",
        "product.js",
        "orders.js",
        "live.js",
        "room.js",
        "console.js",
        "live_rooms.js",
    ):
        r = await client.get(f"/static/{script}")
        assert r.status_code == 200, script
        assert "use strict" in r.text


async def test_layout_links_the_buyer_and_anchor_pages(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    for href in ('href="/live"', 'href="/me/orders"', 'href="/console"'):
        assert href in r.text


async def test_live_rooms_page_lists_rooms_from_the_api(client: httpx.AsyncClient) -> None:
    r = await client.get("/live")
    assert r.status_code == 200
    assert 'id="rooms"' in r.text
    assert "/static/live_rooms.js" in r.text


async def _shop_room_id(client: httpx.AsyncClient, api: Api) -> str:
    owner = await api.user()
    shop_id = await api.shop(owner)
    r = await client.get(f"/api/v1/shops/{shop_id}/room")
    assert r.status_code == 200, r.text
    room_id: str = r.json()["id"]
    return room_id


async def test_room_page_has_video_pins_spotlight_feed_and_comments(
    client: httpx.AsyncClient, api: Api
) -> None:
    room_id = await _shop_room_id(client, api)
    r = await client.get(f"/rooms/{room_id}")
    assert r.status_code == 200
    assert f'data-room-id="{room_id}"' in r.text
    for element in (
        'id="video"',
        'id="pins"',
        'id="spotlight"',
        'id="purchases"',
        'id="comment-form"',
        "/static/vendor/hls.min.js",
        "/static/live.js",
        "/static/room.js",
    ):
        assert element in r.text, element


async def test_console_pages_have_session_pin_flash_and_feed_controls(
    client: httpx.AsyncClient, api: Api
) -> None:
    home = await client.get("/console")
    assert home.status_code == 200
    assert 'id="my-rooms"' in home.text
    room_id = await _shop_room_id(client, api)
    r = await client.get(f"/console/rooms/{room_id}")
    assert r.status_code == 200
    assert f'data-room-id="{room_id}"' in r.text
    for element in (
        'id="start-form"',
        'id="end-session"',
        'id="pin-form"',
        'id="clear-spotlight"',
        'id="flash-form"',
        'id="stats"',
        'id="purchases"',
        'id="comments"',
        "/static/console.js",
    ):
        assert element in r.text, element


async def test_vendored_hls_player_is_served_with_its_licence(client: httpx.AsyncClient) -> None:
    js = await client.get("/static/vendor/hls.min.js")
    assert js.status_code == 200
    assert "Hls" in js.text
    licence = await client.get("/static/vendor/hls.js.LICENSE")
    assert "Apache License" in licence.text
