"""Product cards for other contexts (the live room's cart): title, image, SKUs with stock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.catalog.domain import ProductStatus
from trustlive.catalog.models import Product, Sku


@dataclass(frozen=True)
class SkuCard:
    sku_id: int
    spec_name: str
    price_fen: int
    stock: int


@dataclass(frozen=True)
class ProductCard:
    product_id: int
    shop_id: int
    title: str
    image_url: str | None
    on_sale: bool
    skus: list[SkuCard]

    @property
    def min_price_fen(self) -> int:
        return min((s.price_fen for s in self.skus), default=0)


async def product_cards(
    session: AsyncSession, product_ids: Sequence[int]
) -> dict[int, ProductCard]:
    if not product_ids:
        return {}
    products = await session.scalars(select(Product).where(Product.id.in_(list(product_ids))))
    skus = await session.scalars(
        select(Sku).where(Sku.product_id.in_(list(product_ids))).order_by(Sku.position, Sku.id)
    )
    by_product: dict[int, list[SkuCard]] = {}
    for sku in skus:
        by_product.setdefault(sku.product_id, []).append(
            SkuCard(sku.id, sku.spec_name, sku.price_fen, sku.stock)
        )
    return {
        p.id: ProductCard(
            product_id=p.id,
            shop_id=p.shop_id,
            title=p.title,
            image_url=p.image_urls[0] if p.image_urls else None,
            on_sale=p.status == ProductStatus.LISTED,
            skus=by_product.get(p.id, []),
        )
        for p in products
    }
