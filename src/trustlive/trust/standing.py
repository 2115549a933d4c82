"""A shop's public standing (tier, traffic weight, score) and product scores, for the shelf."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.trust.models import TrustScore, TrustShopTier

SHOP_SCORE = "shop_experience"
PRODUCT_SCORE = "product"


@dataclass(frozen=True)
class Standing:
    shop_id: int
    tier: str | None  # None before the first decision
    traffic_weight: float  # 1.0 before the first decision
    score: float | None  # the shop experience score, 0–5
    penalised: bool


async def shop_standings(session: AsyncSession, shop_ids: Collection[int]) -> dict[int, Standing]:
    """Every asked shop, with the defaults of an undecided shop where nothing is known yet."""
    ids = list(shop_ids)
    tiers = {
        t.shop_id: t
        for t in await session.scalars(select(TrustShopTier).where(TrustShopTier.shop_id.in_(ids)))
    }
    scores = {
        s.subject_id: s
        for s in await session.scalars(
            select(TrustScore).where(TrustScore.score == SHOP_SCORE, TrustScore.subject_id.in_(ids))
        )
    }
    standings: dict[int, Standing] = {}
    for shop_id in ids:
        tier, score = tiers.get(shop_id), scores.get(shop_id)
        standings[shop_id] = Standing(
            shop_id=shop_id,
            tier=tier.tier if tier else None,
            traffic_weight=tier.traffic_weight if tier else 1.0,
            score=float(score.value) if score else None,
            penalised=score.penalised if score else False,
        )
    return standings


async def product_scores(session: AsyncSession, product_ids: Collection[int]) -> dict[int, float]:
    """Product scores (0–5) of the products that have one."""
    rows = await session.execute(
        select(TrustScore.subject_id, TrustScore.value).where(
            TrustScore.score == PRODUCT_SCORE, TrustScore.subject_id.in_(list(product_ids))
        )
    )
    return {subject: float(value) for subject, value in rows}
