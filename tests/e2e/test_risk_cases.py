"""Cases end to end: the scheduled detectors read orders from the database and open cases; an
operator decides; the subject sees only their own decisions and appeals once; every step is
audited; a verdict takes a brushing ring out of the shop's score; reports and repeated text
violations open cases. Every endpoint authorises."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api, Listed, User
from trustlive import risk
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import unit_of_work
from trustlive.risk.context import context_of
from trustlive.risk.detection import run_graph_detectors
from trustlive.risk.models import Action, AuditEntry, Case, Exclusion, TextViolation
from trustlive.trust import jobs as trust_jobs
from trustlive.trust.context import EXTRAS_KEY as TRUST_KEY
from trustlive.trust.context import TrustContext
from trustlive.trust.models import TrustDailyCounter


def _clock(api: Api) -> FixedClock:
    clock = api.runtime.clock
    assert isinstance(clock, FixedClock)
    return clock


async def _review(api: Api, buyer: User, order_id: str) -> None:
    r = await api.client.post(
        f"/api/v1/orders/{order_id}/review",
        json={"rating_described": 5, "rating_service": 5, "rating_logistics": 5},
        headers=buyer.auth,
    )
    assert r.status_code == 201, r.text


async def _ring_brushes(api: Api, t: Trust, listed: Listed, size: int = 3) -> list[User]:
    """`size` accounts place three orders each within minutes, receive and review them."""
    ring = [await api.user() for _ in range(size)]
    for buyer in ring:
        for _ in range(3):
            trade = await t.received(listed, buyer)
            await _review(api, buyer, trade.order_id)
    return ring


async def _detect(api: Api) -> int:
    ctx = context_of(api.runtime)
    async with unit_of_work(api.runtime.sessions) as session:
        return await run_graph_detectors(session, ctx, _clock(api).now())


async def _shop_case(api: Api, shop_id: str) -> Case:
    async with api.runtime.sessions() as session:
        case = await session.scalar(
            select(Case).where(Case.subject_kind == "shop", Case.subject_id == int(shop_id))
        )
    assert case is not None
    return case


async def _shop_reviews(api: Api, shop_id: str) -> int:
    async with api.runtime.sessions() as session:
        count = await session.scalar(
            select(TrustDailyCounter.count).where(
                TrustDailyCounter.subject_kind == "shop",
                TrustDailyCounter.subject_id == int(shop_id),
                TrustDailyCounter.measure == "reviews",
            )
        )
    return int(count or 0)


async def _recompute(api: Api) -> None:
    ctx = api.runtime.extras[TRUST_KEY]
    assert isinstance(ctx, TrustContext)
    async with unit_of_work(api.runtime.sessions) as session:
        await trust_jobs.recompute_all(session, ctx, _clock(api).now())


async def _act(api: Api, who: User, case_id: int, expect: int = 201, **body: Any) -> Any:
    r = await api.client.post(
        f"/api/v1/risk/cases/{case_id}/actions",
        json={"reason": "刷单炒信", "clause": "平台规则 4.2 虚假交易", **body},
        headers=who.auth,
    )
    assert r.status_code == expect, r.text
    return r.json()


async def test_a_verdict_on_a_detected_ring_takes_its_orders_and_reviews_out_of_the_score(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    ring = await _ring_brushes(api, t, listed)
    _clock(api).advance(timedelta(hours=3))
    honest = await t.received(listed)
    await _review(api, honest.buyer, honest.order_id)
    await api.runtime.dispatcher.run_once()
    await _recompute(api)
    assert await _shop_reviews(api, listed.shop_id) == 10

    assert await _detect(api) >= 1
    assert await _detect(api) == 0  # once per period
    case = await _shop_case(api, listed.shop_id)
    detail = (await api.client.get(f"/api/v1/risk/cases/{case.id}", headers=operator.auth)).json()
    brushing = [e for e in detail["evidence"] if e["detector"] == "brushing"]
    assert sorted(brushing[0]["detail"]["accounts"]) == sorted(u.id for u in ring)
    assert len(brushing[0]["detail"]["orders"]) == 9

    await _act(api, operator, case.id, kind="exclude_from_scores")
    await _recompute(api)
    assert await _shop_reviews(api, listed.shop_id) == 1  # the honest buyer's alone
    async with api.runtime.sessions() as session:
        excluded = await risk.ExclusionByVerdict().excluded_accounts(session)
    assert excluded == {int(u.id) for u in ring}


async def test_operators_alone_read_and_decide_cases(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    await _ring_brushes(api, t, listed, size=1)
    buyer = await api.user()
    async with api.runtime.sessions() as session:
        [case] = list(await session.scalars(select(Case)))
    for path in ("/api/v1/risk/cases", f"/api/v1/risk/cases/{case.id}"):
        r = await api.client.get(path, headers=buyer.auth)
        assert r.status_code == 403
        assert (await api.client.get(path)).status_code == 401
    await _act(api, buyer, case.id, expect=403, kind="warn")
    r = await api.client.post(
        f"/api/v1/risk/cases/{case.id}/dismissal", json={"note": "无"}, headers=buyer.auth
    )
    assert r.status_code == 403
    assert await api.count(Action) == 0


async def test_the_subject_sees_its_decision_appeals_once_and_the_overturn_reopens_it(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    [cheat] = await _ring_brushes(api, t, listed, size=1)
    async with api.runtime.sessions() as session:
        case = await session.scalar(select(Case).where(Case.subject_kind == "account"))
    assert case is not None
    action = await _act(api, operator, case.id, kind="freeze_settlement", days=30)
    stranger = await api.user()

    mine = await api.client.get("/api/v1/me/risk-decisions", headers=cheat.auth)
    assert [a["id"] for a in mine.json()["items"]] == [action["id"]]
    theirs = await api.client.get("/api/v1/me/risk-decisions", headers=stranger.auth)
    assert theirs.json()["items"] == []
    merchant = await api.client.get("/api/v1/me/risk-decisions", headers=listed.owner.auth)
    assert merchant.json()["items"] == []

    path = f"/api/v1/risk/decisions/{action['id']}/appeal"
    r = await api.client.post(path, json={"text": "不是我"}, headers=stranger.auth)
    assert r.status_code == 404
    r = await api.client.post(path, json={"text": "我是真实购买"}, headers=cheat.auth)
    assert r.status_code == 200, r.text
    again = await api.client.post(path, json={"text": "再申诉"}, headers=cheat.auth)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/risk-already-appealed")

    async with api.runtime.sessions() as session:
        assert await risk.settlement_frozen(
            session, account_id=int(cheat.id), now=_clock(api).now()
        )
    decide = f"/api/v1/risk/decisions/{action['id']}/appeal-decision"
    r = await api.client.post(
        decide, json={"overturn": True, "note": "核实为真实购买"}, headers=cheat.auth
    )
    assert r.status_code == 403
    r = await api.client.post(
        decide, json={"overturn": True, "note": "核实为真实购买"}, headers=operator.auth
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "overturned"
    async with api.runtime.sessions() as session:
        assert not await risk.settlement_frozen(
            session, account_id=int(cheat.id), now=_clock(api).now()
        )
        steps = list(
            await session.scalars(
                select(AuditEntry.step).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id)
            )
        )
    assert steps[0] == "opened"
    assert steps[-3:] == ["action.freeze_settlement", "appealed", "appeal.overturned"]


async def test_a_traffic_limit_and_removed_products_act_on_the_shop_until_they_expire(
    api: Api,
) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    buyer = await api.user()
    r = await api.client.post(
        "/api/v1/risk/reports",
        json={"target": "product", "target_id": listed.product_id, "reason": "counterfeit"},
        headers=buyer.auth,
    )
    assert r.status_code == 201, r.text
    twice = await api.client.post(
        "/api/v1/risk/reports",
        json={"target": "product", "target_id": listed.product_id, "reason": "counterfeit"},
        headers=buyer.auth,
    )
    assert twice.status_code == 409
    case = await _shop_case(api, listed.shop_id)
    await _act(api, operator, case.id, expect=422, kind="limit_traffic")  # no factor
    await _act(api, operator, case.id, kind="limit_traffic", factor=0.2, days=7)
    await _act(api, operator, case.id, kind="remove_products", product_ids=[listed.product_id])

    product = await api.client.get(
        f"/api/v1/products/{listed.product_id}", headers=listed.owner.auth
    )
    assert product.json()["status"] == "delisted"
    now = _clock(api).now()
    async with api.runtime.sessions() as session:
        assert await risk.traffic_factor(session, shop_id=int(listed.shop_id), now=now) == 0.2
        assert await risk.traffic_factor(session, shop_id=999, now=now) == 1.0
    mine = await api.client.get("/api/v1/me/risk-decisions", headers=listed.owner.auth)
    assert [a["kind"] for a in mine.json()["items"]] == ["remove_products", "limit_traffic"]

    _clock(api).advance(timedelta(days=8))
    await api.runtime.scheduler.run_due()
    async with api.runtime.sessions() as session:
        later = _clock(api).now()
        assert await risk.traffic_factor(session, shop_id=int(listed.shop_id), now=later) == 1.0
        statuses = sorted(a.status for a in await session.scalars(select(Action)))
    assert statuses == ["in_force", "lifted"]


async def test_a_report_of_an_unknown_target_is_404_and_opens_nothing(
    api: Api,
) -> None:
    buyer = await api.user()
    r = await api.client.post(
        "/api/v1/risk/reports",
        json={"target": "shop", "target_id": "123456", "reason": "abuse"},
        headers=buyer.auth,
    )
    assert r.status_code == 404
    assert await api.count(Case) == 0
    r = await api.client.post(
        "/api/v1/risk/reports",
        json={"target": "shop", "target_id": "1", "reason": "made-up"},
        headers=buyer.auth,
    )
    assert r.status_code == 422


async def test_repeated_text_violations_by_one_author_open_a_case(api: Api) -> None:
    ctx = context_of(api.runtime)
    for text in ("全网最低价", "第一品牌", "国家级品质"):
        verdict = ctx.text_checks.message(text, user_id=42, place="room:7")
        assert verdict.findings
    await api.runtime.scheduler.run_due()
    assert await api.count(TextViolation) == 3
    async with api.runtime.sessions() as session:
        case = await session.scalar(select(Case).where(Case.subject_kind == "account"))
    assert case is not None
    assert (case.subject_id, case.evidence_count) == (42, 1)
    ctx.text_checks.message("你好", user_id=43, place="room:7")
    await api.runtime.scheduler.run_due()
    assert await api.count(TextViolation) == 3
    assert await api.count(Exclusion) == 0
