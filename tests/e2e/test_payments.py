"""The sandbox payment notification: only a genuine, fresh, first-seen notification pays."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.support.api import Api
from trustlive.kernel.clock import FixedClock
from trustlive.orders.models import Payment, PaymentNotification
from trustlive.orders.sandbox_payment import SandboxPaymentProvider, sign

NOTIFY = "/api/v1/payments/sandbox/notify"


async def _pending_payment(api: Api) -> tuple[dict[str, str], str, int]:
    """An order with a started, unsettled payment (what the provider will notify about)."""
    from trustlive.kernel.db import unit_of_work
    from trustlive.orders import payments

    listed = await api.listed_product(price_fen=1000)
    buyer = await api.user()
    order = await api.place(buyer, [(listed.sku_ids[0], 2)])
    async with unit_of_work(api.runtime.sessions) as session:
        payment = await payments.start_payment(
            session, order_id=int(order["id"]), buyer_id=int(buyer.id), now=api.runtime.clock.now()
        )
    return {"buyer": buyer.token}, order["id"], payment.id


def _provider(api: Api) -> SandboxPaymentProvider:
    return SandboxPaymentProvider(api.runtime.settings.sandbox_payment_secret)


async def _status(api: Api, order_id: str) -> str:
    from trustlive.orders.models import Order

    async with api.runtime.sessions() as session:
        order = await session.get(Order, int(order_id))
        assert order is not None
        return order.status


async def test_a_genuine_notification_pays_and_its_replay_changes_nothing(api: Api) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=api.runtime.clock.now()
    )

    first = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())
    replay = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())

    assert (first.status_code, first.json()["outcome"]) == (200, "accepted")
    assert (replay.status_code, replay.json()["outcome"]) == (200, "duplicate")
    assert await _status(api, order_id) == "paid"
    assert await api.count(PaymentNotification) == 1


async def test_a_forged_signature_is_refused_and_changes_nothing(api: Api) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    forger = SandboxPaymentProvider("not-the-shared-secret")
    signed = forger.charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=api.runtime.clock.now()
    )

    r = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())

    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/bad-payment-signature")
    assert await _status(api, order_id) == "pending_payment"
    assert await api.count(PaymentNotification) == 0


async def test_a_tampered_amount_breaks_the_signature(api: Api) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=api.runtime.clock.now()
    )
    body = json.loads(signed.body)
    body["amount_fen"] = 1
    r = await api.client.post(NOTIFY, content=json.dumps(body).encode(), headers=signed.headers())
    assert r.status_code == 401
    assert await _status(api, order_id) == "pending_payment"


async def test_a_correctly_signed_wrong_amount_is_refused(api: Api) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=1, now=api.runtime.clock.now()
    )
    r = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())
    assert r.status_code == 422
    assert r.json()["type"].endswith("/payment-amount-mismatch")
    assert await _status(api, order_id) == "pending_payment"
    assert await api.count(PaymentNotification) == 0


async def test_an_old_notification_replayed_later_is_refused(api: Api, clock: FixedClock) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=clock.now()
    )
    clock.advance(timedelta(minutes=6))

    r = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())

    assert r.status_code == 400
    assert r.json()["type"].endswith("/stale-payment-notification")
    assert await _status(api, order_id) == "pending_payment"


async def test_missing_signature_headers_are_refused(api: Api) -> None:
    _, order_id, payment_id = await _pending_payment(api)
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=api.runtime.clock.now()
    )
    r = await api.client.post(
        NOTIFY, content=signed.body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 401
    assert await _status(api, order_id) == "pending_payment"


async def test_money_arriving_for_a_cancelled_order_is_flagged_not_applied(api: Api) -> None:
    tokens, order_id, payment_id = await _pending_payment(api)
    cancel = await api.client.post(
        f"/api/v1/orders/{order_id}/cancel", headers={"Authorization": f"Bearer {tokens['buyer']}"}
    )
    assert cancel.status_code == 200
    signed = _provider(api).charge(
        payment_id=payment_id, order_id=int(order_id), amount_fen=2000, now=api.runtime.clock.now()
    )
    r = await api.client.post(NOTIFY, content=signed.body, headers=signed.headers())
    assert r.json()["outcome"] == "orphaned"
    assert await _status(api, order_id) == "cancelled"
    async with api.runtime.sessions() as session:
        payment = await session.get(Payment, payment_id)
        assert payment is not None
        assert payment.status == "orphaned"


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert sign("k", "1700000000", b"{}") == expected
