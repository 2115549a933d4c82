"""Every buyer and anchor page answers 200 with the elements its script fills in."""

from __future__ import annotations

import httpx

from tests.support.api import Api


async def test_product_page_names_its_product_and_loads_the_checkout(
    client: httpx.AsyncClient, api: Api
) -> None:
    listed = await api.listed_product()
    r = await client.get(f"/products/{listed.product_id}")
    assert r.status_code == 200
    assert f'data-product-id="{listed.product_id}"' in r.text
    for element in ('id="skus"', 'id="buy"', 'id="reviews"', "/static/checkout.js"):
        assert element in r.text


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
    for script in ("checkout.js", "product.js", "orders.js"):
        r = await client.get(f"/static/{script}")
        assert r.status_code == 200, script
        assert "use strict" in r.text


async def test_layout_links_the_buyer_and_anchor_pages(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    for href in ('href="/live"', 'href="/me/orders"', 'href="/console"'):
        assert href in r.text
