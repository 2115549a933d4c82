"""The search and mall use cases: ask the engine, let trust and exploration order a relevance
page, log what was shown."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.shelf import domain, exposure
from trustlive.shelf.policy import ShelfPolicy
from trustlive.shelf.ranking import candidates_of, place, seed_of
from trustlive.shelf.search import (
    Facets,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    Sort,
)


@dataclass(frozen=True)
class ShownItem:
    document: SearchDocument
    impression_id: int
    position: int
    propensity: float
    boosted: bool


@dataclass(frozen=True)
class Results:
    items: list[ShownItem]
    total: int
    facets: Facets | None


async def ranked(
    session: AsyncSession,
    engine: SearchEngine,
    query: SearchQuery,
    *,
    viewer_id: int | None,
    policy: ShelfPolicy,
    now: datetime,
    section: str,
) -> tuple[list[domain.Placed], dict[int, SearchDocument], int, Facets | None]:
    """A relevance page is the engine's best `candidates` re-ordered by the policy; another sort
    is the engine's order (the buyer chose it), shown with propensity 1."""
    if query.sort != Sort.RELEVANCE:
        page = await engine.query(session, query)
        docs = {h.document.id: h.document for h in page.hits}
        cands = await candidates_of(session, page.hits, viewer_id=viewer_id, now=now, policy=policy)
        placed = [domain.Placed(c, query.offset + i, 1.0, section) for i, c in enumerate(cands)]
        return placed, docs, page.total, page.facets
    page = await engine.query(
        session, replace(query, offset=0, limit=max(policy.candidates, query.offset + query.limit))
    )
    docs = {h.document.id: h.document for h in page.hits}
    cands = await candidates_of(session, page.hits, viewer_id=viewer_id, now=now, policy=policy)
    # one seed per viewer, query and hour: pages of one search agree, and buyers still explore
    seed = seed_of(viewer_id, query, now.strftime("%Y%m%d%H"))
    placed = place(
        cands,
        query.offset + query.limit,
        policy,
        seed=seed,
        section=section,
        gated_fill=True,
        cap_sellers=False,
    )
    return placed[query.offset :], docs, page.total, page.facets


async def search(
    session: AsyncSession,
    engine: SearchEngine,
    query: SearchQuery,
    *,
    viewer_id: int | None,
    surface: str,
    policy: ShelfPolicy,
    now: datetime,
) -> Results:
    placed, docs, total, facets = await ranked(
        session, engine, query, viewer_id=viewer_id, policy=policy, now=now, section=surface
    )
    shown = await exposure.log_page(
        session, placed, surface=surface, viewer_id=viewer_id, policy=policy, now=now
    )
    return Results(
        [
            ShownItem(
                docs[s.placed.candidate.item_id],
                s.impression_id,
                s.placed.position,
                s.placed.propensity,
                s.placed.candidate.boost > 1.0,
            )
            for s in shown
        ],
        total,
        facets,
    )
