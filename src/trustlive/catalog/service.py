"""Catalog use cases: products and SKUs for merchants, stock reservation for orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import shops
from trustlive.catalog import domain
from trustlive.catalog.domain import ProductStatus
from trustlive.catalog.errors import CatalogError
from trustlive.catalog.events import (
    ProductCreated,
    ProductStatusChanged,
    ProductUpdated,
    StockAdjusted,
)
from trustlive.catalog.models import Product, Sku, StockAdjustment
from trustlive.catalog.screening import AllowAllTexts, ProductTextScreen, require_acceptable
from trustlive.kernel.errors import Conflict, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event


@dataclass(frozen=True)
class NewSku:
    spec_name: str
    price_fen: int
    stock: int


@dataclass(frozen=True)
class SkuChange:
    sku_id: int | None  # None adds a SKU
    spec_name: str
    price_fen: int
    stock: int | None = None  # only for a new SKU; existing stock changes through adjust_stock


@dataclass(frozen=True)
class ProductView:
    product: Product
    skus: list[Sku]


@dataclass(frozen=True)
class SkuSnapshot:
    """What an order needs to know of a SKU at checkout."""

    sku_id: int
    product_id: int
    shop_id: int
    title: str
    spec_name: str
    category: str
    price_fen: int
    image_url: str | None
    on_sale: bool


def _check_unique_specs(specs: Sequence[str]) -> None:
    if len(set(specs)) != len(specs):
        raise Conflict(CatalogError.DUPLICATE_SPEC, "two SKUs have the same spec name", status=422)


async def _load(session: AsyncSession, product_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound("product", product_id)
    return product


async def _skus(session: AsyncSession, product_id: int) -> list[Sku]:
    rows = await session.scalars(
        select(Sku).where(Sku.product_id == product_id).order_by(Sku.position, Sku.id)
    )
    return list(rows)


async def _require_manager(session: AsyncSession, *, shop_id: int, actor_id: int) -> None:
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.MANAGE_PRODUCTS
    )


def _audit(
    session: AsyncSession,
    *,
    sku: Sku,
    delta: int,
    stock_after: int,
    reason: str,
    actor_id: int,
    now: datetime,
) -> StockAdjustment:
    adjustment = StockAdjustment(
        id=new_id(),
        sku_id=sku.id,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        actor_id=actor_id,
        created_at=now,
    )
    session.add(adjustment)
    record_event(
        session,
        StockAdjusted(
            sku_id=sku.id,
            product_id=sku.product_id,
            delta=delta,
            stock_after=stock_after,
            actor_id=actor_id,
        ),
        now=now,
    )
    return adjustment


def _add_sku(
    session: AsyncSession,
    product: Product,
    new: NewSku,
    position: int,
    actor_id: int,
    now: datetime,
) -> Sku:
    sku = Sku(
        id=new_id(),
        product_id=product.id,
        shop_id=product.shop_id,
        spec_name=new.spec_name,
        price_fen=new.price_fen,
        stock=new.stock,
        position=position,
    )
    session.add(sku)
    _audit(
        session,
        sku=sku,
        delta=new.stock,
        stock_after=new.stock,
        reason="initial stock",
        actor_id=actor_id,
        now=now,
    )
    return sku


async def create_product(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    title: str,
    description: str,
    category: str,
    image_urls: list[str],
    skus: list[NewSku],
    now: datetime,
    screen: ProductTextScreen | None = None,
) -> ProductView:
    await _require_manager(session, shop_id=shop_id, actor_id=actor_id)
    domain.check_category(category)
    await require_acceptable(
        session,
        screen or AllowAllTexts(),
        shop_id=shop_id,
        texts={"title": title, "description": description},
    )
    _check_unique_specs([s.spec_name for s in skus])
    product = Product(
        id=new_id(),
        shop_id=shop_id,
        title=title,
        description=description,
        category=category,
        image_urls=image_urls,
        status=ProductStatus.DRAFT,
        sold_count=0,
        created_at=now,
        updated_at=now,
    )
    session.add(product)
    await session.flush()
    rows = [_add_sku(session, product, s, i, actor_id, now) for i, s in enumerate(skus)]
    record_event(session, ProductCreated(product_id=product.id, shop_id=shop_id), now=now)
    await session.flush()
    return ProductView(product, rows)


async def update_product(
    session: AsyncSession,
    *,
    product_id: int,
    actor_id: int,
    title: str | None,
    description: str | None,
    category: str | None,
    image_urls: list[str] | None,
    skus: list[SkuChange] | None,
    now: datetime,
    screen: ProductTextScreen | None = None,
) -> ProductView:
    product = await _load(session, product_id)
    await _require_manager(session, shop_id=product.shop_id, actor_id=actor_id)
    await require_acceptable(
        session,
        screen or AllowAllTexts(),
        shop_id=product.shop_id,
        texts={"title": title, "description": description},
    )
    if category is not None:
        domain.check_category(category)
        product.category = category
    if title is not None:
        product.title = title
    if description is not None:
        product.description = description
    if image_urls is not None:
        product.image_urls = image_urls
    existing = {s.id: s for s in await _skus(session, product_id)}
    if skus is not None:
        for change in skus:
            if change.sku_id is not None and change.sku_id not in existing:
                raise NotFound("SKU of this product", change.sku_id)
        untouched = [s.spec_name for s in existing.values() if s.id not in {c.sku_id for c in skus}]
        _check_unique_specs(untouched + [c.spec_name for c in skus])
        for position, change in enumerate(skus, start=len(existing)):
            if change.sku_id is None:
                new = NewSku(change.spec_name, change.price_fen, change.stock or 0)
                _add_sku(session, product, new, position, actor_id, now)
            else:
                sku = existing[change.sku_id]
                sku.spec_name, sku.price_fen = change.spec_name, change.price_fen
    if product.status == ProductStatus.LISTED:
        domain.check_listable(
            sku_count=len(existing) + len(skus or []), image_count=len(product.image_urls)
        )
    product.updated_at = now
    record_event(session, ProductUpdated(product_id=product.id, shop_id=product.shop_id), now=now)
    await session.flush()
    return ProductView(product, await _skus(session, product_id))


async def change_status(
    session: AsyncSession,
    *,
    product_id: int,
    actor_id: int,
    target: ProductStatus,
    now: datetime,
) -> ProductView:
    product = await _load(session, product_id)
    await _require_manager(session, shop_id=product.shop_id, actor_id=actor_id)
    domain.check_transition(ProductStatus(product.status), target)
    skus = await _skus(session, product_id)
    if target == ProductStatus.LISTED:
        domain.check_listable(sku_count=len(skus), image_count=len(product.image_urls))
        product.listed_at = now
    product.status = target
    product.updated_at = now
    record_event(
        session,
        ProductStatusChanged(product_id=product.id, shop_id=product.shop_id, status=target),
        now=now,
    )
    return ProductView(product, skus)


async def delist_by_platform(session: AsyncSession, *, product_id: int, now: datetime) -> bool:
    """Take a product off sale by a platform decision (risk control), whoever manages the shop.
    Returns False when it was not listed."""
    product = await _load(session, product_id)
    if product.status != ProductStatus.LISTED:
        return False
    product.status = ProductStatus.DELISTED
    product.updated_at = now
    record_event(
        session,
        ProductStatusChanged(
            product_id=product.id, shop_id=product.shop_id, status=ProductStatus.DELISTED
        ),
        now=now,
    )
    return True


async def get_product(
    session: AsyncSession, *, product_id: int, viewer_id: int | None
) -> ProductView:
    """Listed products are public; drafts and delisted ones only to the shop's product managers."""
    product = await _load(session, product_id)
    if product.status != ProductStatus.LISTED:
        may_see = viewer_id is not None and await shops.has_permission(
            session,
            shop_id=product.shop_id,
            user_id=viewer_id,
            permission=shops.Permission.MANAGE_PRODUCTS,
        )
        if not may_see:
            raise NotFound("product", product_id)
    return ProductView(product, await _skus(session, product_id))


