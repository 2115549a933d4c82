"""Concurrent pays of one order, and charges that settle nothing: money and state stay whole.

Every provider charge either settles the order or is refunded (`order_charge_refund`); the
database keeps one pending and one succeeded payment per order. On PostgreSQL the pays truly
interleave; on SQLite they queue on the write lock and must end the same way.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive import orders
from trustlive.kernel.db import unit_of_work
from trustlive.orders import payments, sandbox_payment
from trustlive.orders.models import (
    ChargeRefund,
    Order,
    OrderRefund,
    Payment,
    PaymentNotification,
)


async def _payments(api: Api, order_id: str) -> list[Payment]:
    async with api.runtime.sessions() as session:
        rows = await session.scalars(select(Payment).where(Payment.order_id == int(order_id)))
        return list(rows)


async def _outcomes(api: Api) -> Counter[str]:
    async with api.runtime.sessions() as session:
        return Counter(await session.scalars(select(PaymentNotification.outcome)))


async def test_eight_concurrent_pays_settle_once_and_refund_every_other_charge(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=5000)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])

    replies = await asyncio.gather(
        *(
            api.client.post(f"/api/v1/orders/{order['id']}/payments", headers=buyer.auth)
            for _ in range(8)
        )
    )

    assert {r.status_code for r in replies} <= {200, 409}, [r.text for r in replies]
    assert any(r.status_code == 200 for r in replies)
    rows = await _payments(api, order["id"])
    assert [p.status for p in rows] == ["succeeded"]  # one attempt, settled; nothing pending
    outcomes = await _outcomes(api)
    assert outcomes["accepted"] == 1
    assert set(outcomes) <= {"accepted", "extra_charge"}
    async with api.runtime.sessions() as session:
        refunds = list(await session.scalars(select(ChargeRefund)))
        header = await session.get(Order, int(order["id"]))
    assert header is not None
    assert header.status == "paid"
    assert len(refunds) == outcomes["extra_charge"]  # every charge but one went back
    assert {r.reason for r in refunds} <= {"extra_charge"}
    assert all(r.amount_fen == 5000 and r.charge_ref != rows[0].provider_ref for r in refunds)

    # the paid order stays refundable: its one settled payment is found
    async with unit_of_work(api.runtime.sessions) as session:
        receipt = await orders.record_refund(
            session, order_id=int(order["id"]), amount_fen=5000, reference="after-race",
            reason="test", secret=api.runtime.settings.sandbox_payment_secret,
            now=api.runtime.clock.now(),
        )  # fmt: skip
    assert receipt.amount_fen == 5000
    assert await api.count(OrderRefund) == 1


async def _charge(api: Api, payment: Payment) -> payments.VerifiedNotification:
    rt = api.runtime
    signed = sandbox_payment.SandboxPaymentProvider(rt.settings.sandbox_payment_secret).charge(
        payment_id=payment.id, order_id=payment.order_id, amount_fen=payment.amount_fen,
        now=rt.clock.now(),
    )  # fmt: skip
    return payments.verify_notification(
        body=signed.body, timestamp=signed.timestamp, signature=signed.signature,
        secret=rt.settings.sandbox_payment_secret, tolerance_seconds=300, now=rt.clock.now(),
    )  # fmt: skip


async def _accept(api: Api, note: payments.VerifiedNotification) -> str:
    rt = api.runtime
    async with unit_of_work(rt.sessions) as session:
        return await payments.accept_notification(
            session, note, secret=rt.settings.sandbox_payment_secret, now=rt.clock.now()
        )


async def test_two_charges_of_one_payment_arriving_together_settle_one_and_refund_one(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=3000)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    async with unit_of_work(api.runtime.sessions) as session:
        payment = await payments.start_payment(
            session, order_id=int(order["id"]), buyer_id=int(buyer.id), now=api.runtime.clock.now()
        )
    first, second = await _charge(api, payment), await _charge(api, payment)

    outcomes = await asyncio.gather(_accept(api, first), _accept(api, second))

    assert sorted(outcomes) == ["accepted", "extra_charge"]
    rows = await _payments(api, order["id"])
    assert [p.status for p in rows] == ["succeeded"]  # the settlement was never overwritten
    async with api.runtime.sessions() as session:
        refunds = list(await session.scalars(select(ChargeRefund)))
    assert [r.charge_ref for r in refunds] == [
        n.provider_ref for n in (first, second) if n.provider_ref != rows[0].provider_ref
    ]
    assert await _accept(api, first) == "duplicate"  # a replay changes nothing
    assert await api.count(ChargeRefund) == 1


async def test_money_for_a_cancelled_order_is_refunded_at_once(api: Api) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=2000)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 1)])
    async with unit_of_work(api.runtime.sessions) as session:
        payment = await payments.start_payment(
            session, order_id=int(order["id"]), buyer_id=int(buyer.id), now=api.runtime.clock.now()
        )
    r = await api.client.post(f"/api/v1/orders/{order['id']}/cancel", headers=buyer.auth)
    assert r.status_code == 200, r.text

    assert await _accept(api, await _charge(api, payment)) == "orphaned"

    rows = await _payments(api, order["id"])
    assert [p.status for p in rows] == ["orphaned"]
    async with api.runtime.sessions() as session:
        refunds = list(await session.scalars(select(ChargeRefund)))
    assert [(r.reason, r.amount_fen, r.charge_ref) for r in refunds] == [
        ("order_not_payable", 2000, rows[0].provider_ref)
    ]
