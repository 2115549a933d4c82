"""Shelf HTTP API: search, the mall, shop pages (public), a buyer's feed and exposure log (own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from trustlive import catalog
from trustlive.accounts import CurrentOperator, CurrentUser, MaybeUser, Principal
from trustlive.kernel.errors import Forbidden, Problem
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.shelf import exposure, feed, indexing, mall, schemas, searching
from trustlive.shelf.context import shelf_of
from trustlive.shelf.errors import ShelfError
from trustlive.shelf.search import DocKind, SearchQuery, Sort
from trustlive.shelf.text import query_terms

router = APIRouter(tags=["shelf"])
Limit = Annotated[int, Query(ge=1, le=50)]
Offset = Annotated[int, Query(ge=0, le=500)]
Fen = Annotated[int | None, Query(ge=0, le=10**10)]


def item_out(item: searching.ShownItem) -> schemas.ItemOut:
    d = item.document
    return schemas.ItemOut(
        impression_id=item.impression_id,
        position=item.position,
        propensity=item.propensity,
        boosted=item.boosted,
        kind=d.kind,
        id=d.id,
        title=d.title,
        shop_id=d.shop_id,
        category=d.category,
        price_fen=d.price_fen,
        in_stock=d.in_stock,
        sales=d.sales,
        score=round(d.score, 2),
        tier=d.tier,
        guarantees=list(d.guarantees),
        on_air=d.on_air,
        image_url=d.image_url,
    )


def results_out(results: searching.Results) -> schemas.SearchOut:
    f = results.facets
    return schemas.SearchOut(
        items=[item_out(i) for i in results.items],
        total=results.total,
        facets=schemas.FacetsOut(
            categories=f.categories, tiers=f.tiers, guarantees=f.guarantees, in_stock=f.in_stock
        )
        if f
        else None,
    )


def _viewer(me: Principal | None) -> int | None:
    return me.user_id if me is not None else None


@router.get("/search", operation_id="searchShelf", response_model=schemas.SearchOut)
async def search(
    tx: Tx,
    rt: Rt,
    me: MaybeUser,
    q: Annotated[str, Query(max_length=60)] = "",
    kind: DocKind = DocKind.PRODUCT,
    category: Annotated[str | None, Query(max_length=40)] = None,
    price_min_fen: Fen = None,
    price_max_fen: Fen = None,
    guarantee: Annotated[str | None, Query(max_length=40)] = None,
    in_stock: bool | None = None,
    tier: Annotated[str | None, Query(max_length=20)] = None,
    sort: Sort = Sort.RELEVANCE,
    offset: Offset = 0,
    limit: Limit = 20,
) -> schemas.SearchOut:
    if category is not None and category not in catalog.CATEGORIES:
        raise Problem(ShelfError.UNKNOWN_CATEGORY, f"unknown category {category!r}", status=422)
    if price_min_fen is not None and price_max_fen is not None and price_min_fen > price_max_fen:
        raise Problem(ShelfError.PRICE_RANGE, "price_min_fen is above price_max_fen", status=422)
    ctx = shelf_of(rt)
    query = SearchQuery(
        kind=kind,
        terms=query_terms(q),
        category=category,
        price_min_fen=price_min_fen,
        price_max_fen=price_max_fen,
        guarantee=guarantee,
        in_stock=in_stock,
        tier=tier,
        sort=sort,
        offset=offset,
        limit=limit,
        facets=True,
    )
    results = await searching.search(
        tx,
        ctx.engine,
        query,
        viewer_id=_viewer(me),
        surface="search",
        policy=ctx.policy,
        now=rt.clock.now(),
    )
    return results_out(results)


@router.get("/mall", operation_id="getMall", response_model=schemas.MallOut)
async def get_mall(tx: Tx, rt: Rt, me: MaybeUser) -> schemas.MallOut:
    ctx = shelf_of(rt)
    found = await mall.mall(
        tx, ctx.engine, viewer_id=_viewer(me), policy=ctx.policy, now=rt.clock.now()
    )

    def node(n: mall.CategoryNode) -> schemas.CategoryNodeOut:
        return schemas.CategoryNodeOut(
            code=n.code,
            name=n.name,
            name_zh=n.name_zh,
            products=n.products,
            children=[node(c) for c in n.children],
        )

    return schemas.MallOut(
        tree=[node(n) for n in found.tree],
        sections=[
            schemas.SectionOut(code=s.code, by=s.by, items=[item_out(i) for i in s.items])
            for s in found.sections
        ],
    )


@router.get("/shops/{shop_id}/page", operation_id="getShopPage", response_model=schemas.ShopPageOut)
async def get_shop_page(
    shop_id: Id, tx: Tx, rt: Rt, me: MaybeUser, offset: Offset = 0, limit: Limit = 20
) -> schemas.ShopPageOut:
    ctx = shelf_of(rt)
    page = await mall.shop_page(
        tx,
        ctx.engine,
        shop_id=shop_id,
        viewer_id=_viewer(me),
        offset=offset,
        limit=limit,
        policy=ctx.policy,
        now=rt.clock.now(),
    )
    room = page.room
    return schemas.ShopPageOut(
        shop_id=page.shop_id,
        name=page.name,
        description=page.description,
        logo_url=page.logo_url,
        owner_id=page.owner_id,
        badge=schemas.BadgeOut(
            tier=page.standing.tier,
            score=page.standing.score,
            traffic_weight=page.standing.traffic_weight,
        ),
        guarantees=[schemas.GuaranteeOut(guarantee=g, source=s) for g, s in page.guarantees],
        room=schemas.RoomOut(
            room_id=room.room_id,
            name=room.name,
            on_air=room.on_air,
            session_id=room.session_id,
            title=room.title,
            viewers=room.viewers,
        )
        if room
        else None,
        following=page.following,
        products=results_out(page.products),
        reviews=[
            schemas.ReviewOut(
                id=v.review.id,
                buyer_name=v.buyer_name,
                rating_described=v.review.rating_described,
                rating_service=v.review.rating_service,
                rating_logistics=v.review.rating_logistics,
                text=v.review.text,
                created_at=v.review.created_at,
            )
            for v in page.reviews
        ],
    )


def _require_self(me: Principal, buyer_id: int, *, operators: bool = False) -> None:
    if me.user_id != buyer_id and not (operators and me.is_operator):
        raise Forbidden("this is another buyer's")


@router.get("/buyers/{buyer_id}/feed", operation_id="getFeed", response_model=schemas.FeedOut)
async def get_feed(buyer_id: Id, tx: Tx, rt: Rt, me: CurrentUser) -> schemas.FeedOut:
    _require_self(me, buyer_id)
    ctx = shelf_of(rt)
    items = await feed.build_feed(
        tx, ctx.engine, buyer_id=buyer_id, policy=ctx.policy, now=rt.clock.now()
    )
    return schemas.FeedOut(
        items=[
            schemas.FeedItemOut(**item_out(i.item).model_dump(), section=i.section) for i in items
        ],
        policy_version=ctx.policy.version,
    )


@router.get(
    "/buyers/{buyer_id}/impressions",
    operation_id="listImpressions",
    response_model=list[schemas.ImpressionOut],
)
async def list_impressions(
    buyer_id: Id,
    tx: Tx,
    me: CurrentUser,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Limit = 50,
) -> list[schemas.ImpressionOut]:
    """A buyer's own exposure log (operators may read any, to audit the policy)."""
    _require_self(me, buyer_id, operators=True)
    rows = await exposure.impressions_of(tx, viewer_id=buyer_id, before=before, limit=limit)
    return [
        schemas.ImpressionOut(
            id=i.id,
            surface=i.surface,
            position=i.position,
            item_kind=i.item_kind,
            item_id=i.item_id,
            policy_version=i.policy_version,
            propensity=i.propensity,
            boosted=i.boosted,
            shown_at=i.shown_at,
            clicked_at=i.clicked_at,
            orders=[
                schemas.AttributionOut(
                    order_id=a.order_id, product_id=a.product_id, amount_fen=a.amount_fen
                )
                for a in credited
            ],
        )
        for i, credited in rows
    ]


@router.post(
    "/impressions/{impression_id}/click",
    operation_id="clickImpression",
    response_model=schemas.ClickOut,
)
async def click_impression(impression_id: Id, tx: Tx, rt: Rt, me: MaybeUser) -> schemas.ClickOut:
    impression = await exposure.record_click(
        tx, impression_id=impression_id, viewer_id=_viewer(me), now=rt.clock.now()
    )
    assert impression.clicked_at is not None
    return schemas.ClickOut(
        impression_id=impression.id, surface=impression.surface, clicked_at=impression.clicked_at
    )


@router.post("/shelf/reindex", operation_id="reindexShelf", response_model=schemas.ReindexOut)
async def reindex(tx: Tx, rt: Rt, me: CurrentOperator) -> schemas.ReindexOut:
    ctx = shelf_of(rt)
    rebuilt = await indexing.rebuild(tx, ctx.engine, rt.clock.now())
    return schemas.ReindexOut(products=rebuilt.products, shops=rebuilt.shops, rooms=rebuilt.rooms)
