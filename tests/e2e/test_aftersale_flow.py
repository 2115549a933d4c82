"""The after-sale state machine over HTTP: deadlines, refunds across requests, disputes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive.aftersale.models import AftersaleRequest, GuaranteePayout
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import OutboxEvent
from trustlive.orders.models import OrderRefund


async def test_an_unanswered_refund_request_is_accepted_after_48_hours(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=6000)
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="not_as_described", amount_fen=2000)
    assert request["decide_by_at"] == "2026-03-03T09:00:00Z"

    clock.advance(timedelta(hours=48) - timedelta(seconds=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 0
    clock.advance(timedelta(seconds=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 1

    after = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=trade.buyer.auth
    )
    body = after.json()
    assert (body["status"], body["refunded_fen"]) == ("refunded", 2000)
    assert [(h["action"], h["actor"], h["note"]) for h in body["history"]] == [
        ("accept_refund", "system", "no answer in time")
    ]
    assert (await api.order(trade.buyer, trade.order_id))["status"] == "received"


async def test_refunds_over_several_requests_never_exceed_what_was_paid(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=3000)
    trade = await t.received(listed, quantity=2)  # 6,000 fen paid
    first = await t.open(trade, kind="refund_only", reason="quality_problem", amount_fen=4000)
    await t.act(listed.owner, first["id"], "accept")
    too_much = await t.open(
        trade, expect=422, kind="refund_only", reason="quality_problem", amount_fen=2001
    )
    assert too_much["type"].endswith("/aftersale-amount-too-high")
    second = await t.open(trade, kind="refund_only", reason="quality_problem")
    assert second["amount_fen"] == 2000
    await t.act(listed.owner, second["id"], "accept")
    nothing_left = await t.open(trade, expect=422, kind="refund_only", reason="other")
    assert nothing_left["type"].endswith("/aftersale-amount-too-high")
    assert await api.count(OrderRefund) == 2
    assert await api.count(AftersaleRequest) == 2


async def test_one_open_request_per_order(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product())
    await t.open(trade, kind="refund_only", reason="other", amount_fen=100)
    again = await t.open(trade, expect=409, kind="refund_only", reason="other", amount_fen=100)
    assert again["type"].endswith("/aftersale-request-already-open")


async def test_a_refund_before_shipping_is_the_whole_order_and_closes_it(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=2500, stock=4)
    trade = await t.paid(listed, quantity=2)
    partial = await t.open(trade, expect=422, kind="refund_only", reason="other", amount_fen=100)
    assert partial["type"].endswith("/aftersale-amount-too-high")
    no_return = await t.open(trade, expect=409, kind="return_refund", reason="other")
    assert no_return["type"].endswith("/aftersale-kind-needs-shipment")

    request = await t.open(trade, kind="refund_only", reason="other")
    assert request["amount_fen"] == 5000
    await t.act(listed.owner, request["id"], "accept")
    order = await api.order(trade.buyer, trade.order_id)
    assert order["status"] == "closed"
    assert await api.stock(listed.owner, listed.product_id) == [4]
    ship = await api.client.post(
        f"/api/v1/orders/{trade.order_id}/shipment",
        json={"carrier": "顺丰", "tracking_no": "SF0001"},
        headers=listed.owner.auth,
    )
    assert ship.status_code == 409


async def test_a_return_never_posted_closes_after_seven_days_without_paying(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product()
    trade = await t.received(listed)
    request = await t.open(trade, kind="return_refund", reason="no_reason_7_days")
    clock.advance(timedelta(days=7))
    assert (await api.runtime.scheduler.run_due())["aftersale.close_unreturned"] == 1
    await api.relogin(trade.buyer)
    after = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=trade.buyer.auth
    )
    assert after.json()["status"] == "closed"
    assert await api.count(OrderRefund) == 0
    assert await api.count(GuaranteePayout) == 0


async def test_an_exchange_restocks_the_return_and_refunds_nothing(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(stock=3)
    trade = await t.received(listed)
    request = await t.open(trade, kind="exchange", reason="wrong_item", text="发错颜色")
    assert request["amount_fen"] == 0
    await t.act(listed.owner, request["id"], "accept")
    await t.ship_return(trade, request["id"])
    done = await t.act(listed.owner, request["id"], "return-receipt")
    assert done["status"] == "exchanged"
    assert await api.stock(listed.owner, listed.product_id) == [3]
    assert await api.count(OrderRefund) == 0


async def test_a_dispute_decided_for_the_merchant_closes_the_request(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="not_as_described", amount_fen=500)
    await t.act(listed.owner, request["id"], "reject", {"reason": "与描述一致"})
    disputed = await t.act(trade.buyer, request["id"], "dispute", {"text": "颜色不同"}, expect=201)
    r = await api.client.post(
        f"/api/v1/disputes/{disputed['dispute']['id']}/decision",
        json={"merchant_at_fault": False, "note": "图片与实物一致"},
        headers=operator.auth,
    )
    assert r.status_code == 200, r.text
    assert r.json()["merchant_at_fault"] is False
    after = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=trade.buyer.auth
    )
    assert after.json()["status"] == "closed"
    again = await api.client.post(
        f"/api/v1/disputes/{disputed['dispute']['id']}/decision",
        json={"merchant_at_fault": True, "note": "改判"},
        headers=operator.auth,
    )
    assert again.status_code == 409
    assert await api.count(OrderRefund) == 0


async def test_events_of_the_contract_are_recorded(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="quality_problem", amount_fen=900)
    await t.act(listed.owner, request["id"], "accept")
    async with api.runtime.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.topic.like("aftersale.%"))
                .order_by(OutboxEvent.id)
            )
        ).all()
    assert [r.topic for r in rows] == [
        "aftersale.request_opened",
        "aftersale.request_decided",
        "aftersale.refund_paid",
    ]
    paid = rows[2].payload
    assert (paid["amount_fen"], paid["instant"], paid["without_return"]) == (900, False, False)
    assert paid["resolve_seconds"] == 0


async def test_returns_over_several_requests_restock_each_unit_once(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=4000, stock=5)
    trade = await t.received(listed, quantity=2)
    sku = listed.sku_ids[0]
    for _ in range(2):
        request = await t.open(
            trade, kind="return_refund", reason="no_reason_7_days",
            lines=[{"sku_id": sku, "quantity": 1}],
        )  # fmt: skip
        await t.ship_return(trade, request["id"])
        await t.act(listed.owner, request["id"], "return-receipt")
    assert await api.stock(listed.owner, listed.product_id) == [5]
    third = await t.open(trade, expect=422, kind="return_refund", reason="no_reason_7_days")
    assert third["type"].endswith("/aftersale-bad-lines")
    order = await api.order(trade.buyer, trade.order_id)
    assert (order["status"], order["refunded_fen"]) == ("received", 8000)
    assert await t.payouts(trade.order_id) == [("seven_day_return", "order_payment", 4000, 0)] * 2
