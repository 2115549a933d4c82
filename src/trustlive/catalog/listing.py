"""Listed products as the shelf indexes them: texts, category, price, stock, sales."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.catalog.domain import ProductStatus
from trustlive.catalog.models import Product, Sku


@dataclass(frozen=True)
class ListedProduct:
    product_id: int
    shop_id: int
    title: str
    description: str
    category: str
    image_url: str | None
    min_price_fen: int
    stock: int
    sold_count: int
    listed_at: datetime | None


async def listed_products(
    session: AsyncSession, product_ids: Collection[int]
) -> dict[int, ListedProduct]:
    """Of `product_ids`, those listed now (a missing id was delisted, deleted or is a draft)."""
    if not product_ids:
        return {}
    skus = (
        select(
            Sku.product_id,
            func.min(Sku.price_fen).label("price"),
            func.sum(Sku.stock).label("stock"),
        )
        .where(Sku.product_id.in_(list(product_ids)))
        .group_by(Sku.product_id)
        .subquery()
    )
    rows = await session.execute(
        select(Product, skus.c.price, skus.c.stock)
        .join(skus, skus.c.product_id == Product.id)
        .where(Product.id.in_(list(product_ids)), Product.status == ProductStatus.LISTED)
    )
    return {
        p.id: ListedProduct(
            product_id=p.id,
            shop_id=p.shop_id,
            title=p.title,
            description=p.description,
            category=p.category,
            image_url=p.image_urls[0] if p.image_urls else None,
            min_price_fen=int(price),
            stock=int(stock or 0),
            sold_count=p.sold_count,
            listed_at=p.listed_at,
        )
        for p, price, stock in rows
    }


async def listed_product_ids(
    session: AsyncSession, *, after: int, limit: int, shop_id: int | None = None
) -> list[int]:
    """Listed products in id order from `after`, a page at a time (a full reindex walks them)."""
    query = select(Product.id).where(Product.status == ProductStatus.LISTED, Product.id > after)
    if shop_id is not None:
        query = query.where(Product.shop_id == shop_id)
    return list(await session.scalars(query.order_by(Product.id).limit(limit)))
