"""Shelf error codes."""

from enum import StrEnum


class ShelfError(StrEnum):
    NOT_YOUR_FEED = "not-your-feed"
    UNKNOWN_CATEGORY = "unknown-category"
    PRICE_RANGE = "price-range-inverted"
