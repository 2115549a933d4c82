"""Each guarantee from its trigger to its pay-out in the ledger, executed by the system."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api, Listed
from trustlive import aftersale
from trustlive.aftersale.models import FastShippingWatch, GuaranteePayout
from trustlive.kernel.clock import FixedClock
from trustlive.orders.models import OrderRefund
from trustlive.trust.domain import ScoreResult, bootstrap_fit
from trustlive.trust.hooks import ExcludeNobody, NoAttribution, TrustHooks
from trustlive.trust.policy import load_policy as load_trust_policy
from trustlive.trust.service import SHOP_SCORE, decide_tier

RETURN: dict[str, Any] = {
    "kind": "return_refund",
    "reason": "no_reason_7_days",
    "text": "尺码不合适",
}


async def test_seven_day_return_is_accepted_by_the_system_and_refunded_on_return(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(category="apparel", price_fen=9900, stock=5)
    trade = await t.received(listed, quantity=2)
    assert await api.stock(listed.owner, listed.product_id) == [3]

    request = await t.open(trade, **RETURN, lines=[{"sku_id": listed.sku_ids[0], "quantity": 1}])
    assert request["status"] == "awaiting_return"
    assert request["amount_fen"] == 9900
    assert [(h["action"], h["actor"]) for h in request["history"]] == [("accept_return", "system")]
    assert request["return_ship_by_at"] == "2026-03-08T09:00:00Z"

    await t.ship_return(trade, request["id"])
    done = await t.act(listed.owner, request["id"], "return-receipt")
    assert done["status"] == "refunded"
    assert done["refunded_fen"] == 9900
    assert await t.payouts(trade.order_id) == [("seven_day_return", "order_payment", 9900, 0)]
    assert await api.stock(listed.owner, listed.product_id) == [4]
    order = await api.order(trade.buyer, trade.order_id)
    assert order["status"] == "received"


async def test_seven_day_return_window_is_168_hours_from_the_next_local_midnight(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(category="apparel")
    trade = await t.received(listed)  # received 2026-03-01 09:00 UTC = 17:00 in Beijing
    clock.set(datetime(2026, 3, 8, 16, 0, tzinfo=UTC))  # 03-09 00:00 Beijing: 168 h after 03-02
    await api.relogin(trade.buyer)
    refused = await t.open(trade, expect=422, **RETURN)
    assert refused["type"].endswith("/seven-day-return-not-applicable")
    clock.set(datetime(2026, 3, 8, 15, 59, 59, tzinfo=UTC))
    assert (await t.open(trade, **RETURN))["status"] == "awaiting_return"


async def test_seven_day_return_does_not_apply_to_fresh_food(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(category="fresh_food")
    trade = await t.received(listed)
    refused = await t.open(trade, expect=422, **RETURN)
    assert refused["type"].endswith("/seven-day-return-not-applicable")
    assert await api.count(GuaranteePayout) == 0


async def test_return_shipping_is_paid_back_by_the_platform_when_the_return_auto_completes(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(category="apparel", price_fen=5000)
    await t.opt_in(listed, "return_shipping_refund")
    trade = await t.received(listed)
    request = await t.open(trade, **RETURN)
    await t.ship_return(trade, request["id"])

    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_confirm_return"] == 0
    clock.advance(timedelta(seconds=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_confirm_return"] == 1

    assert await t.payouts(trade.order_id) == [
        ("seven_day_return", "order_payment", 5000, 0),
        ("return_shipping_refund", "platform", 1000, 0),
    ]
    await api.relogin(listed.owner)
    assert await api.stock(listed.owner, listed.product_id) == [10]


async def test_instant_refund_before_shipping_closes_the_order_and_releases_stock(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=12000, stock=3)
    await t.tier(listed, "instant_refund")
    buyer = await t.seasoned_buyer(3)
    trade = await t.paid(listed, buyer)
    assert await api.stock(listed.owner, listed.product_id) == [2]

    request = await t.open(trade, kind="refund_only", reason="other", text="拍错了")
    assert request["status"] == "refunded"
    assert request["instant"] is True
    assert await t.payouts(trade.order_id) == [("instant_refund", "order_payment", 12000, 0)]
    order = await api.order(buyer, trade.order_id)
    assert order["status"] == "closed"
    assert order["history"][-1]["action"] == "close"
    assert await api.stock(listed.owner, listed.product_id) == [3]


async def test_instant_refund_pays_when_the_buyer_ships_the_return(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=8000)
    await t.tier(listed, "instant_refund")
    buyer = await t.seasoned_buyer(3)
    trade = await t.received(listed, buyer)
    request = await t.open(trade, kind="return_refund", reason="quality_problem", text="开线")
    assert request["status"] == "pending"
    await t.act(listed.owner, request["id"], "accept")

    shipped = await t.ship_return(trade, request["id"])
    assert shipped["status"] == "return_shipped"
    assert (shipped["refunded_fen"], shipped["instant"]) == (8000, True)
    assert await t.payouts(trade.order_id) == [("instant_refund", "order_payment", 8000, 0)]

    done = await t.act(listed.owner, request["id"], "return-receipt")
    assert done["status"] == "refunded"
    assert await api.count(OrderRefund) == 1  # confirming did not pay twice


async def test_instant_refund_is_withheld_while_the_shop_owes_the_platform(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=12000)
    await t.tier(listed, "instant_refund")
    await t.opt_in(listed, "fast_shipping")
    buyer = await t.seasoned_buyer(4)  # one request in four orders stays within 30 %
    late = await t.paid(listed)
    await api.runtime.dispatcher.run_once()
    clock.advance(timedelta(hours=24))
    await api.runtime.scheduler.run_due()  # the late shipment is paid by an empty deposit
    assert await t.balance(listed) == -500
    await t.tier(listed, "instant_refund")  # the scores' daily job re-tiered the new shop
    await api.relogin(listed.owner)
    await api.ship(listed.owner, late.order_id)

    trade = await t.paid(listed, await api.relogin(buyer))
    request = await t.open(trade, kind="refund_only", reason="other")
    assert request["status"] == "pending"
    await t.top_up(listed, 500)
    second = await t.paid(listed, buyer)
    assert (await t.open(second, kind="refund_only", reason="other"))["status"] == "refunded"


async def test_instant_refund_needs_a_buyer_with_history(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=12000)
    await t.tier(listed, "instant_refund")
    trade = await t.paid(listed)  # a new buyer: no received orders yet
    request = await t.open(trade, kind="refund_only", reason="other")
    assert request["status"] == "pending"
    assert await api.count(GuaranteePayout) == 0


async def test_refund_without_return_for_a_low_value_item_and_its_abuse_cap(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=1500, stock=10)
    await t.tier(listed, "refund_without_return")
    buyer = await api.user()
    for n in range(3):
        trade = await t.received(listed, buyer)
        request = await t.open(trade, kind="refund_only", reason="quality_problem", text="坏了")
        assert (request["status"], request["without_return"]) == ("refunded", True), n
    assert [p[:3] for p in await t.payouts()] == [
        ("refund_without_return", "order_payment", 1500)
    ] * 3
    assert await api.stock(listed.owner, listed.product_id) == [7]  # nothing came back

    fourth = await t.received(listed, buyer)
    request = await t.open(fourth, kind="refund_only", reason="quality_problem")
    assert request["status"] == "pending"  # the fourth use in 30 days waits for the merchant
    assert len(await t.payouts()) == 3

    operator = await t.operator()  # every use is on record, for abuse review
    r = await api.client.get(
        "/api/v1/guarantee-payouts?guarantee=refund_without_return", headers=operator.auth
    )
    assert [(p["buyer_id"], p["amount_fen"]) for p in r.json()["items"]] == [(buyer.id, 1500)] * 3
    mine = await api.client.get("/api/v1/guarantee-payouts", headers=buyer.auth)
    assert len(mine.json()["items"]) == 3
    other = await api.client.get("/api/v1/guarantee-payouts", headers=listed.owner.auth)
    assert other.json()["items"] == []
    assert (await api.order(buyer, fourth.order_id))["refunded_fen"] == 0


async def test_counterfeit_tenfold_is_paid_from_the_deposit_after_the_dispute(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product(category="beauty", price_fen=20000)
    await t.opt_in(listed, "counterfeit_tenfold")
    await t.top_up(listed, 150000)
    operator = await t.operator()
    trade = await t.received(listed)
    request = await t.open(
        trade,
        kind="return_refund",
        reason="counterfeit_suspected",
        text="防伪码查不到",
        evidence_urls=["https://img.example.com/code.jpg"],
    )
    await t.act(listed.owner, request["id"], "reject", {"reason": "正品, 有进货单"})
    disputed = await t.act(
        trade.buyer, request["id"], "dispute", {"text": "专柜鉴定为假"}, expect=201
    )
    dispute_id = disputed["dispute"]["id"]
    r = await api.client.post(
        f"/api/v1/disputes/{dispute_id}/evidence",
        json={"text": "进货单", "image_urls": ["https://img.example.com/invoice.jpg"]},
        headers=listed.owner.auth,
    )
    assert r.status_code == 201, r.text

    queue = await api.client.get("/api/v1/disputes", headers=operator.auth)
    assert [(e["party"], e["text"]) for e in queue.json()["items"][0]["evidence"]] == [
        ("buyer", "专柜鉴定为假"),
        ("merchant", "进货单"),
    ]
    r = await api.client.post(
        f"/api/v1/disputes/{dispute_id}/decision",
        json={"merchant_at_fault": True, "counterfeit": True, "note": "鉴定报告属实"},
        headers=operator.auth,
    )
    assert r.status_code == 200, r.text

    # ten times 200 yuan is 2,000 yuan; the deposit held 1,500, the platform advanced 500
    assert await t.payouts(trade.order_id) == [
        ("counterfeit_tenfold", "merchant_deposit", 200000, 50000)
    ]
    assert await t.balance(listed) == -50000
    after = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=trade.buyer.auth
    )
    assert after.json()["status"] == "awaiting_return"
    topped = await t.top_up(listed, 80000)
    assert topped["balance_fen"] == 30000  # the debt was repaid first


async def test_fast_shipping_compensates_a_late_shipment_from_the_deposit(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product()
    await t.opt_in(listed, "fast_shipping")
    await t.top_up(listed, 10000)
    late = await t.paid(listed)
    on_time = await t.paid(listed)
    await api.runtime.dispatcher.run_once()  # the watch starts when the payment is announced

    clock.advance(timedelta(hours=23))
    await api.relogin(listed.owner)
    await api.ship(listed.owner, on_time.order_id)
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 0
    clock.advance(timedelta(hours=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 2

    assert await t.payouts() == [("fast_shipping", "merchant_deposit", 500, 0)]
    assert await t.payouts(late.order_id) == [("fast_shipping", "merchant_deposit", 500, 0)]
    assert await t.balance(listed) == 9500
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 0


async def test_product_page_guarantees_follow_the_shop_and_the_category(api: Api) -> None:
    t = Trust(api)
    shirt = await t.product(category="apparel")
    oranges = await t.product(shirt.owner, category="fresh_food", shop_id=shirt.shop_id)
    await t.opt_in(shirt, "fast_shipping")
    await t.tier(shirt, "instant_refund", "seven_day_return")

    r = await api.client.get(f"/api/v1/products/{shirt.product_id}/guarantees")
    assert r.json()["guarantees"] == ["fast_shipping", "instant_refund", "seven_day_return"]
    r = await api.client.get(f"/api/v1/products/{oranges.product_id}/guarantees")
    assert r.json()["guarantees"] == ["fast_shipping", "instant_refund"]
    r = await api.client.get(f"/api/v1/shops/{shirt.shop_id}/guarantees")
    assert [(g["guarantee"], g["source"]) for g in r.json()["guarantees"]] == [
        ("fast_shipping", "opt_in"),
        ("instant_refund", "tier"),
        ("seven_day_return", "mandatory"),
    ]
    await t.tier(shirt)  # the tier is lost: its guarantees go, the shop's own choice stays
    r = await api.client.get(f"/api/v1/products/{shirt.product_id}/guarantees")
    assert r.json()["guarantees"] == ["fast_shipping", "seven_day_return"]
    missing = await api.client.get("/api/v1/products/42/guarantees")
    assert missing.status_code == 404


async def test_fast_shipping_covers_orders_paid_after_the_opt_in_and_pays_automatically(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=4000)
    before = await t.paid(listed)  # 09:00, the shop promises nothing yet
    clock.advance(timedelta(hours=1))
    await api.relogin(listed.owner)
    await t.opt_in(listed, "fast_shipping")  # 10:00
    clock.advance(timedelta(minutes=30))
    after = await t.paid(listed, await api.relogin(before.buyer))  # 10:30, promised by 10:30 +1d
    await api.runtime.dispatcher.run_once()  # both payments are announced after the opt-in

    async with api.runtime.sessions() as session:
        watched = {w.order_id: w.due_at for w in await session.scalars(select(FastShippingWatch))}
    assert watched == {int(after.order_id): datetime(2026, 3, 2, 10, 30, tzinfo=UTC)}

    clock.set(datetime(2026, 3, 2, 10, 29, 59, tzinfo=UTC))
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 0
    assert await t.payouts() == []
    clock.set(datetime(2026, 3, 2, 10, 30, tzinfo=UTC))
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 1

    assert await t.payouts() == [("fast_shipping", "merchant_deposit", 500, 500)]
    assert await t.payouts(before.order_id) == []
    assert await t.balance(listed) == -500
    r = await api.client.get("/api/v1/guarantee-payouts", headers=after.buyer.auth)
    assert [(p["order_id"], p["amount_fen"]) for p in r.json()["items"]] == [(after.order_id, 500)]
    clock.advance(timedelta(days=3))
    assert (await api.runtime.scheduler.run_due())["aftersale.check_fast_shipping"] == 0
    assert len(await t.payouts()) == 1


async def _score_tier(api: Api, listed: Listed, value: str) -> None:
    """The scores side decides the shop's tier from a shop score, granting through after-sales."""
    result = ScoreResult(
        score=SHOP_SCORE, value=Decimal(value), scale=5.0, dimensions=(), indicators=(),
        improvements=(), penalised=False, policy_version="2026.11.1",
    )  # fmt: skip
    hooks = TrustHooks(ExcludeNobody(), NoAttribution(), aftersale.set_tier_guarantees)
    async with api.runtime.sessions() as session:
        policy = load_trust_policy()
        await decide_tier(
            session, int(listed.shop_id), {SHOP_SCORE: result}, policy=policy,
            hooks=hooks, now=api.runtime.clock.now(), fit=bootstrap_fit(policy),
        )  # fmt: skip
        await session.commit()


