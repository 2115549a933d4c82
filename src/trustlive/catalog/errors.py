"""Catalog error codes."""

from enum import StrEnum


class CatalogError(StrEnum):
    UNKNOWN_CATEGORY = "unknown-category"
    ILLEGAL_STATUS_CHANGE = "illegal-product-status-change"
    NOT_LISTABLE = "product-not-listable"
    STOCK_WOULD_GO_NEGATIVE = "stock-would-go-negative"
    NOT_ON_SALE = "product-not-on-sale"
    INSUFFICIENT_STOCK = "insufficient-stock"
    DUPLICATE_SPEC = "duplicate-sku-spec"
    TEXT_REFUSED = "product-text-refused"
    IMAGE_REFUSED = "product-image-refused"
