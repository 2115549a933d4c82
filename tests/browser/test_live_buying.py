"""A buyer and an anchor, each in their own browser page, in the same live room."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser import seed
from tests.browser.server import Server
from tests.support.api import ADDRESS

pytestmark = pytest.mark.browser


async def _page_as(browser: Browser, who: seed.Person, errors: list[str]) -> Page:
    context: BrowserContext = await browser.new_context(viewport={"width": 1200, "height": 900})
    await context.add_init_script(who.session_script())
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{who.user['display_name']}: {exc}"))
    return page


async def _my_orders(client: httpx.AsyncClient, buyer: seed.Person) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/me/orders", headers=buyer.auth)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_anchor_spotlights_buyer_buys_in_place_and_the_anchor_sees_the_purchase(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        buyer = await seed.person(client, "王小明")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        product = await seed.listed_product(
            client, merchant, shop_id, title="赣南脐橙", skus=[("5斤装", 3990, 20)]
        )
        room = await seed.shop_room(client, shop_id)
        opted = await client.put(
            f"/api/v1/shops/{shop_id}/guarantees",
            json={"opt_in": ["counterfeit_tenfold"]},
            headers=merchant.auth,
        )
        assert opted.status_code == 200, opted.text
        errors: list[str] = []
        anchor = await _page_as(browser, merchant, errors)
        watcher = await _page_as(browser, buyer, errors)

        # the anchor starts the session and pins the product from the console
        await anchor.goto(f"{server.url}/console/rooms/{room['id']}")
        await anchor.get_by_label("Title").fill("今晚脐橙专场")
        await anchor.locator("#start-session").click()
        await expect(anchor.locator("#session-title")).to_have_text("今晚脐橙专场")
        await expect(anchor.locator("#channel-status")).to_contain_text("live")
        await anchor.locator("#pin-product").select_option(product["id"])
        await anchor.locator("#pin-form button").click()
        pin_row = anchor.locator("#pins .pin")
        await expect(pin_row).to_contain_text("赣南脐橙")

        # the buyer is in the room, sees the pinned product, no spotlight yet
        await watcher.goto(f"{server.url}/rooms/{room['id']}")
        await expect(watcher.locator("#channel-status")).to_contain_text("live")
        await expect(watcher.locator("#pins")).to_contain_text("赣南脐橙")
        await expect(watcher.locator("#spotlight")).to_be_hidden()

        # the anchor spotlights it; the card pops up on the buyer's page
        await pin_row.locator("button[data-act=spotlight]").click()
        card = watcher.locator("#spotlight")
        await expect(card).to_be_visible()
        await expect(card.locator("#spotlight-title")).to_have_text("赣南脐橙")
        guarantee = card.locator('#spotlight-guarantees [data-guarantee="counterfeit_tenfold"]')
        await expect(guarantee).to_be_visible()  # the trust card travels with the product

        # the buyer buys in place: confirm with an address, pay through the sandbox
        await card.locator("button[data-role=buy]").click()
        checkout = watcher.locator("#checkout")
        for field, value in ADDRESS.items():
            await checkout.locator(f"input[name={field}]").fill(value)
        await expect(checkout.locator("#checkout-total")).to_have_text("¥39.90")
        await checkout.locator("#checkout-confirm").click()
        await expect(watcher.locator("#checkout-done")).to_contain_text("Payment received")

        # the anchor's console shows the purchase as it arrives
        await expect(anchor.locator("#purchases")).to_contain_text("赣南脐橙")
        await expect(anchor.locator("#purchases")).to_contain_text("王**")

        orders = await _my_orders(client, buyer)
        assert [(o["status"], o["room_id"], o["total_fen"]) for o in orders] == [
            ("paid", room["id"], 3990)
        ]
        assert errors == []


async def test_buyer_buys_on_the_product_page_and_finds_the_paid_order(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        buyer = await seed.person(client, "王小明")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        product = await seed.listed_product(
            client,
            merchant,
            shop_id,
            title="赣南脐橙",
            skus=[("5斤装", 3990, 5), ("10斤装", 6990, 0)],
        )
        errors: list[str] = []
        page = await _page_as(browser, buyer, errors)

        await page.goto(f"{server.url}/products/{product['id']}")
        await expect(page.locator("#product-title")).to_have_text("赣南脐橙")
        await expect(page.locator("#product-shop")).to_contain_text("老王的果园")
        sold_out = page.locator(".sku", has_text="10斤装")
        await expect(sold_out).to_be_disabled()
        await page.locator(".sku", has_text="5斤装").click()
        await page.locator("#buy").click()
        checkout = page.locator("#checkout")
        for field, value in ADDRESS.items():
            await checkout.locator(f"input[name={field}]").fill(value)
        await checkout.locator("input[name=quantity]").fill("2")
        await expect(checkout.locator("#checkout-total")).to_have_text("¥79.80")
        await checkout.locator("#checkout-confirm").click()
        await expect(page.locator("#checkout-done")).to_contain_text("¥79.80")
        five = page.locator(".sku", has_text="5斤装")
        await expect(five).to_contain_text("only 3 left")

        await page.goto(f"{server.url}/me/orders")
        order = page.locator("article.order")
        await expect(order).to_have_count(1)
        await expect(order.locator(".status")).to_have_text("待发货 Paid")
        await expect(order).to_contain_text("5斤装 × 2")
        await expect(order.locator("button[data-action]")).to_have_count(0)

        orders = await _my_orders(client, buyer)
        assert [(o["status"], o["total_fen"]) for o in orders] == [("paid", 7980)]
        assert errors == []
