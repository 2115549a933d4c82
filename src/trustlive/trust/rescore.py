"""Score every subject at once (the full path): one pass over the counters, a refit of the
category priors and tier lines (domain.score_population), bulk writes.

Given the same fit, the numbers are those of `service.refresh` by construction: the same counters
in the same window, the same category rule, the same `domain.compute_score`; live updates after this
recompute use the fit it stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.trust import counters, service
from trustlive.trust import domain as scoring
from trustlive.trust.context import TrustContext
from trustlive.trust.domain import DayCount
from trustlive.trust.fold import day_of
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.models import (
    TrustCounterBuyer,
    TrustDailyCounter,
    TrustOrderFact,
    TrustScore,
    TrustScoreHistory,
    TrustShopTier,
)

BATCH = 5000
AllSeries = dict[service.Subject, dict[str, dict[date, DayCount]]]


async def load_all_series(session: AsyncSession, since: date) -> AllSeries:
    buyers: dict[tuple[str, int, str, date], set[int]] = {}
    rows = await session.stream(
        select(
            TrustCounterBuyer.subject_kind,
            TrustCounterBuyer.subject_id,
            TrustCounterBuyer.measure,
            TrustCounterBuyer.day,
            TrustCounterBuyer.buyer_id,
        ).where(TrustCounterBuyer.day >= since)
    )
    async for part in rows.partitions(BATCH):
        for kind, sid, measure, day, buyer in part:
            buyers.setdefault((kind, sid, measure, day), set()).add(buyer)
    series: AllSeries = {}
    rows = await session.stream(
        select(
            TrustDailyCounter.subject_kind,
            TrustDailyCounter.subject_id,
            TrustDailyCounter.measure,
            TrustDailyCounter.day,
            TrustDailyCounter.count,
        ).where(TrustDailyCounter.day >= since)
    )
    kinds = {k.value: k for k in SubjectKind}
    async for part in rows.partitions(BATCH):
        for kind, sid, measure, day, count in part:
            who = frozenset(buyers.get((kind, sid, measure, day), ()))
            subject = series.setdefault((kinds[kind], sid), {})
            subject.setdefault(measure, {})[day] = DayCount(count, who)
    return series


async def shop_main_products(session: AsyncSession) -> dict[int, int | None]:
    """`service.category_of`'s rule for every shop: its most-ordered of the recent orders."""
    recent: dict[int, list[list[int]]] = {}
    rows = await session.stream(
        select(TrustOrderFact.shop_id, TrustOrderFact.product_ids).order_by(
            TrustOrderFact.shop_id, TrustOrderFact.order_id.desc()
        )
    )
    async for part in rows.partitions(BATCH):
        for shop_id, product_ids in part:
            mine = recent.setdefault(shop_id, [])
            if len(mine) < service.RECENT_ORDERS:
                mine.append(product_ids)
    return {shop: service.main_product(lists) for shop, lists in recent.items()}


async def _categories(
    session: AsyncSession, subjects: set[service.Subject]
) -> dict[service.Subject, str | None]:
    cache: dict[int | None, str | None] = {}

    async def of_product(product_id: int | None) -> str | None:
        if product_id not in cache:
            cache[product_id] = await service.product_category(session, product_id)
        return cache[product_id]

    shops = await shop_main_products(session)
    out: dict[service.Subject, str | None] = {}
    for kind, sid in subjects:
        if kind == SubjectKind.PRODUCT:
            out[(kind, sid)] = await of_product(sid)
        elif kind == SubjectKind.SHOP:
            out[(kind, sid)] = await of_product(shops.get(sid))
        else:
            out[(kind, sid)] = None
    return out


async def rescore_all(session: AsyncSession, ctx: TrustContext, now: datetime) -> int:
    """Refit the category priors and tier lines, score every subject with counters or an earlier
    score, decide shop tiers; returns how many subjects."""
    policy, today = ctx.policy, day_of(now)
    series = await load_all_series(session, counters.since_for(today, policy.max_window_days))
    scored = await session.execute(
        select(TrustScore.subject_kind, TrustScore.subject_id).distinct()
    )
    subjects = set(series) | {(SubjectKind(k), i) for k, i in scored}
    categories = await _categories(session, subjects)
    population = scoring.score_population(
        {s: (categories[s], series.get(s, {})) for s in subjects}, today=today, policy=policy
    )
    list(await session.scalars(select(TrustShopTier)))  # into the identity map for decide_tier
    rows: list[dict[str, Any]] = []
    for (kind, sid), results in population.results.items():
        rows += [
            service.score_row(name, kind, sid, r, categories[(kind, sid)], now)
            for name, r in results.items()
        ]
        if kind == SubjectKind.SHOP:
            await service.decide_tier(
                session, sid, results, policy=policy, hooks=ctx.hooks, now=now, fit=population.fit
            )
    await service.store_fit(session, population.fit, policy=policy, now=now)
    await session.execute(delete(TrustScore))
    await session.execute(delete(TrustScoreHistory).where(TrustScoreHistory.day == today))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        await session.execute(insert(TrustScore), chunk)
        await session.execute(
            insert(TrustScoreHistory), [service.history_row(r, now) for r in chunk]
        )
    return len(subjects)
