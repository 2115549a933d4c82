"""Catalog HTTP API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from trustlive import shops
from trustlive.accounts import CurrentUser, MaybeUser
from trustlive.catalog import images, schemas, service
from trustlive.catalog.domain import CATEGORIES, ProductStatus
from trustlive.catalog.policy import stock_for_buyers
from trustlive.catalog.screening import screen_of
from trustlive.kernel.errors import Problem
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit, next_before
from trustlive.kernel.storage import file_store_of

router = APIRouter(tags=["catalog"])


def sku_out(sku_id: int, spec_name: str, price_fen: int, stock: int) -> schemas.SkuOut:
    shown = stock_for_buyers(stock)
    return schemas.SkuOut(
        id=sku_id,
        spec_name=spec_name,
        price_fen=price_fen,
        stock=stock,
        availability=shown.availability,
        only_left=shown.only_left,
    )


def product_out(view: service.ProductView) -> schemas.ProductOut:
    p = view.product
    return schemas.ProductOut(
        id=p.id,
        shop_id=p.shop_id,
        title=p.title,
        description=p.description,
        category=p.category,
        image_urls=p.image_urls,
        status=ProductStatus(p.status),
        sold_count=p.sold_count,
        skus=[sku_out(s.id, s.spec_name, s.price_fen, s.stock) for s in view.skus],
        created_at=p.created_at,
        listed_at=p.listed_at,
    )


@router.get("/categories", operation_id="listCategories", response_model=list[schemas.CategoryOut])
async def list_categories() -> list[schemas.CategoryOut]:
    return [schemas.CategoryOut(**asdict(c)) for c in CATEGORIES.values()]


@router.post(
    "/shops/{shop_id}/products",
    operation_id="createProduct",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ProductOut,
)
async def create_product(
    shop_id: Id, body: schemas.ProductIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ProductOut:
    view = await service.create_product(
        tx,
        shop_id=shop_id,
        actor_id=me.user_id,
        title=body.title,
        description=body.description,
        category=body.category,
        image_urls=[str(u) for u in body.image_urls],
        skus=[service.NewSku(s.spec_name, s.price_fen, s.stock) for s in body.skus],
        now=rt.clock.now(),
        screen=screen_of(rt),
    )
    return product_out(view)


@router.patch(
    "/products/{product_id}", operation_id="updateProduct", response_model=schemas.ProductOut
)
async def update_product(
    product_id: Id, body: schemas.ProductPatch, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ProductOut:
    changes = (
        None
        if body.skus is None
        else [service.SkuChange(s.id, s.spec_name, s.price_fen, s.stock) for s in body.skus]
    )
    for change in changes or []:
        if change.sku_id is not None and change.stock is not None:
            raise Problem(
                "validation-failed", "change an existing SKU's stock with adjustStock", status=422
            )
    view = await service.update_product(
        tx,
        product_id=product_id,
        actor_id=me.user_id,
        title=body.title,
        description=body.description,
        category=body.category,
        image_urls=None if body.image_urls is None else [str(u) for u in body.image_urls],
        skus=changes,
        now=rt.clock.now(),
        screen=screen_of(rt),
    )
    return product_out(view)


@router.post(
    "/products/{product_id}/list", operation_id="listProduct", response_model=schemas.ProductOut
)
async def list_product(product_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.ProductOut:
    view = await service.change_status(
        tx,
        product_id=product_id,
        actor_id=me.user_id,
        target=ProductStatus.LISTED,
        now=rt.clock.now(),
    )
    return product_out(view)


@router.post(
    "/products/{product_id}/delist", operation_id="delistProduct", response_model=schemas.ProductOut
)
async def delist_product(product_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.ProductOut:
    view = await service.change_status(
        tx,
        product_id=product_id,
        actor_id=me.user_id,
        target=ProductStatus.DELISTED,
        now=rt.clock.now(),
    )
    return product_out(view)


@router.get("/products/{product_id}", operation_id="getProduct", response_model=schemas.ProductOut)
async def get_product(product_id: Id, me: MaybeUser, tx: Tx) -> schemas.ProductOut:
    viewer = me.user_id if me else None
    return product_out(await service.get_product(tx, product_id=product_id, viewer_id=viewer))


@router.get(
    "/shops/{shop_id}/products", operation_id="listShopProducts", response_model=schemas.ProductPage
)
async def list_shop_products(
    shop_id: Id,
    me: MaybeUser,
    tx: Tx,
    status: ProductStatus | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.ProductPage:
    views = await service.list_shop_products(
        tx,
        shop_id=shop_id,
        viewer_id=me.user_id if me else None,
        status=status,
        before=before,
        limit=limit,
    )
    cursor = next_before(views, limit, lambda v: v.product.id)
    return schemas.ProductPage(items=[product_out(v) for v in views], next_before=cursor)


@router.post(
    "/skus/{sku_id}/stock-adjustments",
    operation_id="adjustStock",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.StockAdjustmentOut,
)
async def adjust_stock(
    sku_id: Id, body: schemas.StockAdjustmentIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.StockAdjustmentOut:
    if body.delta == 0:
        raise Problem("validation-failed", "delta must not be zero", status=422)
    row = await service.adjust_stock(
        tx,
        sku_id=sku_id,
        actor_id=me.user_id,
        delta=body.delta,
        reason=body.reason,
        now=rt.clock.now(),
    )
    return schemas.StockAdjustmentOut.model_validate(row)


@router.get(
    "/skus/{sku_id}/stock-adjustments",
    operation_id="listStockAdjustments",
    response_model=list[schemas.StockAdjustmentOut],
)
async def list_stock_adjustments(
    sku_id: Id, me: CurrentUser, tx: Tx, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[schemas.StockAdjustmentOut]:
    rows = await service.list_stock_adjustments(tx, sku_id=sku_id, actor_id=me.user_id, limit=limit)
    return [schemas.StockAdjustmentOut.model_validate(r) for r in rows]


@router.post(
    "/shops/{shop_id}/images",
    operation_id="uploadProductImage",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ImageOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("image/jpeg", "image/png", "image/webp")
            },
        }
    },
)
async def upload_product_image(
    shop_id: Id, request: Request, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ImageOut:
    """The body is the image itself (JPEG, PNG or WebP, up to MEDIA_MAX_IMAGE_BYTES). It is
    checked by its content and re-encoded without its metadata; put the answered URL in a
    product's image_urls. Staff who manage products only."""
    await shops.require_permission(
        tx, shop_id=shop_id, user_id=me.user_id, permission=shops.Permission.MANAGE_PRODUCTS
    )
    stored = await images.store_image(
        file_store_of(rt),
        shop_id=shop_id,
        data=await request.body(),
        max_bytes=rt.settings.media_max_image_bytes,
        now=rt.clock.now(),
    )
    return schemas.ImageOut(
        url=stored.url,
        content_type=stored.content_type,
        width=stored.width,
        height=stored.height,
        size_bytes=stored.size_bytes,
    )
