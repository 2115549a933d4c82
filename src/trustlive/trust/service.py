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
from trustlive.kernel.outbox import record_event
from trustlive.trust import counters
from trustlive.trust import domain as scoring
from trustlive.trust.events import ShopTierChanged
from trustlive.trust.fold import day_of
from trustlive.trust.hooks import TrustHooks, grant
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.models import (
    TrustFit,
    TrustOrderFact,
    TrustScore,
    TrustScoreHistory,
    TrustShopTier,
    TrustTierDecision,
)
from trustlive.trust.policy import Policy

SHOP_SCORE = "shop_experience"
Subject = tuple[SubjectKind, int]


RECENT_ORDERS = 200  # a shop's category is that of its most-ordered product among these


def main_product(recent: list[list[int]]) -> int | None:
    tally = Counter(p for ids in recent for p in ids)
    return min(tally, key=lambda p: (-tally[p], p)) if tally else None


async def product_category(session: AsyncSession, product_id: int | None) -> str | None:
    if product_id is None:
        return None
    try:
        return (await catalog.product_facts(session, product_id)).category
    except NotFound:
        return None


async def category_of(session: AsyncSession, kind: SubjectKind, subject_id: int) -> str | None:
    """A product's catalog category; a shop's is that of its most-ordered recent product."""
    if kind == SubjectKind.PRODUCT:
        return await product_category(session, subject_id)
    if kind != SubjectKind.SHOP:
        return None
    recent = await session.scalars(
        select(TrustOrderFact.product_ids)
        .where(TrustOrderFact.shop_id == subject_id)
        .order_by(TrustOrderFact.order_id.desc())
        .limit(RECENT_ORDERS)
    )
    return await product_category(session, main_product(list(recent)))


def dimensions_json(result: scoring.ScoreResult) -> dict[str, Any]:
    return {
        d.name: {"value": round(d.value, 4), "contribution": str(d.contribution)}
        for d in result.dimensions
    }


async def current_fit(session: AsyncSession, policy: Policy) -> scoring.Fit:
    """The priors and tier lines of the last full recompute under this policy, or the policy's
    bootstrap values before the first one."""
    row = await session.get(TrustFit, policy.version)
    return scoring.Fit.from_json(row.payload) if row is not None else scoring.bootstrap_fit(policy)


async def store_fit(
    session: AsyncSession, fit: scoring.Fit, *, policy: Policy, now: datetime
) -> None:
    row = await session.get(TrustFit, policy.version)
    if row is None:
        row = TrustFit(policy_version=policy.version)
        session.add(row)
    row.payload, row.fitted_at = fit.to_json(), now


async def compute_all(
    session: AsyncSession,
    kind: SubjectKind,
    subject_id: int,
    *,
    policy: Policy,
    now: datetime,
    fit: scoring.Fit | None = None,
) -> tuple[dict[str, scoring.ScoreResult], str | None]:
    """Every score of one subject from one read of its counters."""
    today = day_of(now)
    fit = fit or await current_fit(session, policy)
    series = await counters.load_series(
        session, kind, subject_id, counters.since_for(today, policy.max_window_days)
    )
    category = await category_of(session, kind, subject_id)
    results = {
        name: scoring.compute_score(
            sp, series, today=today, policy=policy, category=category, fit=fit
        )
        for name, sp in policy.scores.items()
        if sp.subject == kind
    }
    return results, category


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
    fit = await current_fit(session, policy) if subjects else None
    for kind, subject_id in sorted(subjects):
        results, category = await compute_all(
            session, kind, subject_id, policy=policy, now=now, fit=fit
        )
        for name, result in results.items():
            await _store(session, name, kind, subject_id, result, category, now)
            done += 1
        if kind == SubjectKind.SHOP and fit is not None:
            await decide_tier(
                session, subject_id, results, policy=policy, hooks=hooks, now=now, fit=fit
            )
    await session.flush()
    return done


def score_row(
    name: str,
    kind: SubjectKind,
    subject_id: int,
    result: scoring.ScoreResult,
    category: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "score": name,
        "subject_id": subject_id,
        "subject_kind": kind.value,
        "category": category,
        "value": result.value,
        "penalised": result.penalised,
        "dimensions": dimensions_json(result),
        "policy_version": result.policy_version,
        "computed_at": now,
    }


def history_row(score: dict[str, Any], now: datetime) -> dict[str, Any]:
    keys = ("score", "subject_id", "value", "dimensions", "policy_version")
    return {**{k: score[k] for k in keys}, "day": day_of(now)}


async def _store(
    session: AsyncSession,
    name: str,
    kind: SubjectKind,
    subject_id: int,
    result: scoring.ScoreResult,
    category: str | None,
    now: datetime,
) -> None:
    """Upsert the snapshot and today's history row (one statement each)."""
    row = score_row(name, kind, subject_id, result, category, now)
    await session.execute(counters.upsert(session, TrustScore, _replace_score), row)
    hist = history_row(row, now)
    await session.execute(counters.upsert(session, TrustScoreHistory, _replace_history), hist)


SCORE_COLUMNS = (
    "subject_kind", "category", "value", "penalised", "dimensions", "policy_version",
    "computed_at",
)  # fmt: skip


def _replace_score(stmt: Any) -> Any:
    return stmt.on_conflict_do_update(
        index_elements=["score", "subject_id"],
        set_={k: stmt.excluded[k] for k in SCORE_COLUMNS},
    )


def _replace_history(stmt: Any) -> Any:
    return stmt.on_conflict_do_update(
        index_elements=["score", "subject_id", "day"],
        set_={k: stmt.excluded[k] for k in ("value", "dimensions", "policy_version")},
    )


async def decide_tier(
    session: AsyncSession,
    shop_id: int,
    results: dict[str, scoring.ScoreResult],
    *,
    policy: Policy,
    hooks: TrustHooks,
    now: datetime,
    fit: scoring.Fit,
) -> None:
    """Tier, traffic weight, campaign and subsidy eligibility; a change is recorded and granted."""
    shop = results[SHOP_SCORE]
    tier = scoring.tier_for(shop.value, shop.penalised, policy, fit.tier_lines)
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
        record_event(
            session,
            ShopTierChanged(
                shop_id=shop_id,
                tier=tier.name,
                previous_tier=previous,
                traffic_weight=tier.traffic_weight,
                policy_version=policy.version,
            ),
            now=now,
        )
        await grant(
            hooks,
            session,
            shop_id=shop_id,
            guarantees=set(guarantees),
            may_opt_in=set(tier.may_opt_in),
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
    kind = policy.scores[name].subject
    results, category = await compute_all(session, kind, subject_id, policy=policy, now=now)
    result = results[name]
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


async def shop_experience_scores(session: AsyncSession) -> list[Decimal]:
    """Every shop's current experience score (0–5), for the operator's distribution."""
    rows = await session.scalars(select(TrustScore.value).where(TrustScore.score == SHOP_SCORE))
    return [Decimal(v) for v in rows]
