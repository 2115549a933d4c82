"""A merchant goes from no shop to a first shipped order and an answered after-sale, by clicking.
The buyer's side is set up through the API."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, Page, expect

from tests.browser import seed
from tests.browser.conftest import SCREENSHOTS
from tests.browser.server import Server
from tests.support.api import ADDRESS

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


async def _page_as(
    browser: Browser, who: seed.Person, errors: list[str], viewport: dict[str, int]
) -> Page:
    context = await browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    await context.add_init_script(who.session_script())
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


async def _photo(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"seller-{name}.png", full_page=True)


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"


def _orange_png(path: Path) -> Path:
    image = Image.new("RGB", (480, 360), (255, 140, 0))
    for x in range(140, 340):  # a rough fruit on a plain ground
        for y in range(80, 280):
            if (x - 240) ** 2 + (y - 180) ** 2 < 100**2:
                image.putpixel((x, y), (250, 110, 10))
    out = io.BytesIO()
    image.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


async def test_a_merchant_opens_a_shop_lists_ships_and_answers_an_aftersale(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        buyer = await seed.person(client, "王小明")
    errors: list[str] = []
    page = await _page_as(browser, merchant, errors, PHONE)

    # from the home page to the seller center, and a new shop
    await page.goto(server.url)
    await page.get_by_role("link", name="Sell on trustlive").click()
    await expect(page.locator("#no-shops")).to_be_visible()  # the empty state says what to do
    await _no_sideways_scroll(page)
    await page.get_by_label("Shop name").fill("老王的果园")
    await page.get_by_role("button", name="Open the shop").click()
    await expect(page.locator("#shop-name")).to_have_text("老王的果园")
    await expect(page.locator("#no-products")).to_be_visible()
    shop_id = page.url.rsplit("/", 2)[-2]

    # the header now has "my shops" (behind the menu button on a phone)
    await page.locator("#nav-toggle").click()
    await expect(page.locator("#site-nav a[href='/seller']")).to_be_visible()
    await _no_sideways_scroll(page)
    await _photo(page, "phone-menu")
    await page.locator("#nav-toggle").click()

    # a product with an uploaded image and two options, then listed
    await page.get_by_role("button", name="New product").click()
    await page.get_by_label("Title").fill("赣南脐橙 现摘现发")
    await page.get_by_label("Description").fill("坏果包赔")
    await page.locator("#image-files").set_input_files(_orange_png(tmp_path / "orange.png"))
    await expect(page.locator("#thumbs img")).to_have_count(1)
    rows = page.locator(".sku-row")
    await rows.nth(0).get_by_label("Option name").fill("5斤装")
    await rows.nth(0).get_by_label("Price (¥)").fill("39.90")
    await rows.nth(0).get_by_label("Stock").fill("20")
    await page.get_by_role("button", name="Add an option").click()
    await rows.nth(1).get_by_label("Option name").fill("10斤装")
    await rows.nth(1).get_by_label("Price (¥)").fill("69.90")
    await rows.nth(1).get_by_label("Stock").fill("5")
    await page.get_by_role("button", name="Save", exact=True).click()
    card = page.locator(".product-row", has_text="赣南脐橙")
    await expect(card.locator(".status")).to_have_text("Draft")
    await card.get_by_role("button", name="List", exact=True).click()
    await expect(page.locator(".product-row .status")).to_have_text("Listed")
    await expect(page.locator(".product-row .stock")).to_have_text(["20", "5"])
    await _no_sideways_scroll(page)
    await _photo(page, "phone-products")

    # the buyer buys the 5-jin box (through the API)
    async with httpx.AsyncClient(base_url=server.url) as client:
        listed = (await client.get(f"/api/v1/shops/{shop_id}/products")).json()["items"][0]
        assert listed["image_urls"][0].startswith(f"/media/products/{shop_id}/")
        assert (await client.get(listed["image_urls"][0])).status_code == 200
        sku_id = next(s["id"] for s in listed["skus"] if s["spec_name"] == "5斤装")
        placed = await client.post(
            "/api/v1/orders",
            json={"lines": [{"sku_id": sku_id, "quantity": 1}], "address": ADDRESS},
            headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        order_id = placed.json()["id"]
        paid = await client.post(f"/api/v1/orders/{order_id}/payments", headers=buyer.auth)
        assert paid.status_code == 200, paid.text

    # the merchant ships it from the orders page
    await page.locator("#seller-tabs").get_by_role("link", name="Orders to ship").click()
    order = page.locator(f".order-row[data-order-id='{order_id}']")
    await expect(order).to_contain_text("5斤装 × 1")
    await expect(order).to_contain_text("138****8000")  # masked until revealed
    await order.get_by_label("Carrier").fill("顺丰速运")
    await order.get_by_label("Tracking number").fill("SF1234567890")
    await _photo(page, "phone-orders")
    await order.get_by_role("button", name="Ship", exact=True).click()
    await expect(page.locator("#no-orders")).to_be_visible()
    await page.get_by_role("button", name="Shipped", exact=True).click()
    await expect(order).to_contain_text("SF1234567890")

    # the buyer receives it and asks for a refund (through the API)
    async with httpx.AsyncClient(base_url=server.url) as client:
        received = await client.post(f"/api/v1/orders/{order_id}/receipt", headers=buyer.auth)
        assert received.status_code == 200, received.text
        asked = await client.post(
            f"/api/v1/orders/{order_id}/aftersale-requests",
            json={"kind": "refund_only", "reason": "quality_problem", "text": "有三个坏果"},
            headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert asked.status_code == 201, asked.text
        request_id = asked.json()["id"]

    # the merchant answers it from the after-sales queue: rejected, with a reason
    desk = await _page_as(browser, merchant, errors, DESKTOP)
    await desk.goto(f"{server.url}/seller/shops/{shop_id}/aftersales")
    request = desk.locator(f".request-row[data-request-id='{request_id}']")
    await expect(request).to_contain_text("Quality problem")
    await expect(request).to_contain_text("有三个坏果")
    await expect(request.locator(".deadline")).to_contain_text("Answer by")
    await _photo(desk, "desktop-aftersales")
    await request.get_by_label("Why you reject it").fill("照片显示果子完好，请补充凭证")
    await request.get_by_role("button", name="Reject").click()
    await expect(desk.locator("#no-requests")).to_be_visible()
    await desk.get_by_role("button", name="Rejected").click()
    await expect(request).to_contain_text("rejected")

    # the merchant's desktop view of the products, in Chinese after the switch
    await desk.goto(f"{server.url}/seller/shops/{shop_id}/products")
    await desk.locator(".langs a[hreflang=zh-CN]").click()
    await expect(desk.locator("h1")).to_have_text("商品")
    await expect(desk.locator(".product-row .status")).to_have_text("已上架")
    await _photo(desk, "desktop-products-zh")
    async with httpx.AsyncClient(base_url=server.url) as client:
        final = await client.get(f"/api/v1/aftersale-requests/{request_id}", headers=buyer.auth)
        assert final.json()["status"] == "rejected"
        shipped = await client.get(f"/api/v1/orders/{order_id}", headers=buyer.auth)
        assert (shipped.json()["carrier"], shipped.json()["tracking_no"]) == (
            "顺丰速运",
            "SF1234567890",
        )
    assert errors == []


async def test_another_shops_owner_sees_a_sentence_not_the_shop(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        owner = await seed.person(client, "老王")
        stranger = await seed.person(client, "老李")
        shop_id = await seed.shop(client, owner, "老王的果园")
        await seed.shop(client, stranger, "老李的茶园")
    errors: list[str] = []
    page = await _page_as(browser, stranger, errors, PHONE)
    await page.goto(f"{server.url}/seller/shops/{shop_id}/orders")
    await expect(page.locator("#page-error")).to_have_text(
        "you need the view_orders permission in this shop"
    )
    await expect(page.locator(".order-row")).to_have_count(0)
    await _no_sideways_scroll(page)
    assert errors == []
