"""The embedded default engine: the database's own full text over segmented terms.

SQLite: an FTS5 table over `shelf_search_doc.terms` (external content, kept by triggers, prefix
indexes for 1–3 characters), ranked by bm25. PostgreSQL: `terms_vector`, a tsvector of the same
terms under a GIN index, ranked by ts_rank. The terms arrive segmented (shelf.text), so the
vector is written from them directly (`'a' 'b'::tsvector`, what the 'simple' configuration would
give, without depending on the server's locale to split Chinese) and a query is `'a':* & 'b':*`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    column,
    delete,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.db import insert_for
from trustlive.shelf.models import SearchDoc
from trustlive.shelf.search.port import (
    DocKind,
    Facets,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    Sort,
)

FTS_TABLE = "shelf_search_fts"
# the FTS5 table as SQLAlchemy sees it: its rowid, and the hidden column named after the table
# that MATCH applies to (created by migration 0010 on SQLite only)
FTS = table(FTS_TABLE, column("rowid", BigInteger), column(FTS_TABLE))
GUARANTEE_CODES = (
    "seven_day_return",
    "return_shipping_refund",
    "instant_refund",
    "refund_without_return",
    "counterfeit_tenfold",
    "fast_shipping",
)


def _row(d: SearchDocument) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind.value,
        "shop_id": d.shop_id,
        "title": d.title[:120],
        "category": d.category,
        "price_fen": d.price_fen,
        "in_stock": d.in_stock,
        "sales": d.sales,
        "score": d.score,
        "tier": d.tier,
        "traffic_weight": d.traffic_weight,
        "guarantees": " " + " ".join(d.guarantees) + " ",
        "on_air": d.on_air,
        "image_url": d.image_url,
        "listed_at": d.listed_at,
        "terms": " ".join(d.terms),
        "updated_at": d.updated_at,
    }


def document_of(row: SearchDoc) -> SearchDocument:
    return SearchDocument(
        id=row.id,
        kind=DocKind(row.kind),
        title=row.title,
        terms=row.terms.split(),
        updated_at=row.updated_at,
        shop_id=row.shop_id,
        category=row.category,
        price_fen=row.price_fen,
        in_stock=row.in_stock,
        sales=row.sales,
        score=row.score,
        tier=row.tier,
        traffic_weight=row.traffic_weight,
        guarantees=tuple(row.guarantees.split()),
        on_air=row.on_air,
        image_url=row.image_url,
        listed_at=row.listed_at,
    )


class SqlSearchEngine:
    """One class for both databases; the dialect decides the match and the rank."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    async def upsert(self, session: AsyncSession, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        rows = [_row(d) for d in documents]
        if self.postgres:
            for row, document in zip(rows, documents, strict=True):
                row["terms_vector"] = self._vector(document.terms)
        stmt = insert_for(session, SearchDoc).values(rows)
        updated = {name: getattr(stmt.excluded, name) for name in rows[0] if name != "id"}
        await session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=updated))

    @staticmethod
    def _vector(terms: list[str]) -> Any:
        return cast(" ".join(f"'{t}'" for t in terms), TSVECTOR)

    async def remove(self, session: AsyncSession, ids: Collection[int]) -> None:
        if ids:
            await session.execute(delete(SearchDoc).where(SearchDoc.id.in_(list(ids))))

    async def clear(self, session: AsyncSession) -> None:
        await session.execute(delete(SearchDoc))

    # --- query -----------------------------------------------------------------------------

    def _match(self, terms: list[str]) -> tuple[list[ColumnElement[bool]], ColumnElement[Any]]:
        """The WHERE clauses a term list adds, and the relevance expression (higher is better)."""
        if not terms:
            return [], literal(1.0)
        if self.postgres:
            query = cast(literal(" & ".join(f"'{t}':*" for t in terms)), TSQUERY)
            return [SearchDoc.terms_vector.op("@@")(query)], func.ts_rank(
                SearchDoc.terms_vector, query
            )
        matched = select(FTS.c.rowid).where(self._fts_match(terms))
        return [SearchDoc.id.in_(matched)], literal(1.0)

    @staticmethod
    def _fts_match(terms: list[str]) -> ColumnElement[bool]:
        expression = " AND ".join(f'"{t}"*' for t in terms)
        return FTS.c[FTS_TABLE].op("MATCH")(literal(expression))

    def _filters(self, q: SearchQuery) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [SearchDoc.kind == q.kind.value]
        if q.category is not None:
            where.append(SearchDoc.category == q.category)
        if q.categories:
            where.append(SearchDoc.category.in_(list(q.categories)))
        if q.price_min_fen is not None:
            where.append(SearchDoc.price_fen >= q.price_min_fen)
        if q.price_max_fen is not None:
            where.append(SearchDoc.price_fen <= q.price_max_fen)
        if q.guarantee is not None:
            where.append(SearchDoc.guarantees.contains(f" {q.guarantee} ", autoescape=True))
        if q.in_stock is not None:
            where.append(SearchDoc.in_stock.is_(q.in_stock))
        if q.tier is not None:
            where.append(SearchDoc.tier == q.tier)
        if q.shop_id is not None:
            where.append(SearchDoc.shop_id == q.shop_id)
        if q.shop_ids:
            where.append(SearchDoc.shop_id.in_(list(q.shop_ids)))
        if q.on_air is not None:
            where.append(SearchDoc.on_air.is_(q.on_air))
        if q.exclude_ids:
            where.append(SearchDoc.id.not_in(list(q.exclude_ids)))
        return where

    def _order(self, sort: Sort, relevance: ColumnElement[Any]) -> list[Any]:
        orders: dict[Sort, list[Any]] = {
            Sort.RELEVANCE: [relevance.desc(), SearchDoc.sales.desc()],
            Sort.SALES: [SearchDoc.sales.desc()],
            Sort.PRICE_ASC: [SearchDoc.price_fen.asc()],
            Sort.PRICE_DESC: [SearchDoc.price_fen.desc()],
            Sort.SCORE: [SearchDoc.score.desc(), SearchDoc.sales.desc()],
            Sort.NEWEST: [SearchDoc.listed_at.desc()],
        }
        return [*orders[sort], SearchDoc.id.desc()]

    async def query(self, session: AsyncSession, query: SearchQuery) -> SearchPage:
        if self.postgres or not query.terms:
            matches, relevance = self._match(query.terms)
            where = and_(*matches, *self._filters(query))
            page = await self._page(session, select(SearchDoc, relevance), where, query, relevance)
        else:
            page = await self._sqlite_page(session, query)
        total, facets = await self._count(session, query)
        return SearchPage(page, total, facets)

    async def _page(
        self,
        session: AsyncSession,
        base: Select[Any],
        where: ColumnElement[bool],
        q: SearchQuery,
        relevance: ColumnElement[Any],
    ) -> list[SearchHit]:
        stmt = base.where(where).order_by(*self._order(q.sort, relevance))
        rows = await session.execute(stmt.offset(q.offset).limit(q.limit))
        return [SearchHit(document_of(doc), float(rank)) for doc, rank in rows]

    async def _sqlite_page(self, session: AsyncSession, q: SearchQuery) -> list[SearchHit]:
        relevance = -func.bm25(literal_column(FTS_TABLE))
        base = (
            select(SearchDoc, relevance)
            .select_from(FTS)
            .join(SearchDoc, SearchDoc.id == FTS.c.rowid)
        )
        where = and_(self._fts_match(q.terms), *self._filters(q))
        return await self._page(session, base, where, q, relevance)

    def _where_all(self, q: SearchQuery) -> ColumnElement[bool]:
        matches, _ = self._match(q.terms)
        return and_(*matches, *self._filters(q))

    async def _count(self, session: AsyncSession, q: SearchQuery) -> tuple[int, Facets | None]:
        where = self._where_all(q)
        sums: list[ColumnElement[Any]] = [func.count()]
        if q.facets:
            sums.append(func.sum(case((SearchDoc.in_stock.is_(True), 1), else_=0)))
            sums += [
                func.sum(case((SearchDoc.guarantees.contains(f" {g} "), 1), else_=0))
                for g in GUARANTEE_CODES
            ]
        totals = (await session.execute(select(*sums).where(where))).one()
        if not q.facets:
            return int(totals[0]), None
        categories = await session.execute(
            select(SearchDoc.category, func.count()).where(where).group_by(SearchDoc.category)
        )
        tiers = await session.execute(
            select(SearchDoc.tier, func.count()).where(where).group_by(SearchDoc.tier)
        )
        facets = Facets(
            categories={c: int(n) for c, n in categories if c is not None},
            tiers={t: int(n) for t, n in tiers if t is not None},
            guarantees={
                g: int(n or 0) for g, n in zip(GUARANTEE_CODES, totals[2:], strict=True) if n
            },
            in_stock=int(totals[1] or 0),
        )
        return int(totals[0]), facets
