"""The search port: what the shelf needs of a search engine, whichever engine it is.

An engine keeps documents (`SearchDocument`, built by the shelf from events) and answers a
`SearchQuery` with a `SearchPage`: hits in the asked order with a text relevance, the total and
facet counts. Terms are already segmented (`shelf.text`): `SearchDocument.terms` is the list a
document is found by, `SearchQuery.terms` the list a query asks for, each matched as a prefix and
all required. The shelf re-ranks the hits of a relevance query by trust and exploration itself,
so an engine only matches, filters, counts and sorts.

Adding an engine (OpenSearch, Meilisearch, Tantivy) is one file with a class that has these four
methods; `session` is the caller's database session, which an external engine ignores (it then
sees a document after the caller's commit, by the same events). Wire it in
`shelf.search.engine_for` and run `trustlive shelf reindex` to fill it:

    class MeiliEngine:
        async def upsert(self, session, documents): index.update_documents([...])
        async def remove(self, session, ids): index.delete_documents(list(ids))
        async def clear(self, session): index.delete_all_documents()
        async def query(self, session, query): map filters to `filter`, `sort`, `facets`;
            a term list to "t1 t2" with prefix search on; return SearchPage(...)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class DocKind(StrEnum):
    PRODUCT = "product"
    SHOP = "shop"
    ROOM = "room"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    SALES = "sales"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    SCORE = "score"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchDocument:
    id: int
    kind: DocKind
    title: str
    terms: list[str]
    updated_at: datetime
    shop_id: int | None = None
    category: str | None = None
    price_fen: int | None = None
    in_stock: bool = True
    sales: int = 0
    score: float = 0.0
    tier: str | None = None
    traffic_weight: float = 1.0
    guarantees: tuple[str, ...] = ()
    on_air: bool = False
    image_url: str | None = None
    listed_at: datetime | None = None


@dataclass(frozen=True)
class SearchQuery:
    kind: DocKind = DocKind.PRODUCT
    terms: list[str] = field(default_factory=list)  # empty: every document that passes filters
    category: str | None = None
    categories: tuple[str, ...] = ()  # any of these (the mall's groups, a buyer's categories)
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    guarantee: str | None = None
    in_stock: bool | None = None
    tier: str | None = None
    shop_id: int | None = None
    shop_ids: tuple[int, ...] = ()  # any of these
    on_air: bool | None = None
    exclude_ids: tuple[int, ...] = ()
    sort: Sort = Sort.RELEVANCE
    offset: int = 0
    limit: int = 20
    facets: bool = False


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    relevance: float  # the engine's text score, higher is better; 1.0 without terms


@dataclass(frozen=True)
class Facets:
    categories: dict[str, int] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)
    guarantees: dict[str, int] = field(default_factory=dict)
    in_stock: int = 0


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    facets: Facets | None = None


class SearchEngine(Protocol):
    async def upsert(self, session: AsyncSession, documents: Sequence[SearchDocument]) -> None: ...

    async def remove(self, session: AsyncSession, ids: Collection[int]) -> None: ...

    async def clear(self, session: AsyncSession) -> None: ...

    async def query(self, session: AsyncSession, query: SearchQuery) -> SearchPage: ...