async def test_refund_without_return_from_the_tiers_opt_in_to_the_pay_out(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=1500, stock=10)
    path = f"/api/v1/shops/{listed.shop_id}/guarantees"

    refused = await api.client.put(
        path, json={"opt_in": ["refund_without_return"]}, headers=listed.owner.auth
    )
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/guarantee-needs-tier")

    await _score_tier(api, listed, "4.70")  # gold: its tier lets the shop choose it
    before = (await api.client.get(path)).json()
    assert "refund_without_return" in before["opt_in_choices"]
    assert "refund_without_return" not in [g["guarantee"] for g in before["guarantees"]]
    await t.opt_in(listed, "refund_without_return")
    after = (await api.client.get(path)).json()
    assert ("refund_without_return", "opt_in") in [
        (g["guarantee"], g["source"]) for g in after["guarantees"]
    ]

    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="quality_problem", text="烂了")
    assert (request["status"], request["without_return"]) == ("refunded", True)
    assert await t.payouts(trade.order_id) == [("refund_without_return", "order_payment", 1500, 0)]
    assert (await api.order(trade.buyer, trade.order_id))["refunded_fen"] == 1500
    assert await api.stock(listed.owner, listed.product_id) == [9]  # nothing came back

    await _score_tier(api, listed, "2.00")  # basic (bootstrap lines): the choice goes with the tier
    shown = (await api.client.get(path)).json()
    assert "refund_without_return" not in shown["opt_in_choices"]
    assert "refund_without_return" not in [g["guarantee"] for g in shown["guarantees"]]
    later = await t.received(listed)
    waiting = await t.open(later, kind="refund_only", reason="quality_problem")
    assert (waiting["status"], waiting["without_return"]) == ("pending", False)
    assert len(await t.payouts()) == 1


def test_the_tiers_that_may_offer_refund_without_return_are_policy() -> None:
    tiers = {tier.name: tier.may_opt_in for tier in load_trust_policy().tiers}
    assert tiers == {
        "gold": frozenset({"refund_without_return"}),
        "silver": frozenset({"refund_without_return"}),
        "basic": frozenset(),
        "restricted": frozenset(),
    }
    assert all("refund_without_return" not in t.guarantees for t in load_trust_policy().tiers)
