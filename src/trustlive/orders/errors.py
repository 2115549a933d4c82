"""Order and payment error codes."""

from enum import StrEnum


class OrderError(StrEnum):
    ILLEGAL_TRANSITION = "illegal-order-transition"
    ORDER_CHANGED = "order-changed-concurrently"
    EMPTY_ORDER = "empty-order"
    TOO_MANY_LINES = "too-many-lines"
    BAD_QUANTITY = "bad-quantity"
    UNKNOWN_SKU = "unknown-sku"
    NOT_ON_SALE = "product-not-on-sale"
    MIXED_SHOPS = "mixed-shops"
    INSUFFICIENT_STOCK = "insufficient-stock"
    SELF_PURCHASE = "self-purchase"
    PAYMENT_WINDOW_CLOSED = "payment-window-closed"
    REFUND_EXCEEDS_PAID = "refund-exceeds-paid"
    RETURN_EXCEEDS_BOUGHT = "return-exceeds-bought"
    REVEAL_LIMIT_REACHED = "address-reveal-limit-reached"
    BLOCKED_BY_RISK = "order-blocked-by-risk"


class PaymentError(StrEnum):
    BAD_SIGNATURE = "bad-payment-signature"
    STALE_NOTIFICATION = "stale-payment-notification"
    AMOUNT_MISMATCH = "payment-amount-mismatch"
    UNKNOWN_PAYMENT = "unknown-payment"
    PROVIDER_REFUSED = "payment-provider-refused"
