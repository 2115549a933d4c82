"""Catalog: products, SKUs, categories and stock. Other contexts use only this facade."""

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
    "ProductFacts",
    "ProductStatus",
    "ProductStatusChanged",
    "SkuSnapshot",
    "StockAdjusted",
    "count_sold",
    "product_facts",
    "release_stock",
    "reserve_stock",
    "sku_snapshots",
    "stock_of",
]
