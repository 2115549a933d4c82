"""Forbidden after-sales paths: other buyers, other shops, non-operators. Nothing may change."""

from __future__ import annotations

import uuid

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive.aftersale.models import (
    AftersaleRequest,
    DepositEntry,
    Dispute,
    DisputeEvidence,
    ShopGuarantee,
)
from trustlive.orders.models import OrderRefund


async def test_another_buyer_cannot_open_see_or_drive_a_request(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    trade = await t.received(listed)
    stranger = await api.user()
    r = await api.client.post(
        f"/api/v1/orders/{trade.order_id}/aftersale-requests",
        json={"kind": "refund_only", "reason": "other"},
        headers={**stranger.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 404
    request = await t.open(trade, kind="return_refund", reason="no_reason_7_days")
    rid = request["id"]
    for method, path, body in [
        ("GET", f"/api/v1/aftersale-requests/{rid}", None),
        ("POST", f"/api/v1/aftersale-requests/{rid}/return-shipment",
         {"carrier": "中通", "tracking_no": "ZT0001"}),
        ("POST", f"/api/v1/aftersale-requests/{rid}/dispute", {"text": "我也要"}),
        ("POST", f"/api/v1/aftersale-requests/{rid}/accept", None),
    ]:  # fmt: skip
        r = await api.client.request(method, path, json=body, headers=stranger.auth)
        assert r.status_code == 404, (path, r.text)
    mine = await api.client.get("/api/v1/me/aftersale-requests", headers=stranger.auth)
    assert mine.json()["items"] == []
    after = await api.client.get(f"/api/v1/aftersale-requests/{rid}", headers=trade.buyer.auth)
    assert after.json()["status"] == "awaiting_return"
    assert after.json()["return_shipped_at"] is None


async def test_another_shop_cannot_decide_or_list_the_request(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    rival = await t.product()
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="other", amount_fen=300)
    for step, body in [("accept", None), ("reject", {"reason": "不行"}), ("return-receipt", None)]:
        r = await api.client.post(
            f"/api/v1/aftersale-requests/{request['id']}/{step}",
            json=body,
            headers=rival.owner.auth,
        )
        assert r.status_code == 404, step
    r = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/aftersale-requests", headers=rival.owner.auth
    )
    assert r.status_code == 403
    assert await api.count(OrderRefund) == 0
    own = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/aftersale-requests", headers=listed.owner.auth
    )
    assert [x["id"] for x in own.json()["items"]] == [request["id"]]


async def test_the_buyer_cannot_decide_their_own_request(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product())
    request = await t.open(trade, kind="refund_only", reason="other", amount_fen=300)
    r = await api.client.post(
        f"/api/v1/aftersale-requests/{request['id']}/accept", headers=trade.buyer.auth
    )
    assert r.status_code == 404
    assert await api.count(OrderRefund) == 0


async def test_only_operators_see_and_decide_disputes_and_evidence_stays_private(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product()
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="quality_problem", amount_fen=300)
    await t.act(listed.owner, request["id"], "reject", {"reason": "人为损坏"})
    disputed = await t.act(trade.buyer, request["id"], "dispute", {"text": "到手即坏"}, expect=201)
    dispute_id = disputed["dispute"]["id"]
    stranger = await api.user()

    assert (await api.client.get("/api/v1/disputes", headers=trade.buyer.auth)).status_code == 403
    r = await api.client.post(
        f"/api/v1/disputes/{dispute_id}/decision",
        json={"merchant_at_fault": True, "note": "我判我赢"},
        headers=trade.buyer.auth,
    )
    assert r.status_code == 403
    operator = await t.operator()
    r = await api.client.post(
        f"/api/v1/disputes/{dispute_id}/decision",
        json={"merchant_at_fault": False, "counterfeit": True, "note": "自相矛盾"},
        headers=operator.auth,
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("/counterfeit-needs-merchant-fault")
    r = await api.client.post(
        f"/api/v1/disputes/{dispute_id}/evidence",
        json={"text": "路人证据"},
        headers=stranger.auth,
    )
    assert r.status_code == 404
    seen = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=stranger.auth
    )
    assert seen.status_code == 404
    merchant_view = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=listed.owner.auth
    )
    assert [e["text"] for e in merchant_view.json()["dispute"]["evidence"]] == ["到手即坏"]
    assert await api.count(DisputeEvidence) == 1
    assert await api.count(Dispute) == 1
    assert await api.count(OrderRefund) == 0


async def test_guarantees_and_deposits_belong_to_the_shop_owner(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    other = await api.user()
    r = await api.client.put(
        f"/api/v1/shops/{listed.shop_id}/guarantees",
        json={"opt_in": ["fast_shipping"]},
        headers=other.auth,
    )
    assert r.status_code == 403
    r = await api.client.put(
        f"/api/v1/shops/{listed.shop_id}/guarantees",
        json={"opt_in": ["instant_refund"]},
        headers=listed.owner.auth,
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("/guarantee-not-optional")
    r = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/deposit/top-ups",
        json={"amount_fen": 100},
        headers={**other.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 403
    r = await api.client.get(f"/api/v1/shops/{listed.shop_id}/deposit", headers=other.auth)
    assert r.status_code == 403
    r = await api.client.get(
        f"/api/v1/guarantee-payouts?shop_id={listed.shop_id}", headers=other.auth
    )
    assert r.status_code == 403
    assert await api.count(ShopGuarantee) == 0
    assert await api.count(DepositEntry) == 0


async def test_bad_after_sale_input_is_a_422_and_writes_nothing(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    trade = await t.received(listed)
    for body in [
        {"kind": "refund_only", "reason": "because"},
        {"kind": "refund", "reason": "other"},
        {"kind": "refund_only", "reason": "other", "amount_fen": -5},
        {"kind": "refund_only", "reason": "other", "evidence_urls": ["javascript:alert(1)"]},
        {"kind": "refund_only", "reason": "other", "surprise": True},
        {"kind": "return_refund", "reason": "other", "lines": [{"sku_id": "1", "quantity": 1}]},
        {"kind": "return_refund", "reason": "other",
         "lines": [{"sku_id": listed.sku_ids[0], "quantity": 2}]},
    ]:  # fmt: skip
        r = await api.client.post(
            f"/api/v1/orders/{trade.order_id}/aftersale-requests",
            json=body,
            headers={**trade.buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert await api.count(AftersaleRequest) == 0


async def test_opening_twice_with_one_key_opens_one_request(api: Api) -> None:
    t = Trust(api)
    trade = await t.received(await t.product())
    key = str(uuid.uuid4())
    answers = []
    for _ in range(2):
        r = await api.client.post(
            f"/api/v1/orders/{trade.order_id}/aftersale-requests",
            json={"kind": "refund_only", "reason": "other", "amount_fen": 100},
            headers={**trade.buyer.auth, "Idempotency-Key": key},
        )
        assert r.status_code == 201
        answers.append(r.json()["id"])
    assert answers[0] == answers[1]
    assert await api.count(AftersaleRequest) == 1