async def list_shop_products(
    session: AsyncSession,
    *,
    shop_id: int,
    viewer_id: int | None,
    status: ProductStatus | None,
    before: int | None,
    limit: int,
) -> list[ProductView]:
    await shops.get_shop(session, shop_id)
    staff = viewer_id is not None and await shops.has_permission(
        session, shop_id=shop_id, user_id=viewer_id, permission=shops.Permission.MANAGE_PRODUCTS
    )
    query = select(Product).where(Product.shop_id == shop_id)
    if not staff:
        query = query.where(Product.status == ProductStatus.LISTED)
    elif status is not None:
        query = query.where(Product.status == status)
    if before is not None:
        query = query.where(Product.id < before)
    products = list(await session.scalars(query.order_by(Product.id.desc()).limit(limit)))
    skus = await session.scalars(
        select(Sku)
        .where(Sku.product_id.in_([p.id for p in products]))
        .order_by(Sku.position, Sku.id)
    )
    by_product: dict[int, list[Sku]] = {p.id: [] for p in products}
    for sku in skus:
        by_product[sku.product_id].append(sku)
    return [ProductView(p, by_product[p.id]) for p in products]


async def adjust_stock(
    session: AsyncSession, *, sku_id: int, actor_id: int, delta: int, reason: str, now: datetime
) -> StockAdjustment:
    """A merchant's stock change: conditional, so it races safely with orders, and audited."""
    sku = await session.get(Sku, sku_id)
    if sku is None:
        raise NotFound("SKU", sku_id)
    await _require_manager(session, shop_id=sku.shop_id, actor_id=actor_id)
    after = await session.scalar(
        update(Sku)
        .where(Sku.id == sku_id, Sku.stock + delta >= 0)
        .values(stock=Sku.stock + delta)
        .returning(Sku.stock)
    )
    await session.refresh(sku)
    if after is None:
        domain.stock_after(sku.stock, delta)  # raises, naming the stock there is
    adjustment = _audit(
        session,
        sku=sku,
        delta=delta,
        stock_after=sku.stock,
        reason=reason,
        actor_id=actor_id,
        now=now,
    )
    await session.flush()
    return adjustment


