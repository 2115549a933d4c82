"""Keeping the search index true: reindex what an event touched, or rebuild everything."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, live
from trustlive.shelf.models import SearchDoc
from trustlive.shelf.search import SearchEngine
from trustlive.shelf.search.documents import product_documents, room_documents, shop_documents

PAGE = 500


async def reindex_products(
    session: AsyncSession, engine: SearchEngine, product_ids: Collection[int], now: datetime
) -> None:
    documents, gone = await product_documents(session, product_ids, now)
    await engine.upsert(session, documents)
    await engine.remove(session, gone)


async def reindex_shops(
    session: AsyncSession, engine: SearchEngine, shop_ids: Collection[int], now: datetime
) -> None:
    documents, gone = await shop_documents(session, shop_ids, now)
    await engine.upsert(session, documents)
    await engine.remove(session, gone)


async def reindex_rooms(
    session: AsyncSession, engine: SearchEngine, room_ids: Collection[int], now: datetime
) -> None:
    documents, gone = await room_documents(session, room_ids, now)
    await engine.upsert(session, documents)
    await engine.remove(session, gone)


async def reindex_shop_everything(
    session: AsyncSession, engine: SearchEngine, shop_id: int, now: datetime
) -> None:
    """A shop's standing changed (tier, weight, guarantees): the shop, its room, its products."""
    await reindex_shops(session, engine, [shop_id], now)
    room = await live.room_of_shop(session, shop_id)
    if room is not None:
        await reindex_rooms(session, engine, [room.room_id], now)
    after = 0
    while ids := await catalog.listed_product_ids(
        session, after=after, limit=PAGE, shop_id=shop_id
    ):
        await reindex_products(session, engine, ids, now)
        after = ids[-1]


async def sold_out_products_of(session: AsyncSession, shop_id: int) -> list[int]:
    """The shop's products the index shows as sold out (a cancelled order may refill them)."""
    rows = await session.scalars(
        select(SearchDoc.id).where(
            SearchDoc.shop_id == shop_id, SearchDoc.kind == "product", SearchDoc.in_stock.is_(False)
        )
    )
    return list(rows)


@dataclass(frozen=True)
class Rebuilt:
    products: int
    shops: int
    rooms: int


async def rebuild(session: AsyncSession, engine: SearchEngine, now: datetime) -> Rebuilt:
    """Empty the index and fill it again from the catalog, the shops and the rooms."""
    await engine.clear(session)
    products = rooms = 0
    shop_ids: set[int] = set()
    after = 0
    while ids := await catalog.listed_product_ids(session, after=after, limit=PAGE):
        documents, _ = await product_documents(session, ids, now)
        await engine.upsert(session, documents)
        shop_ids.update(d.shop_id for d in documents if d.shop_id is not None)
        products, after = products + len(documents), ids[-1]
    after = 0
    while ids := await live.room_ids_after(session, after=after, limit=PAGE):
        documents, _ = await room_documents(session, ids, now)
        await engine.upsert(session, documents)
        shop_ids.update(d.shop_id for d in documents if d.shop_id is not None)
        rooms, after = rooms + len(documents), ids[-1]
    ordered = sorted(shop_ids)
    for start in range(0, len(ordered), PAGE):
        await reindex_shops(session, engine, ordered[start : start + PAGE], now)
    return Rebuilt(products, len(shop_ids), rooms)
