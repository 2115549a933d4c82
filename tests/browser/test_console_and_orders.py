"""The anchor runs flash sales and the pinned list; the buyer follows the order to its review."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser import seed
from tests.browser.server import Server
from tests.support.api import ADDRESS

pytestmark = pytest.mark.browser


async def _page_as(browser: Browser, who: seed.Person, errors: list[str]) -> Page:
    context = await browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    await context.add_init_script(who.session_script())
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{who.user['display_name']}: {exc}"))
    return page


async def _confirm(page: Page) -> None:
    checkout = page.locator("#checkout")
    for field, value in ADDRESS.items():
        await checkout.locator(f"input[name={field}]").fill(value)
    await checkout.locator("#checkout-confirm").click()
    await expect(page.locator("#checkout-done")).to_contain_text("Payment received")
    await page.locator("#checkout-close").click()


async def test_anchor_reorders_unpins_and_sells_a_flash_sale_the_buyer_grabs(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        buyer = await seed.person(client, "王小明")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        oranges = await seed.listed_product(
            client, merchant, shop_id, title="赣南脐橙", skus=[("5斤装", 3990, 20)]
        )
        berries = await seed.listed_product(
            client, merchant, shop_id, title="云南蓝莓", skus=[("4盒装", 5990, 20)]
        )
        room = await seed.shop_room(client, shop_id)
    errors: list[str] = []
    anchor = await _page_as(browser, merchant, errors)
    watcher = await _page_as(browser, buyer, errors)

    await anchor.goto(f"{server.url}/console/rooms/{room['id']}")
    await anchor.get_by_label("Title").fill("水果专场")
    await anchor.locator("#start-session").click()
    for product in (oranges, berries):
        await anchor.locator("#pin-product").select_option(product["id"])
        await anchor.locator("#pin-form button").click()
    await expect(anchor.locator("#pins .pin .title")).to_have_text(["赣南脐橙", "云南蓝莓"])
    await expect(anchor.locator("#pin-form button")).to_be_disabled()  # nothing left to pin

    await watcher.goto(f"{server.url}/rooms/{room['id']}")
    await expect(watcher.locator("#pins .pin .title")).to_have_text(["赣南脐橙", "云南蓝莓"])

    # reorder: the berries move up, on both pages
    await anchor.locator("#pins .pin", has_text="云南蓝莓").locator("button[data-act=up]").click()
    await expect(anchor.locator("#pins .pin .title")).to_have_text(["云南蓝莓", "赣南脐橙"])
    await expect(watcher.locator("#pins .pin .title")).to_have_text(["云南蓝莓", "赣南脐橙"])

    # a flash sale on the oranges: 2 units at ¥19.90, one each
    await anchor.locator("#flash-pin").select_option(label="赣南脐橙")
    await anchor.get_by_label("Price (¥)").fill("19.90")
    await anchor.get_by_label("Quantity").fill("2")
    await anchor.locator("#flash-form button").click()
    await expect(anchor.locator("#flash-sales")).to_contain_text("剩 2/2")

    grab = watcher.locator("#pins .pin", has_text="赣南脐橙").locator("button[data-role=flash]")
    await expect(grab).to_be_enabled()
    await grab.click()
    await expect(watcher.locator("#checkout-total")).to_have_text("¥19.90")
    await _confirm(watcher)
    await expect(anchor.locator("#flash-sales")).to_contain_text("剩 1/2")
    await expect(anchor.locator("#purchases")).to_contain_text("赣南脐橙")

    # a second grab is refused by the per-buyer limit, and the page says why
    await grab.click()
    checkout = watcher.locator("#checkout")
    for field, value in ADDRESS.items():
        await checkout.locator(f"input[name={field}]").fill(value)
    await checkout.locator("#checkout-confirm").click()
    await expect(watcher.locator("#checkout-error")).to_be_visible()
    await watcher.locator("#checkout-cancel").click()

    # unpin the berries: gone from the buyer's list
    await (
        anchor.locator("#pins .pin", has_text="云南蓝莓").locator("button[data-act=unpin]").click()
    )
    await expect(watcher.locator("#pins .pin .title")).to_have_text(["赣南脐橙"])

    async with httpx.AsyncClient(base_url=server.url) as client:
        r = await client.get("/api/v1/me/orders", headers=buyer.auth)
        assert [(o["status"], o["total_fen"]) for o in r.json()["items"]] == [("paid", 1990)]
    assert errors == []


async def test_buyer_confirms_receipt_and_reviews_from_my_orders(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        buyer = await seed.person(client, "王小明")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        product = await seed.listed_product(
            client, merchant, shop_id, title="赣南脐橙", skus=[("5斤装", 3990, 20)]
        )
        opted = await client.put(
            f"/api/v1/shops/{shop_id}/guarantees",
            json={"opt_in": ["counterfeit_tenfold"]},
            headers=merchant.auth,
        )
        assert opted.status_code == 200, opted.text
        errors: list[str] = []
        page = await _page_as(browser, buyer, errors)
        await page.goto(f"{server.url}/products/{product['id']}")
        await expect(
            page.locator('#guarantees [data-guarantee="counterfeit_tenfold"]')
        ).to_have_text("✓ 10× if counterfeit")
        await page.locator("#buy").click()
        await _confirm(page)
        r = await client.get("/api/v1/me/orders", headers=buyer.auth)
        order_id = r.json()["items"][0]["id"]
        shipped = await client.post(
            f"/api/v1/orders/{order_id}/shipment",
            json={"carrier": "顺丰速运", "tracking_no": "SF1234567890"},
            headers=merchant.auth,
        )
        assert shipped.status_code == 200, shipped.text

    await page.goto(f"{server.url}/me/orders")
    card = page.locator(f"article[data-order-id='{order_id}']")
    await expect(card.locator(".status")).to_have_text("已发货 Shipped")
    await expect(card).to_contain_text("SF1234567890")
    await card.locator("button[data-action=confirm_receipt]").click()
    await expect(card.locator(".status")).to_have_text("已收货 Received")  # the card re-renders

    card = page.locator(f"article[data-order-id='{order_id}']")
    form = card.locator("form.review-form")
    await form.get_by_label("服务 Service").select_option("4")
    await form.get_by_label("评价内容 Comment").fill("很甜，物流也快")
    await form.locator("button[type=submit]").click()
    await expect(card).to_contain_text("Review posted")

    await page.goto(f"{server.url}/products/{product['id']}")
    await expect(page.locator("#reviews .review")).to_contain_text("很甜，物流也快")
    await expect(page.locator("#product-sold")).to_have_text("1")
    await page.goto(f"{server.url}/me/orders")
    await expect(page.locator(f"article[data-order-id='{order_id}']")).to_contain_text("已评价")
    assert errors == []
