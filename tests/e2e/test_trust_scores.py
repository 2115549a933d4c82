"""Scores over HTTP: a seeded shop's explanation adds up, and who may see what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.support.aftersale import Trade, Trust
from tests.support.api import Api, User
from trustlive import aftersale
from trustlive.trust.models import TrustScore, TrustTierDecision


async def _seeded_shop(api: Api) -> tuple[Trust, Trade, list[Trade]]:
    t = Trust(api)
    listed = await t.product(category="apparel")
    trades = [await t.received(listed) for _ in range(3)]
    for rating, trade in zip((5, 5, 1), trades, strict=True):
        r = await api.client.post(
            f"/api/v1/orders/{trade.order_id}/review",
            json={"rating_described": rating, "rating_service": 5, "rating_logistics": 4},
            headers=trade.buyer.auth,
        )
        assert r.status_code == 201, r.text
    await api.runtime.dispatcher.run_once()
    return t, trades[0], trades


async def _get(api: Api, path: str, who: User | None = None, expect: int = 200) -> Any:
    r = await api.client.get(f"/api/v1{path}", headers=who.auth if who else {})
    assert r.status_code == expect, r.text
    return r.json()


async def test_a_seeded_shops_explanation_adds_up_to_its_score(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    shop, owner = trade.listed.shop_id, trade.listed.owner

    body = await _get(api, f"/shops/{shop}/score/explanation", owner)

    value = Decimal(body["value"])
    assert sum(Decimal(i["contribution"]) for i in body["indicators"]) == value
    assert sum(Decimal(d["contribution"]) for d in body["dimensions"]) == value
    assert [d["name"] for d in body["dimensions"]] == [
        "product_quality",
        "logistics",
        "aftersale",
        "service",
    ]
    bad = next(i for i in body["indicators"] if i["code"] == "shop.bad_review_rate")
    assert (bad["successes"], bad["trials"], bad["distinct_buyers"]) == (1.0, 3.0, 1)
    assert bad["raw_rate"] == round(1 / 3, 6)
    assert bad["penalised"] is False  # one unhappy buyer never triggers a penalty
    assert body["category"] == "apparel"
    assert body["category_percentile"] == 50.0  # alone in its category: mid-rank
    assert len(body["improvements"]) == 3
    assert body["policy_version"] == "2026.12.1"
    assert body["unlocks"]["policy_version"] == "2026.12.1"
    stored = await _stored(api, int(shop))
    assert stored == value  # the live path stored what the explanation recomputes


async def _stored(api: Api, shop_id: int) -> Decimal:
    async with api.runtime.sessions() as session:
        row = await session.get(TrustScore, ("shop_experience", shop_id))
        assert row is not None
        return row.value


async def test_the_public_sees_the_headline_and_dimensions_only(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    body = await _get(api, f"/shops/{trade.listed.shop_id}/score")
    assert set(body) == {
        "score",
        "subject_id",
        "value",
        "scale",
        "dimensions",
        "policy_version",
        "as_of",
    }
    assert body["scale"] == 5.0


async def test_the_tier_decision_is_recorded_with_the_policy_and_granted(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    shop_id = int(trade.listed.shop_id)
    async with api.runtime.sessions() as session:
        decisions = list(
            await session.scalars(
                select(TrustTierDecision).where(TrustTierDecision.shop_id == shop_id)
            )
        )
        offered = await aftersale.shop_guarantees(session, shop_id)
    assert decisions
    assert {d.policy_version for d in decisions} == {"2026.12.1"}
    latest = decisions[-1]
    granted = {g.value for g, source in offered if source == "tier"}
    assert granted <= set(latest.guarantees)


async def test_outsiders_cannot_read_a_shops_explanation_history_or_index(api: Api) -> None:
    t, trade, trades = await _seeded_shop(api)
    shop = trade.listed.shop_id
    stranger, buyer = await api.user(), trades[1].buyer
    for path in (
        f"/shops/{shop}/score/explanation",
        f"/shops/{shop}/score/history",
        f"/shops/{shop}/trust-index",
        f"/products/{trade.listed.product_id}/score",
    ):
        await _get(api, path, stranger, expect=403)
        await _get(api, path, buyer, expect=403)
        await _get(api, path, None, expect=401)
    operator = await t.operator()
    index = await _get(api, f"/shops/{shop}/trust-index", operator)
    assert index["scale"] == 100.0
    assert sum(Decimal(i["contribution"]) for i in index["indicators"]) == Decimal(index["value"])
    product = await _get(api, f"/products/{trade.listed.product_id}/score", trade.listed.owner)
    assert product["score"] == "product"


async def test_history_keeps_one_point_per_day(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    body = await _get(api, f"/shops/{trade.listed.shop_id}/score/history", trade.listed.owner)
    assert [p["day"] for p in body["points"]] == [api.runtime.clock.now().date().isoformat()]


async def test_a_creator_score_is_for_the_creator_and_operators(api: Api) -> None:
    t = Trust(api)
    creator, other, operator = await api.user(), await api.user(), await t.operator()
    mine = await _get(api, f"/creators/{creator.id}/score", creator)
    assert mine["score"] == "creator_reputation"
    assert Decimal(mine["value"]) == sum(Decimal(i["contribution"]) for i in mine["indicators"])
    await _get(api, f"/creators/{creator.id}/score", other, expect=403)
    await _get(api, f"/creators/{creator.id}/score", operator)
    await _get(api, "/creators/999999/score", operator, expect=404)


async def test_only_operators_read_the_policy_in_force(api: Api) -> None:
    t = Trust(api)
    await _get(api, "/trust/policy", await api.user(), expect=403)
    body = await _get(api, "/trust/policy", await t.operator())
    assert body["version"] == "2026.12.1"
    assert "# source:" in body["text"]
    assert len(body["indicators"]) == 36


async def test_bad_input_is_a_problem_not_a_500(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    shop, owner = trade.listed.shop_id, trade.listed.owner
    for path, status in (
        (f"/shops/{shop}/score/history?days=0", 422),
        (f"/shops/{shop}/score/history?score=bogus", 422),
        ("/shops/abc/score", 422),
        ("/shops/999999/score", 404),
        ("/shops/999999/score/explanation", 404),
        ("/products/999999/score", 404),
    ):
        r = await api.client.get(f"/api/v1{path}", headers=owner.auth)
        assert r.status_code == status, (path, r.text)
        assert r.headers["content-type"] == "application/problem+json"


async def test_a_quality_refund_through_after_sales_moves_the_shop_and_product_scores(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product(category="apparel")
    trade = await t.received(listed)
    await api.runtime.dispatcher.run_once()
    before = await _get(api, f"/shops/{listed.shop_id}/score/explanation", listed.owner)

    request = await t.open(trade, kind="refund_only", reason="quality_problem", amount_fen=2000)
    await t.act(listed.owner, request["id"], "accept")
    await api.runtime.dispatcher.run_once()
    after = await _get(api, f"/shops/{listed.shop_id}/score/explanation", listed.owner)
    product = await _get(api, f"/products/{listed.product_id}/score", listed.owner)

    def indicator(body: dict[str, Any], code: str) -> dict[str, Any]:
        found: dict[str, Any] = next(i for i in body["indicators"] if i["code"] == code)
        return found

    refunds = indicator(after, "shop.quality_refund_rate")
    assert (refunds["successes"], refunds["trials"], refunds["distinct_buyers"]) == (1.0, 1.0, 1)
    assert refunds["penalised"] is False  # one buyer: smoothing, never a penalty
    assert Decimal(after["value"]) < Decimal(before["value"])
    assert indicator(product, "product.quality_refund_rate")["successes"] == 1.0
    # decided at once: nothing late, and per paid order, so the speed cannot offset the complaint
    late = indicator(after, "shop.aftersale_late_rate")
    assert (late["successes"], late["trials"]) == (0.0, 1.0)
    complaints = indicator(after, "shop.quality_request_rate")
    assert (complaints["successes"], complaints["trials"]) == (1.0, 1.0)
