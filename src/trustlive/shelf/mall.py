"""The mall (category tree, sections by category and by guarantee, always-listed products) and the
shop page (products, public badges and guarantees, its room if live, follow state, reviews)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, aftersale, catalog, live, reviews, shops, trust
from trustlive.shelf.policy import ShelfPolicy
from trustlive.shelf.search import SearchEngine, SearchQuery
from trustlive.shelf.searching import Results, ShownItem, search

# sections by guarantee: the promises buyers look for first (假一赔十, 极速退款, 极速发货)
GUARANTEE_SECTIONS = ("counterfeit_tenfold", "instant_refund", "fast_shipping")


@dataclass(frozen=True)
class CategoryNode:
    code: str
    name: str
    name_zh: str
    products: int
    children: list[CategoryNode]


@dataclass(frozen=True)
class Section:
    code: str  # a category group's code or a guarantee's
    by: str  # category | guarantee
    items: list[ShownItem]


@dataclass(frozen=True)
class Mall:
    tree: list[CategoryNode]
    sections: list[Section]


async def category_tree(
    session: AsyncSession, engine: SearchEngine, policy: ShelfPolicy
) -> list[CategoryNode]:
    """The policy's groups over the catalog's categories, each with its listed products."""
    page = await engine.query(session, SearchQuery(limit=0, facets=True))
    counts = page.facets.categories if page.facets else {}
    tree = []
    for group in policy.mall_groups:
        children = [
            CategoryNode(c.code, c.name, c.name_zh, counts.get(c.code, 0), [])
            for code in group.categories
            if (c := catalog.CATEGORIES.get(code)) is not None
        ]
        total = sum(child.products for child in children)
        tree.append(CategoryNode(group.code, group.name, group.name_zh, total, children))
    return tree


async def mall(
    session: AsyncSession,
    engine: SearchEngine,
    *,
    viewer_id: int | None,
    policy: ShelfPolicy,
    now: datetime,
) -> Mall:
    """Every listed product stays on the shelf (常挂品) outside broadcast hours: the mall shows
    each group's and each guarantee's best, ordered by trust and exploration."""
    sections = []
    size = policy.mall_section_size
    for group in policy.mall_groups:
        query = SearchQuery(categories=group.categories, in_stock=True, limit=size)
        found = await search(
            session, engine, query, viewer_id=viewer_id, surface="mall", policy=policy, now=now
        )
        sections.append(Section(group.code, "category", found.items))
    for code in GUARANTEE_SECTIONS:
        query = SearchQuery(guarantee=code, in_stock=True, limit=size)
        found = await search(
            session, engine, query, viewer_id=viewer_id, surface="mall", policy=policy, now=now
        )
        sections.append(Section(code, "guarantee", found.items))
    return Mall(await category_tree(session, engine, policy), sections)


@dataclass(frozen=True)
class ShopPage:
    shop_id: int
    name: str
    description: str
    logo_url: str | None
    owner_id: int
    standing: trust.Standing
    guarantees: list[tuple[str, str]]
    room: live.RoomFacts | None
    following: bool | None  # None for an anonymous visitor
    products: Results
    reviews: list[reviews.ReviewView]


async def shop_page(
    session: AsyncSession,
    engine: SearchEngine,
    *,
    shop_id: int,
    viewer_id: int | None,
    offset: int,
    limit: int,
    policy: ShelfPolicy,
    now: datetime,
) -> ShopPage:
    shop = await shops.get_shop(session, shop_id)  # 404 for a shop that does not exist
    standing = (await trust.shop_standings(session, [shop_id]))[shop_id]
    offered = await aftersale.shop_guarantees(session, shop_id)
    room = await live.room_of_shop(session, shop_id)
    following = None
    if viewer_id is not None:
        following = await accounts.is_following(
            session, follower_id=viewer_id, followee_id=shop.owner_id
        )
    query = SearchQuery(shop_id=shop_id, offset=offset, limit=limit)
    products = await search(
        session, engine, query, viewer_id=viewer_id, surface="shop", policy=policy, now=now
    )
    return ShopPage(
        shop_id=shop.id,
        name=shop.name,
        description=shop.description,
        logo_url=shop.logo_url,
        owner_id=shop.owner_id,
        standing=standing,
        guarantees=[(g.value, source) for g, source in offered],
        room=room,
        following=following,
        products=products,
        reviews=await reviews.shop_reviews(session, shop_id=shop_id, limit=10),
    )
