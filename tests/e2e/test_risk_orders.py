"""The inline order check on the real order path: reviews and blocks before the order commits,
identifiers recorded as digests, a closed account's device recognised on a new account, and a
shop's staff buying through a second account."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from tests.support.api import ADDRESS, PASSWORD, Api, User
from trustlive.kernel.clock import FixedClock
from trustlive.orders.models import Order
from trustlive.risk.models import Case, Evidence, LoginIdentity, OrderIdentity


async def _place(
    api: Api,
    buyer: User,
    sku: str,
    *,
    device: str | None = None,
    payment: str | None = None,
    expect: int = 201,
) -> dict[str, Any]:
    headers = {**buyer.auth, "Idempotency-Key": str(uuid.uuid4())}
    if device is not None:
        headers["X-Device-Id"] = device
    body: dict[str, Any] = {"lines": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}
    if payment is not None:
        body["payment_instrument"] = payment
    r = await api.client.post("/api/v1/orders", json=body, headers=headers)
    assert r.status_code == expect, r.text
    found: dict[str, Any] = r.json()
    return found


async def _login(api: Api, user: User, device: str) -> None:
    r = await api.client.post(
        "/api/v1/sessions",
        json={"username": user.username, "password": PASSWORD},
        headers={"X-Device-Id": device},
    )
    assert r.status_code == 200, r.text
    user.token = r.json()["token"]


async def _rows(api: Api, model: type[Any]) -> list[Any]:
    async with api.runtime.sessions() as session:
        return list(await session.scalars(select(model)))


async def test_a_third_order_in_the_hour_is_reviewed_and_the_tenth_blocked_before_it_commits(
    api: Api,
) -> None:
    listed = await api.listed_product(stock=50)
    buyer = await api.user()
    for _ in range(9):
        await _place(api, buyer, listed.sku_ids[0])
    refused = await _place(api, buyer, listed.sku_ids[0], expect=403)

    assert refused["type"].endswith("/order-blocked-by-risk")
    assert refused["rule"] == "velocity.buyer_shop"
    assert await api.count(Order) == 9  # nothing of the tenth was written
    assert await api.stock(listed.owner, listed.product_id) == [41]
    identities = await _rows(api, OrderIdentity)
    assert sorted(i.outcome for i in identities) == ["allow"] * 2 + ["block"] + ["review"] * 7
    cases = await _rows(api, Case)
    assert [(c.subject_kind, c.subject_id, c.status) for c in cases] == [
        ("account", int(buyer.id), "open")
    ]
    evidence = await _rows(api, Evidence)
    assert len(evidence) == 8  # seven reviews and the block, one case
    blocked = [e for e in evidence if e.detail["outcome"] == "block"]
    assert blocked[0].detail["orders"] == []  # a blocked attempt is no order to exclude


async def test_identifiers_are_kept_only_as_digests(api: Api) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    await _place(api, buyer, listed.sku_ids[0], device="dev-raw-123", payment="tok_card_4242")
    [row] = await _rows(api, OrderIdentity)
    kept = [row.device, row.ip, row.address, row.payment, row.phone]
    assert all(v is not None and len(v) == 32 for v in kept)
    for raw in ("dev-raw-123", "tok_card_4242", ADDRESS["phone"], "127.0.0.1"):
        assert all(raw not in v for v in kept)


async def test_the_shops_staff_buying_through_a_second_account_on_their_device_is_blocked(
    api: Api,
) -> None:
    listed = await api.listed_product()
    await _login(api, listed.owner, "owner-phone")
    await api.runtime.dispatcher.run_once()
    second = await api.user()
    refused = await _place(api, second, listed.sku_ids[0], device="owner-phone", expect=403)
    assert refused["rule"] == "identity.staff_device"
    other = await api.user()
    await _place(api, other, listed.sku_ids[0], device="someone-else")
    assert await api.count(Order) == 1


async def test_a_closed_accounts_device_blocks_orders_and_opens_a_case_on_the_new_account(
    api: Api,
) -> None:
    listed = await api.listed_product()
    operator = await api.operator()
    cheat = await api.user()
    for _ in range(3):  # the third is reviewed: a case to act on
        await _place(api, cheat, listed.sku_ids[0], device="burner-1")
    [case] = await _rows(api, Case)
    closed = await api.client.post(
        f"/api/v1/risk/cases/{case.id}/actions",
        json={"kind": "close_account", "reason": "刷单", "clause": "平台规则 4.2 虚假交易"},
        headers=operator.auth,
    )
    assert closed.status_code == 201, closed.text
    clock = api.runtime.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(seconds=11))  # past the token cache (TOKEN_CACHE_SECONDS)
    gone = await api.client.get("/api/v1/users/me", headers=cheat.auth)
    assert gone.status_code == 401

    r = await api.client.post(
        "/api/v1/users",
        json={"username": "fresh_start", "display_name": "新号", "password": PASSWORD},
        headers={"X-Device-Id": "burner-1"},
    )
    assert r.status_code == 201, r.text
    await api.runtime.dispatcher.run_once()
    cases = {(c.subject_kind, c.subject_id): c for c in await _rows(api, Case)}
    new_case = cases[("account", int(r.json()["id"]))]
    async with api.runtime.sessions() as session:
        detectors = list(
            await session.scalars(select(Evidence.detector).where(Evidence.case_id == new_case.id))
        )
        with_device = await session.scalar(
            select(func.count()).select_from(LoginIdentity).where(LoginIdentity.device.is_not(None))
        )
    assert detectors == ["banned_identifier"]
    assert with_device == 1  # the new registration; the cheat's device came from its orders

    fresh = await api.relogin(User(r.json()["id"], "fresh_start", ""))
    refused = await _place(api, fresh, listed.sku_ids[0], device="burner-1", expect=403)
    assert refused["rule"] == "banned.device"
    stranger = await api.user()
    await _place(api, stranger, listed.sku_ids[0], device="my-own-phone")
    relog = await api.client.post(
        "/api/v1/sessions", json={"username": cheat.username, "password": PASSWORD}
    )
    assert relog.status_code == 403
    assert relog.json()["type"].endswith("/account-closed")
