"""Catalog: products, SKUs, categories and stock. Other contexts use only this facade."""

from trustlive.catalog.cards import ProductCard, SkuCard, product_cards
from trustlive.catalog.domain import CATEGORIES, Availability, Category, ProductStatus, ShownStock
from trustlive.catalog.events import (
    ProductCreated,
    ProductStatusChanged,
    ProductUpdated,
    StockAdjusted,
)
from trustlive.catalog.listing import ListedProduct, listed_product_ids, listed_products
from trustlive.catalog.policy import stock_for_buyers
from trustlive.catalog.screening import SCREEN_KEY as TEXT_SCREEN_KEY
from trustlive.catalog.screening import ProductTextScreen
from trustlive.catalog.screening import Refusal as TextRefusal
from trustlive.catalog.service import (
    ProductFacts,
    SkuSnapshot,
    count_sold,
    delist_by_platform,
    product_facts,
    release_stock,
    reserve_stock,
    sku_snapshots,
    stock_of,
)

__all__ = [
    "CATEGORIES",
    "TEXT_SCREEN_KEY",
    "Availability",
    "Category",
    "ListedProduct",
    "ProductCard",
    "ProductCreated",
    "ProductFacts",
    "ProductStatus",
    "ProductStatusChanged",
    "ProductTextScreen",
    "ProductUpdated",
    "ShownStock",
    "SkuCard",
    "SkuSnapshot",
    "StockAdjusted",
    "TextRefusal",
    "count_sold",
    "delist_by_platform",
    "listed_product_ids",
    "listed_products",
    "product_cards",
    "product_facts",
    "release_stock",
    "reserve_stock",
    "sku_snapshots",
    "stock_for_buyers",
    "stock_of",
]
