"""Real concurrent refunds on one order: together they never exceed what was paid."""

from __future__ import annotations

import asyncio

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive import orders
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Conflict
from trustlive.orders.models import Order, OrderRefund


async def test_eight_concurrent_refunds_of_forty_percent_pay_out_only_twice(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product(price_fen=10000))
    rt = api.runtime

    async def refund(n: int) -> str:
        try:
            async with unit_of_work(rt.sessions) as session:
                await orders.record_refund(
                    session,
                    order_id=int(trade.order_id),
                    amount_fen=4000,
                    reference=f"race:{n}",
                    reason="race",
                    secret=rt.settings.sandbox_payment_secret,
                    now=rt.clock.now(),
                )
        except Conflict:
            return "refused"
        return "paid"

    outcomes = await asyncio.gather(*(refund(n) for n in range(8)))

    assert sorted(outcomes) == ["paid"] * 2 + ["refused"] * 6
    async with rt.sessions() as session:
        order = await session.get(Order, int(trade.order_id))
        assert order is not None
        assert order.refunded_fen == 8000
    assert await api.count(OrderRefund) == 2


async def test_a_refund_with_the_same_reference_pays_once(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product(price_fen=10000))
    rt = api.runtime
    for _ in range(2):
        async with unit_of_work(rt.sessions) as session:
            receipt = await orders.record_refund(
                session, order_id=int(trade.order_id), amount_fen=3000, reference="same",
                reason="retry", secret=rt.settings.sandbox_payment_secret, now=rt.clock.now(),
            )  # fmt: skip
            assert receipt.amount_fen == 3000
    assert await api.count(OrderRefund) == 1
