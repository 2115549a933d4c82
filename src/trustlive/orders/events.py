"""Events published by orders. Lines travel as plain dicts: sku_id, product_id, quantity, price."""

from dataclasses import dataclass, field
from typing import Any

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Event):
    topic = "orders.order_placed"
    order_id: int
    buyer_id: int
    shop_id: int
    total_fen: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    room_id: int | None = None
    live_session_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class OrderPaid(Event):
    topic = "orders.order_paid"
    order_id: int
    buyer_id: int
    shop_id: int
    total_fen: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    room_id: int | None = None
    live_session_id: int | None = None
    buyer_name: str | None = None  # room orders only: the room shows who bought, masked


@dataclass(frozen=True, kw_only=True)
class OrderShipped(Event):
    topic = "orders.order_shipped"
    order_id: int
    shop_id: int
    buyer_id: int
    late: bool = False


@dataclass(frozen=True, kw_only=True)
class OrderReceived(Event):
    topic = "orders.order_received"
    order_id: int
    shop_id: int
    buyer_id: int
    automatic: bool


@dataclass(frozen=True, kw_only=True)
class OrderCompleted(Event):
    topic = "orders.order_completed"
    order_id: int
    shop_id: int
    buyer_id: int


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    topic = "orders.order_cancelled"
    order_id: int
    shop_id: int
    buyer_id: int
    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrderClosed(Event):
    topic = "orders.order_closed"
    order_id: int
    shop_id: int
    buyer_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(Event):
    topic = "orders.order_refunded"
    order_id: int
    shop_id: int
    buyer_id: int
    amount_fen: int
    refunded_total_fen: int
    reference: str
