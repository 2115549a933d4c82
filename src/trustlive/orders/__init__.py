"""Orders: checkout, the order lifecycle, payments and shipping. Other contexts use this facade."""

from trustlive.orders.domain import REVIEWABLE, OrderPolicy, OrderStatus
from trustlive.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderPlaced,
    OrderReceived,
    OrderShipped,
)
from trustlive.orders.router import order_out, policy_from
from trustlive.orders.schemas import AddressIn, LineIn, OrderOut
from trustlive.orders.service import (
    HeldStock,
    OrderSummary,
    OrderView,
    Source,
    place_order,
    summary_for_buyer,
)

__all__ = [
    "REVIEWABLE",
    "AddressIn",
    "HeldStock",
    "LineIn",
    "OrderCancelled",
    "OrderCompleted",
    "OrderOut",
    "OrderPaid",
    "OrderPlaced",
    "OrderPolicy",
    "OrderReceived",
    "OrderShipped",
    "OrderStatus",
    "OrderSummary",
    "OrderView",
    "Source",
    "order_out",
    "place_order",
    "policy_from",
    "summary_for_buyer",
]
