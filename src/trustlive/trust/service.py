"""Trust use cases: score subjects from their counters, keep snapshots, history and tiers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog
from trustlive.kernel.errors import NotFound
from trustlive.kernel.ids import new_id
from trustlive.trust import counters, scoring
from trustlive.trust.fold import day_of
from trustlive.trust.hooks import TrustHooks, grant
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.models import (
    TrustOrderFact,
    TrustScore,
    TrustScoreHistory,
    TrustShopTier,
    TrustTierDecision,
)
from trustlive.trust.policy import Policy

SHOP_SCORE = "shop_experience"
Subject = tuple[SubjectKind, int]


async def category_of(session: AsyncSession, kind: SubjectKind, subject_id: int) -> str | None:
    """A product's catalog category; a shop's is that of its most-ordered recent product."""
    if kind == SubjectKind.PRODUCT:
        product_id: int | None = subject_id
    elif kind == SubjectKind.SHOP:
        recent = await session.scalars(
            select(TrustOrderFact.product_ids)
            .where(TrustOrderFact.shop_id == subject_id)
            .order_by(TrustOrderFact.order_id.desc())
            .limit(200)
        )
        tally = Counter(p for ids in recent for p in ids)
        product_id = min(tally, key=lambda p: (-tally[p], p)) if tally else None
    else:
        return None
    if product_id is None:
        return None
    try:
        return (await catalog.product_facts(session, product_id)).category
    except NotFound:
        return None


def dimensions_json(result: scoring.ScoreResult) -> dict[str, Any]:
    return {
        d.name: {"value": round(d.value, 4), "contribution": str(d.contribution)}
        for d in result.dimensions
    }


async def compute(
    session: AsyncSession, name: str, subject_id: int, *, policy: Policy, now: datetime
) -> tuple[scoring.ScoreResult, str | None]:
    sp = policy.scores[name]
    today = day_of(now)
    series = await counters.load_series(
        session, sp.subject, subject_id, counters.since_for(today, policy.max_window_days)
    )
    category = await category_of(session, sp.subject, subject_id)
    return scoring.compute_score(
        sp, series, today=today, policy=policy, category=category
    ), category


async def refresh(
    session: AsyncSession,
    subjects: set[Subject],
    *,
    policy: Policy,
    hooks: TrustHooks,
    now: datetime,
) -> int:
    """Recompute every score of these subjects: snapshot, today's history row, shop tiers."""
    done = 0
    for kind, subject_id in sorted(subjects):
        results: dict[str, scoring.ScoreResult] = {}
        for name, sp in policy.scores.items():
            if sp.subject != kind:
                continue
            result, category = await compute(session, name, subject_id, policy=policy, now=now)
            results[name] = result
            await _store(session, name, kind, subject_id, result, category, now)
            done += 1
        if kind == SubjectKind.SHOP:
            await decide_tier(session, subject_id, results, policy=policy, hooks=hooks, now=now)
    return done


async def _store(
    session: AsyncSession,
    name: str,
    kind: SubjectKind,
    subject_id: int,
    result: scoring.ScoreResult,
    category: str | None,
    now: datetime,
) -> None:
    dims = dimensions_json(result)
    row = await session.get(TrustScore, (name, subject_id))
    if row is None:
        row = TrustScore(score=name, subject_id=subject_id, subject_kind=kind.value)
        session.add(row)
    row.category, row.value, row.penalised, row.dimensions = (
        category,
        result.value,
        result.penalised,
        dims,
    )
    row.policy_version, row.computed_at = result.policy_version, now
    day = day_of(now)
    hist = await session.get(TrustScoreHistory, (name, subject_id, day))
    if hist is None:
        hist = TrustScoreHistory(score=name, subject_id=subject_id, day=day)
        session.add(hist)
    hist.value, hist.dimensions, hist.policy_version = result.value, dims, result.policy_version
    await session.flush()