async def list_stock_adjustments(
    session: AsyncSession, *, sku_id: int, actor_id: int, limit: int
) -> list[StockAdjustment]:
    sku = await session.get(Sku, sku_id)
    if sku is None:
        raise NotFound("SKU", sku_id)
    await _require_manager(session, shop_id=sku.shop_id, actor_id=actor_id)
    rows = await session.scalars(
        select(StockAdjustment)
        .where(StockAdjustment.sku_id == sku_id)
        .order_by(StockAdjustment.id.desc())
        .limit(limit)
    )
    return list(rows)


# --- facade for orders -------------------------------------------------------------------------


async def sku_snapshots(session: AsyncSession, sku_ids: Sequence[int]) -> dict[int, SkuSnapshot]:
    rows = await session.execute(
        select(Sku, Product)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.id.in_(list(sku_ids)))
    )
    return {
        sku.id: SkuSnapshot(
            sku_id=sku.id,
            product_id=product.id,
            shop_id=sku.shop_id,
            title=product.title,
            spec_name=sku.spec_name,
            category=product.category,
            price_fen=sku.price_fen,
            image_url=product.image_urls[0] if product.image_urls else None,
            on_sale=product.status == ProductStatus.LISTED,
        )
        for sku, product in rows
    }


async def reserve_stock(session: AsyncSession, *, sku_id: int, quantity: int) -> bool:
    """Take `quantity` units if that many are left; one conditional UPDATE, safe under races."""
    result = await session.execute(
        update(Sku)
        .where(Sku.id == sku_id, Sku.stock >= quantity)
        .values(stock=Sku.stock - quantity)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release_stock(session: AsyncSession, *, sku_id: int, quantity: int) -> None:
    await session.execute(update(Sku).where(Sku.id == sku_id).values(stock=Sku.stock + quantity))


async def stock_of(session: AsyncSession, sku_id: int) -> int:
    stock = await session.scalar(select(Sku.stock).where(Sku.id == sku_id))
    if stock is None:
        raise NotFound("SKU", sku_id)
    return stock


async def count_sold(session: AsyncSession, *, product_quantities: dict[int, int]) -> None:
    for product_id, quantity in sorted(product_quantities.items()):
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(sold_count=Product.sold_count + quantity)
        )


@dataclass(frozen=True)
class ProductFacts:
    """Where a product sits (shop, category) for other contexts, e.g. guarantees on its page."""

    product_id: int
    shop_id: int
    category: str
    listed: bool


async def product_facts(session: AsyncSession, product_id: int) -> ProductFacts:
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound("product", product_id)
    return ProductFacts(
        product.id, product.shop_id, product.category, product.status == ProductStatus.LISTED
    )
