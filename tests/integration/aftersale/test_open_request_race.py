"""One open after-sale request per order, kept by the database; retries get their first answer;
and a deadline sweep that meets a bad request records it and goes on with the rest."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from tests.support.aftersale import Trade, Trust
from tests.support.api import Api
from trustlive.aftersale.domain import OPEN
from trustlive.aftersale.models import OPEN_PREDICATE, AftersaleRequest
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import JobItemFailure
from trustlive.orders.models import OrderRefund

BODY: dict[str, Any] = {"kind": "refund_only", "reason": "not_as_described", "amount_fen": 2000}


def test_the_database_rule_names_exactly_the_open_statuses() -> None:
    assert all(f"'{status}'" in OPEN_PREDICATE for status in OPEN)
    assert OPEN_PREDICATE.count("'") == 2 * len(OPEN)


async def _open(api: Api, trade: Trade, key: str) -> tuple[int, dict[str, object]]:
    r = await api.client.post(
        f"/api/v1/orders/{trade.order_id}/aftersale-requests",
        json=BODY,
        headers={**trade.buyer.auth, "Idempotency-Key": key},
    )
    return r.status_code, r.json()


async def test_eight_concurrent_requests_on_one_order_open_one(api: Api, clock: FixedClock) -> None:
    t = Trust(api)
    trade = await t.received(await t.product(price_fen=6000))

    answers = await asyncio.gather(*(_open(api, trade, str(uuid.uuid4())) for _ in range(8)))

    assert sorted(status for status, _ in answers) == [201] + [409] * 7
    refused = [body for status, body in answers if status == 409]
    assert all(str(b["type"]).endswith("/aftersale-request-already-open") for b in refused)
    assert await api.count(AftersaleRequest) == 1

    clock.advance(timedelta(hours=48))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 1
    assert await api.count(OrderRefund) == 1


async def test_concurrent_retries_with_one_key_all_get_the_first_answer(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product(price_fen=6000))

    answers = await asyncio.gather(*(_open(api, trade, "one-key") for _ in range(8)))

    assert [status for status, _ in answers] == [201] * 8
    assert len({str(body["id"]) for _, body in answers}) == 1
    assert await api.count(AftersaleRequest) == 1


async def test_a_request_that_cannot_be_accepted_does_not_hold_up_the_others(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product(price_fen=6000, stock=20)
    trades = [await t.received(listed) for _ in range(3)]
    opened = [await t.open(trade, **BODY) for trade in trades]
    bad = int(opened[0]["id"])
    async with api.runtime.sessions() as session:  # asks for more than was paid
        await session.execute(
            update(AftersaleRequest).where(AftersaleRequest.id == bad).values(amount_fen=10**6)
        )
        await session.commit()

    clock.advance(timedelta(hours=48))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 2

    async with api.runtime.sessions() as session:
        statuses = dict(
            (await session.execute(select(AftersaleRequest.id, AftersaleRequest.status))).all()
        )
        failure = await session.get(JobItemFailure, ("aftersale.auto_accept", str(bad)))
    assert statuses == {
        int(opened[0]["id"]): "pending",
        int(opened[1]["id"]): "refunded",
        int(opened[2]["id"]): "refunded",
    }
    assert failure is not None
    assert (failure.attempts, failure.retry_at) == (1, clock.now() + timedelta(minutes=1))
    assert await api.count(OrderRefund) == 2

    # held back until its retry time; then tried again, and the wait doubles
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 0
    clock.advance(timedelta(minutes=1))
    assert (await api.runtime.scheduler.run_due())["aftersale.auto_accept"] == 0
    async with api.runtime.sessions() as session:
        failure = await session.get(JobItemFailure, ("aftersale.auto_accept", str(bad)))
    assert failure is not None
    assert (failure.attempts, failure.retry_at) == (2, clock.now() + timedelta(minutes=2))
