"""Catalog: products, SKUs, categories and stock. Other contexts use only this facade."""

from trustlive.catalog.cards import ProductCard, SkuCard, product_cards
from trustlive.catalog.domain import CATEGORIES, Category, ProductStatus
from trustlive.catalog.events import ProductStatusChanged, StockAdjusted
from trustlive.catalog.service import (
    ProductFacts,
    SkuSnapshot,
    count_sold,
    product_facts,
    release_stock,
    reserve_stock,
    sku_snapshots,
    stock_of,
)

__all__ = [
    "CATEGORIES",
    "Category",
    "ProductCard",
    "ProductFacts",
    "ProductStatus",
    "ProductStatusChanged",
    "SkuCard",
    "SkuSnapshot",
    "StockAdjusted",
    "count_sold",
    "product_cards",
    "product_facts",
    "release_stock",
    "reserve_stock",
    "sku_snapshots",
    "stock_of",
]
