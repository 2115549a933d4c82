"""Timeouts driven by the injected clock and the scheduler: no waiting."""

from __future__ import annotations

from datetime import timedelta

from tests.support.api import Api
from trustlive.kernel.clock import FixedClock


async def test_unpaid_orders_are_cancelled_after_15_minutes_and_stock_returns(
    api: Api, clock: FixedClock
) -> None:
    listed = await api.listed_product(stock=4)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 3)])
    assert await api.stock(listed.owner, listed.product_id) == [1]

    clock.advance(timedelta(minutes=14, seconds=59))
    assert (await api.runtime.scheduler.run_due())["orders.cancel_unpaid"] == 0
    clock.advance(timedelta(seconds=1))
    assert (await api.runtime.scheduler.run_due())["orders.cancel_unpaid"] == 1

    after = await api.order(buyer, order["id"])
    assert after["status"] == "cancelled"
    assert after["history"][-1]["actor"] == "system"
    assert after["history"][-1]["reason"] == "not paid in time"
    assert await api.stock(listed.owner, listed.product_id) == [4]


async def test_paying_after_the_deadline_is_refused(api: Api, clock: FixedClock) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    clock.advance(timedelta(minutes=15))
    r = await api.client.post(f"/api/v1/orders/{order['id']}/payments", headers=buyer.auth)
    assert r.status_code == 409
    assert r.json()["type"].endswith("/payment-window-closed")


async def test_receipt_is_confirmed_automatically_after_ten_days_then_completes(
    api: Api, clock: FixedClock
) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    await api.pay(buyer, order["id"])
    await api.ship(listed.owner, order["id"])

    clock.advance(timedelta(days=10) - timedelta(seconds=1))
    await api.runtime.scheduler.run_due()
    await api.relogin(buyer)
    assert (await api.order(buyer, order["id"]))["status"] == "shipped"
    clock.advance(timedelta(seconds=1))
    done = await api.runtime.scheduler.run_due()
    assert done["orders.auto_receive"] == 1
    received = await api.order(buyer, order["id"])
    assert received["status"] == "received"
    assert received["history"][-1]["actor"] == "system"

    clock.advance(timedelta(days=7))
    assert (await api.runtime.scheduler.run_due())["orders.complete_received"] == 1
    await api.relogin(buyer)
    assert (await api.order(buyer, order["id"]))["status"] == "completed"