async def decide_tier(
    session: AsyncSession,
    shop_id: int,
    results: dict[str, scoring.ScoreResult],
    *,
    policy: Policy,
    hooks: TrustHooks,
    now: datetime,
) -> None:
    """Tier, traffic weight, campaign and subsidy eligibility; a change is recorded and granted."""
    shop = results[SHOP_SCORE]
    tier = scoring.tier_for(shop.value, shop.penalised, policy)
    qrr = next((i.smoothed for i in shop.indicators if i.code == "shop.quality_refund_rate"), 0.0)
    camp = policy.campaign
    campaign_ok = (
        float(shop.value) >= camp.min_shop_score
        and qrr <= camp.max_quality_refund_rate
        and not (camp.no_active_penalty and shop.penalised)
    )
    index = results.get("trust_index")
    subsidy_ok = tier.name in policy.subsidy.tiers and (
        index is not None and float(index.value) >= policy.subsidy.min_trust_index
    )
    current = await session.get(TrustShopTier, shop_id)
    state = (tier.name, campaign_ok, subsidy_ok, policy.version)
    if current is not None and state == (
        current.tier,
        current.campaign_eligible,
        current.subsidy_eligible,
        current.policy_version,
    ):
        return
    previous = current.tier if current is not None else None
    guarantees = sorted(tier.guarantees)
    if current is None:
        current = TrustShopTier(shop_id=shop_id)
        session.add(current)
    current.tier, current.traffic_weight, current.guarantees = (
        tier.name,
        tier.traffic_weight,
        guarantees,
    )
    current.campaign_eligible, current.subsidy_eligible = campaign_ok, subsidy_ok
    current.policy_version, current.decided_at = policy.version, now
    session.add(
        TrustTierDecision(
            id=new_id(),
            shop_id=shop_id,
            tier=tier.name,
            previous_tier=previous,
            shop_score=shop.value,
            traffic_weight=tier.traffic_weight,
            guarantees=guarantees,
            campaign_eligible=campaign_ok,
            subsidy_eligible=subsidy_ok,
            policy_version=policy.version,
            decided_at=now,
        )
    )
    await session.flush()
    if previous != tier.name:
        await grant(
            hooks,
            session,
            shop_id=shop_id,
            guarantees=set(guarantees),
            policy_version=policy.version,
            now=now,
        )


@dataclass(frozen=True)
class Explained:
    result: scoring.ScoreResult
    category: str | None
    percentile: float
    tier: TrustShopTier | None


async def explain(
    session: AsyncSession, name: str, subject_id: int, *, policy: Policy, now: datetime
) -> Explained:
    """The score as of now with every indicator's contribution and the category percentile."""
    result, category = await compute(session, name, subject_id, policy=policy, now=now)
    peers = list(
        await session.scalars(
            select(TrustScore.value).where(
                TrustScore.score == name,
                TrustScore.category.is_(None)
                if category is None
                else TrustScore.category == category,
                TrustScore.subject_id != subject_id,
            )
        )
    )
    pct = scoring.percentile(result.value, [Decimal(v) for v in peers] + [result.value])
    tier = (
        await session.get(TrustShopTier, subject_id)
        if name in (SHOP_SCORE, "trust_index")
        else None
    )
    return Explained(result, category, pct, tier)


async def history(
    session: AsyncSession, name: str, subject_id: int, *, limit: int
) -> list[TrustScoreHistory]:
    rows = await session.scalars(
        select(TrustScoreHistory)
        .where(TrustScoreHistory.score == name, TrustScoreHistory.subject_id == subject_id)
        .order_by(TrustScoreHistory.day.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def traffic_weight(session: AsyncSession, shop_id: int) -> float:
    """What the shelf and feed multiply a shop's exposure by (1.0 before any decision)."""
    row = await session.get(TrustShopTier, shop_id)
    return row.traffic_weight if row is not None else 1.0
