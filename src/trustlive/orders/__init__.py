"""Orders: checkout, the order lifecycle, payments and shipping. Other contexts use this facade."""

from trustlive.orders.domain import REVIEWABLE, OrderStatus
from trustlive.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderPlaced,
    OrderReceived,
    OrderShipped,
)
from trustlive.orders.service import OrderSummary, summary_for_buyer

__all__ = [
    "REVIEWABLE",
    "OrderCancelled",
    "OrderCompleted",
    "OrderPaid",
    "OrderPlaced",
    "OrderReceived",
    "OrderShipped",
    "OrderStatus",
    "OrderSummary",
    "summary_for_buyer",
]
