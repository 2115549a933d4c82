"""Catalog: products, SKUs, categories and stock. Other contexts use only this facade."""

from trustlive.catalog.cards import ProductCard, SkuCard, product_cards
from trustlive.catalog.domain import CATEGORIES, Availability, Category, ProductStatus, ShownStock
from trustlive.catalog.events import ProductStatusChanged, StockAdjusted
from trustlive.catalog.policy import stock_for_buyers
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
    "Availability",
    "Category",
    "ProductCard",
    "ProductFacts",
    "ProductStatus",
    "ProductStatusChanged",
    "ShownStock",
    "SkuCard",
    "SkuSnapshot",
    "StockAdjusted",
    "count_sold",
    "product_cards",
    "product_facts",
    "release_stock",
    "reserve_stock",
    "sku_snapshots",
    "stock_for_buyers",
    "stock_of",
]
