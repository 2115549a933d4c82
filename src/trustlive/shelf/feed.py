"""A buyer's home feed: rooms on air and products, private domain first (followed anchors and
shops the buyer is a regular of), then the categories the buyer bought, then exploration."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, live, orders, shops
from trustlive.shelf import domain, exposure
from trustlive.shelf.models import SearchDoc
from trustlive.shelf.policy import ShelfPolicy
from trustlive.shelf.ranking import candidates_of, place, seed_of
from trustlive.shelf.search import (
    DocKind,
    SearchDocument,
    SearchEngine,
    SearchHit,
    SearchQuery,
    Sort,
)
from trustlive.shelf.search.sql import document_of
from trustlive.shelf.searching import ShownItem

FOLLOWED_SHOPS_MAX = 50  # a buyer following hundreds of anchors gets the first fifty's shops


@dataclass(frozen=True)
class FeedItem:
    item: ShownItem
    section: str  # private | bought | explore | rooms


@dataclass(frozen=True)
class Profile:
    followed: set[int]
    regular_shops: set[int]
    private_shops: set[int]
    categories: list[str]
    bought: dict[int, datetime]


async def profile_of(
    session: AsyncSession, buyer_id: int, *, policy: ShelfPolicy, now: datetime
) -> Profile:
    lines = await orders.bought_lines(
        session, buyer_id=buyer_id, paid_from=now - timedelta(days=policy.history_days)
    )
    orders_at: dict[int, set[int]] = {}
    bought: dict[int, datetime] = {}
    for line in lines:
        orders_at.setdefault(line.shop_id, set()).add(line.order_id)
        if now - line.paid_at <= timedelta(days=policy.new_for_buyer_days):
            bought.setdefault(line.product_id, line.paid_at)
    regular = {s for s, ids in orders_at.items() if len(ids) >= policy.regular_min_orders}
    followed = await accounts.followee_ids(session, buyer_id)
    private = set(regular)
    for user_id in sorted(followed)[:FOLLOWED_SHOPS_MAX]:
        private.update(shop.id for shop, _ in await shops.shops_of(session, user_id))
    product_ids = list(dict.fromkeys(line.product_id for line in lines))
    rows = [await session.get(SearchDoc, pid) for pid in product_ids[:200]]
    tally = Counter(r.category for r in rows if r is not None and r.category is not None)
    return Profile(followed, regular, private, [c for c, _ in tally.most_common()], bought)


async def _hits(session: AsyncSession, engine: SearchEngine, query: SearchQuery) -> list[SearchHit]:
    return (await engine.query(session, query)).hits


async def build_feed(
    session: AsyncSession,
    engine: SearchEngine,
    *,
    buyer_id: int,
    policy: ShelfPolicy,
    now: datetime,
) -> list[FeedItem]:
    prof = await profile_of(session, buyer_id, policy=policy, now=now)
    page = policy.page_size
    seed = seed_of(buyer_id, now.isoformat())
    taken: Counter[int | None] = Counter()
    placed: list[domain.Placed] = []
    docs: dict[int, SearchDocument] = {}

    async def fill(hits: list[SearchHit], slots: int, section: str, explore: bool = False) -> None:
        seen = {p.candidate.item_id for p in placed}
        hits = [h for h in hits if h.document.id not in seen]
        docs.update((h.document.id, h.document) for h in hits)
        cands = await candidates_of(
            session, hits, viewer_id=buyer_id, now=now, policy=policy, bought=prof.bought
        )
        if explore:  # pools used up without promotion explore no more
            cands = [c for c in cands if not domain.pool_exhausted(c.evidence, policy)]
        placed.extend(
            place(
                cands,
                max(0, slots),
                policy,
                seed=seed + len(placed),
                section=section,
                start=len(placed),
                taken=taken,
            )
        )

    # rooms on air: the buyer's anchors and regular shops first, then the rest
    rooms = await live.rooms_on_air(session, limit=policy.candidates)
    room_docs = {r.room_id: await session.get(SearchDoc, r.room_id) for r in rooms}
    mine = [r for r in rooms if r.owner_user_id in prof.followed or r.shop_id in prof.private_shops]
    others = [r for r in rooms if r not in mine]
    for group, section in ((mine, "private"), (others, "rooms")):
        hits = [SearchHit(document_of(d), 1.0) for r in group if (d := room_docs[r.room_id])]
        on_air_left = policy.rooms_on_air_max - sum(1 for p in placed if p.candidate.kind == "room")
        await fill(hits, on_air_left, section)
    limit = policy.candidates
    private_slots = math.floor(page * policy.private_share)
    if prof.private_shops:
        query = SearchQuery(
            shop_ids=tuple(sorted(prof.private_shops)), in_stock=True, sort=Sort.SALES, limit=limit
        )
        await fill(await _hits(session, engine, query), private_slots, "private")
    products = sum(1 for p in placed if p.candidate.kind == DocKind.PRODUCT)
    bought_slots = (
        math.floor(page * (policy.private_share + policy.bought_category_share)) - products
    )
    if prof.categories:
        query = SearchQuery(
            categories=tuple(prof.categories[:5]), in_stock=True, sort=Sort.SALES, limit=limit
        )
        await fill(await _hits(session, engine, query), bought_slots, "bought")
    products = sum(1 for p in placed if p.candidate.kind == DocKind.PRODUCT)
    # exploration draws from the newest (staged pools) and the best-selling
    newest = await _hits(session, engine, SearchQuery(in_stock=True, sort=Sort.NEWEST, limit=limit))
    best = await _hits(session, engine, SearchQuery(in_stock=True, sort=Sort.SALES, limit=limit))
    fresh = {h.document.id for h in newest[: limit // 2]}
    pool = newest[: limit // 2] + [h for h in best if h.document.id not in fresh][: limit // 2]
    await fill(pool, page - products, "explore", explore=True)
    shown = await exposure.log_page(
        session, placed, surface="feed", viewer_id=buyer_id, policy=policy, now=now
    )
    return [
        FeedItem(
            ShownItem(
                docs[s.placed.candidate.item_id],
                s.impression_id,
                s.placed.position,
                s.placed.propensity,
                s.placed.candidate.boost > 1.0,
            ),
            s.placed.section,
        )
        for s in shown
    ]
