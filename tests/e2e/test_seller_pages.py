"""The seller center's pages answer with the elements their scripts fill, reachable from /seller."""

from __future__ import annotations

import httpx
import pytest

from trustlive.web.seller_pages import SECTIONS


async def test_the_seller_home_offers_the_shops_and_opening_one(client: httpx.AsyncClient) -> None:
    r = await client.get("/seller")
    assert r.status_code == 200
    for element in ('id="my-shops"', 'id="no-shops"', 'id="open-shop"', "/static/seller.js"):
        assert element in r.text


@pytest.mark.parametrize("section", SECTIONS)
async def test_every_section_links_every_other(client: httpx.AsyncClient, section: str) -> None:
    r = await client.get(f"/seller/shops/42/{section}")
    assert r.status_code == 200
    assert f'href="/seller/shops/42/{section}" aria-current="page"' in r.text
    for other in (*SECTIONS, "dashboard", "score", "address-reveals"):
        assert f'href="/seller/shops/42/{other}"' in r.text
    assert 'id="page-error"' in r.text


async def test_a_shop_opens_on_its_products(client: httpx.AsyncClient) -> None:
    r = await client.get("/seller/shops/42")
    assert (r.status_code, r.headers["location"]) == (303, "/seller/shops/42/products")


async def test_the_existing_shop_pages_carry_the_same_tabs(client: httpx.AsyncClient) -> None:
    for path, current in (
        ("dashboard", "dashboard"),
        ("score", "score"),
        ("address-reveals", "address-reveals"),
    ):
        r = await client.get(f"/seller/shops/42/{path}")
        assert f'href="/seller/shops/42/{current}" aria-current="page"' in r.text


async def test_the_header_links_the_seller_center_for_shop_staff(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    assert '<a href="/seller" data-nav="seller" hidden>My shops</a>' in r.text
    assert '<a href="/operator/disputes" data-nav="operator" hidden>Disputes</a>' in r.text
    assert '<a href="/me/orders" data-nav="buyer" hidden>My orders</a>' in r.text
