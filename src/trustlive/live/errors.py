"""Live error codes."""

from enum import StrEnum


class LiveError(StrEnum):
    SESSION_ALREADY_LIVE = "session-already-live"
    SESSION_NOT_LIVE = "session-not-live"
    NOT_A_CREATOR = "not-a-creator"
    NOT_YOUR_PRODUCT = "product-of-another-shop"
    PRODUCT_NOT_ON_SALE = "product-not-on-sale"
    ALREADY_PINNED = "product-already-pinned"
    TOO_MANY_PINS = "too-many-pins"
    BAD_PIN_ORDER = "bad-pin-order"
    NOT_PINNED = "product-not-pinned"
    SKU_NOT_OF_PIN = "sku-not-of-pin"
    BAD_FLASH_SALE = "bad-flash-sale"
    FLASH_STOCK_SHORT = "flash-sale-stock-short"
    FLASH_SOLD_OUT = "flash-sale-sold-out"
    FLASH_LIMIT_REACHED = "flash-sale-limit-reached"
    FLASH_NOT_ACTIVE = "flash-sale-not-active"
    COMMENT_RATE_LIMITED = "comment-rate-limited"
    COMMENT_BLOCKED = "comment-blocked"
