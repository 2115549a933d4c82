"""From engine hits to a placed page: evidence, the new-product boost, the policy's choice and
each item's propensity."""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.shelf import domain, exposure
from trustlive.shelf.policy import ShelfPolicy
from trustlive.shelf.search import DocKind, SearchHit


def seed_of(*parts: object) -> int:
    """A stable seed (Python's own hash of a string changes with every process)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


async def last_bought(
    session: AsyncSession, buyer_id: int | None, now: datetime, days: int
) -> dict[int, datetime]:
    if buyer_id is None:
        return {}
    latest: dict[int, datetime] = {}
    for line in await orders.bought_lines(
        session, buyer_id=buyer_id, paid_from=now - timedelta(days=days)
    ):
        latest.setdefault(line.product_id, line.paid_at)
    return latest


async def candidates_of(
    session: AsyncSession,
    hits: Sequence[SearchHit],
    *,
    viewer_id: int | None,
    now: datetime,
    policy: ShelfPolicy,
    bought: dict[int, datetime] | None = None,
) -> list[domain.Candidate]:
    ids = [h.document.id for h in hits]
    evidence = await exposure.evidence_of(session, ids)
    boosted = await exposure.boosted_today(session, ids, now)
    if bought is None:
        bought = await last_bought(session, viewer_id, now, policy.new_for_buyer_days)
    top = max((h.relevance for h in hits), default=1.0) or 1.0
    candidates = []
    for hit in hits:
        doc = hit.document
        new = doc.kind == DocKind.PRODUCT and domain.is_new_for_buyer(
            listed_at=doc.listed_at, last_bought_at=bought.get(doc.id), now=now, p=policy
        )
        candidates.append(
            domain.Candidate(
                item_id=doc.id,
                kind=doc.kind.value,
                shop_id=doc.shop_id,
                relevance=max(hit.relevance / top, 1e-6) if top > 0 else 1.0,
                traffic_weight=doc.traffic_weight,
                tier=doc.tier,
                evidence=evidence.get(doc.id, domain.Evidence()),
                boost=domain.new_product_boost(
                    new=new, boosted_today=boosted.get(doc.id, 0), now=now, p=policy
                ),
            )
        )
    return candidates


def place(
    candidates: Sequence[domain.Candidate],
    slots: int,
    policy: ShelfPolicy,
    *,
    seed: int,
    section: str,
    start: int = 0,
    gated_fill: bool = False,
    cap_sellers: bool = True,
    taken: Counter[int | None] | None = None,
) -> list[domain.Placed]:
    """The policy's choice of `slots` items, with propensities from re-drawing it."""
    rng = random.Random(seed)
    before = Counter(taken) if taken is not None else None

    def choose(r: random.Random, counts: Counter[int | None] | None) -> list[domain.Candidate]:
        return domain.arrange(
            candidates,
            slots,
            policy,
            r,
            gated_fill=gated_fill,
            cap_sellers=cap_sellers,
            taken=counts,
        )

    realised = choose(rng, taken)
    return domain.with_propensities(
        realised,
        lambda r: choose(r, Counter(before) if before is not None else None),
        policy,
        rng,
        section=section,
        start=start,
    )
