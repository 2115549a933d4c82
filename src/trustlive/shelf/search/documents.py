"""Search documents built from the other contexts' facades: products, shops and live rooms."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import aftersale, catalog, live, shops, trust
from trustlive.kernel.errors import NotFound
from trustlive.shelf.search.port import DocKind, SearchDocument
from trustlive.shelf.text import index_terms


async def _guarantees(
    session: AsyncSession, shop_ids: Collection[int]
) -> dict[int, tuple[str, ...]]:
    found: dict[int, tuple[str, ...]] = {}
    for shop_id in shop_ids:
        offered = await aftersale.shop_guarantees(session, shop_id)
        found[shop_id] = tuple(sorted({g.value for g, _ in offered}))
    return found


async def product_documents(
    session: AsyncSession, product_ids: Collection[int], now: datetime
) -> tuple[list[SearchDocument], set[int]]:
    """Documents of the listed ones, and the ids no longer listed (to remove)."""
    listed = await catalog.listed_products(session, product_ids)
    shop_ids = {p.shop_id for p in listed.values()}
    standings = await trust.shop_standings(session, shop_ids)
    guarantees = await _guarantees(session, shop_ids)
    scores = await trust.product_scores(session, listed)
    documents = []
    for p in listed.values():
        standing = standings[p.shop_id]
        category = catalog.CATEGORIES.get(p.category)
        documents.append(
            SearchDocument(
                id=p.product_id,
                kind=DocKind.PRODUCT,
                title=p.title,
                terms=index_terms(p.title, category.name_zh if category else ""),
                updated_at=now,
                shop_id=p.shop_id,
                category=p.category,
                price_fen=p.min_price_fen,
                in_stock=p.stock > 0,
                sales=p.sold_count,
                score=scores.get(p.product_id, standing.score or 0.0),
                tier=standing.tier,
                traffic_weight=standing.traffic_weight,
                guarantees=guarantees[p.shop_id],
                image_url=p.image_url,
                listed_at=p.listed_at,
            )
        )
    return documents, set(product_ids) - set(listed)


async def shop_documents(
    session: AsyncSession, shop_ids: Collection[int], now: datetime
) -> tuple[list[SearchDocument], set[int]]:
    documents, gone = [], set()
    standings = await trust.shop_standings(session, shop_ids)
    guarantees = await _guarantees(session, shop_ids)
    for shop_id in shop_ids:
        try:
            shop = await shops.get_shop(session, shop_id)
        except NotFound:
            gone.add(shop_id)
            continue
        room = await live.room_of_shop(session, shop_id)
        standing = standings[shop_id]
        documents.append(
            SearchDocument(
                id=shop_id,
                kind=DocKind.SHOP,
                title=shop.name,
                terms=index_terms(shop.name, shop.description[:60]),
                updated_at=now,
                shop_id=shop_id,
                score=standing.score or 0.0,
                tier=standing.tier,
                traffic_weight=standing.traffic_weight,
                guarantees=guarantees[shop_id],
                on_air=room is not None and room.on_air,
                image_url=shop.logo_url,
                listed_at=shop.created_at,
            )
        )
    return documents, gone


async def room_documents(
    session: AsyncSession, room_ids: Collection[int], now: datetime
) -> tuple[list[SearchDocument], set[int]]:
    rooms = await live.room_facts(session, room_ids)
    shop_ids = {r.shop_id for r in rooms.values() if r.shop_id is not None}
    standings = await trust.shop_standings(session, shop_ids)
    documents = []
    for room in rooms.values():
        standing = standings.get(room.shop_id) if room.shop_id is not None else None
        documents.append(
            SearchDocument(
                id=room.room_id,
                kind=DocKind.ROOM,
                title=room.title or room.name,
                terms=index_terms(room.name, room.title or ""),
                updated_at=now,
                shop_id=room.shop_id,
                sales=room.viewers,
                score=(standing.score or 0.0) if standing else 0.0,
                tier=standing.tier if standing else None,
                traffic_weight=standing.traffic_weight if standing else 1.0,
                on_air=room.on_air,
                image_url=room.cover_url or room.avatar_url,
                listed_at=room.started_at,
            )
        )
    return documents, set(room_ids) - set(rooms)
