"""A buyer, on a phone, from registration to a refund, by clicking: register, save an address,
follow the shop, buy with the saved address, confirm receipt, ask for a refund with the
guarantee shown, write to the shop, and follow the request until the money is back. The shop's
side is played through the API."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from tests.browser import seed
from tests.browser.conftest import SCREENSHOTS
from tests.browser.server import Server

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}


async def _fits_the_phone(page: Page, step: str) -> None:
    """Nothing sticks out sideways at 390 px (the top bar included); a photograph to look at."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    await page.evaluate("window.scrollTo(0, 0)")  # a sticky top bar is photographed once, on top
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"buyer-journey-{step}.png", full_page=True)


async def test_a_buyer_registers_buys_and_gets_a_refund(server: Server, browser: Browser) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        merchant = await seed.person(client, "老王")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        opted = await client.put(
            f"/api/v1/shops/{shop_id}/guarantees",
            json={"opt_in": ["counterfeit_tenfold"]},
            headers=merchant.auth,
        )
        assert opted.status_code == 200, opted.text
        product = await seed.listed_product(
            client, merchant, shop_id, title="赣南脐橙", skus=[("5斤装", 3990, 20)]
        )

    errors: list[str] = []
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())

    # register: a wrong field is named in a sentence, then the account is made and logged in
    await page.goto(f"{server.url}/login?next=/me")
    await page.locator("#to-register").click()
    await expect(page).to_have_url(f"{server.url}/register?next=%2Fme")
    await page.get_by_label("Username").fill("xm")
    await page.get_by_label("Display name").fill("王小明")
    await page.get_by_label("Password", exact=True).fill("orange-lover-9")
    await page.locator("#register-submit").click()
    await expect(page.locator("#register-error")).to_have_text(
        "Choose a username of 3 to 32 letters, digits or underscores."
    )
    await _fits_the_phone(page, "1-register-error")
    await page.get_by_label("Username").fill("xiaoming_88")
    await page.locator("#register-submit").click()
    await expect(page).to_have_url(f"{server.url}/me")

    # my account: an empty address book says what to do; save one address
    await expect(page.locator("#addresses-empty")).to_be_visible()
    form = page.locator("#address-form")
    for label, value in [
        ("Recipient", "王小明"),
        ("Phone", "13800138000"),
        ("Province", "江西省"),
        ("City", "赣州市"),
        ("District", "章贡区"),
        ("Street address", "红旗大道 88 号"),
    ]:
        await form.get_by_label(label).fill(value)
    await form.locator("button[type=submit]").click()
    await expect(page.locator("#addresses .address-card")).to_have_count(1)
    await expect(page.locator("#addresses .address-card")).to_contain_text("红旗大道 88 号")
    await expect(page.locator("#addresses .badge")).to_have_text("Default")
    await _fits_the_phone(page, "2-address-book")

    # the product: follow the shop, see the guarantees, buy with the saved address
    await page.goto(f"{server.url}/products/{product['id']}")
    follow = page.locator("#follow-button")
    await expect(follow).to_have_text("Follow")
    await follow.click()
    await expect(follow).to_have_text("Following ✓")
    await page.locator("#buy").click()
    checkout = page.locator("#checkout")
    await expect(checkout.locator("#checkout-saved-label")).to_be_visible()
    await expect(checkout.locator("input[name=detail]")).to_have_value("红旗大道 88 号")
    await _fits_the_phone(page, "3-checkout-saved-address")
    await checkout.locator("#checkout-confirm").click()
    await expect(page.locator("#checkout-done")).to_contain_text("Payment received")
    await page.locator("#checkout-close").click()

    async with httpx.AsyncClient(base_url=server.url) as client:
        orders = await client.get(f"/api/v1/shops/{shop_id}/orders", headers=merchant.auth)
        [order] = orders.json()["items"]
        assert order["address"]["detail"] == "****"  # the shop sees it masked
        shipped = await client.post(
            f"/api/v1/orders/{order['id']}/shipment",
            json={"carrier": "顺丰速运", "tracking_no": "SF1234567890"},
            headers=merchant.auth,
        )
        assert shipped.status_code == 200, shipped.text

    # my orders: the Shipped tab, confirm receipt, then ask for after-sales
    await page.goto(f"{server.url}/me/orders")
    await page.locator("#status-tabs button[data-status=shipped]").click()
    card = page.locator(f"article[data-order-id='{order['id']}']")
    await card.locator("button[data-action=confirm_receipt]").click()
    card = page.locator(f"article[data-order-id='{order['id']}']")
    await _fits_the_phone(page, "4-orders-received")
    await card.locator("a[data-role=aftersale]").click()

    # the request: the guarantee that applies is marked as the buyer picks the reason
    await expect(page.locator("#order-box")).to_contain_text("赣南脐橙")
    tenfold = page.locator('#guarantees [data-guarantee="counterfeit_tenfold"]')
    await expect(tenfold).to_have_text("✓ 10× if counterfeit")
    await page.get_by_label("Reason").select_option("counterfeit_suspected")
    await expect(tenfold).to_have_text("✓ 10× if counterfeit · may apply")
    await page.get_by_label("Reason").select_option("quality_problem")
    await page.get_by_label("What happened").fill("一半是坏的")
    await page.get_by_label("Photos (links, one per line)").fill("http://not-https.example/a.jpg")
    await page.locator("#aftersale-submit").click()
    await expect(page.locator("#form-error")).to_have_text(
        "Each photo link must start with https:// — at most 9 links."
    )
    await _fits_the_phone(page, "5-aftersale-form")
    await page.get_by_label("Photos (links, one per line)").fill("https://img.example.com/bad.jpg")
    await page.locator("#aftersale-submit").click()
    await expect(page.locator("#request-status")).to_have_text("Waiting for the shop")
    await expect(page.locator("#request-next")).to_contain_text("The shop answers by")
    request_id = page.url.rsplit("/", 1)[1]

    # write to the shop about it
    await page.locator("#shop-message").click()
    await expect(page.locator("#conversation-title")).to_have_text("Write to 老王的果园")
    await expect(page.locator("#message-text")).to_have_value(f"About order #{order['id']}: ")
    await page.locator("#message-text").press("End")
    await page.locator("#message-text").type("什么时候退款？")
    await page.locator("#message-send").click()
    await expect(page.locator("#thread-messages .msg.mine")).to_contain_text("什么时候退款？")
    await expect(page.locator("#threads")).to_contain_text("老王的果园")
    await _fits_the_phone(page, "6-messages")

    async with httpx.AsyncClient(base_url=server.url) as client:
        accepted = await client.post(
            f"/api/v1/aftersale-requests/{request_id}/accept", headers=merchant.auth
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "refunded"

    # the refund, its history, and the list of requests
    await page.goto(f"{server.url}/me/aftersales/{request_id}")
    await expect(page.locator("#request-status")).to_have_text("Refunded")
    await expect(page.locator("#request-next")).to_have_text("¥39.90 went back to your payment.")
    await expect(page.locator("#history li")).to_have_count(2)
    await expect(page.locator("#history li").last).to_contain_text("Refunded")
    await expect(page.locator("#ship-return")).to_be_hidden()
    await _fits_the_phone(page, "7-refunded")
    await page.goto(f"{server.url}/me/aftersales")
    await expect(page.locator(".request")).to_have_count(1)
    await page.locator("#status-tabs button[data-status=pending]").click()
    await expect(page.locator("#requests-empty")).to_be_visible()
    await page.locator("#status-tabs button[data-status=refunded]").click()
    await expect(page.locator(".request .status")).to_have_text("Refunded")

    # following: the shop's owner, with the way back to unfollow
    await page.goto(f"{server.url}/me/following")
    await expect(page.locator("#people li")).to_have_count(1)
    await expect(page.locator("#people li")).to_contain_text("老王")
    await _fits_the_phone(page, "8-following")
    assert errors == []
