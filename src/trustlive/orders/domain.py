"""Order rules: the state machine, who may drive each transition, totals and deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from trustlive.kernel.errors import Conflict, Forbidden, Problem
from trustlive.orders.errors import OrderError

MAX_LINES = 20
MAX_QUANTITY = 999


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    RECEIVED = "received"
    COMPLETED = "completed"  # the after-sale window after receipt has closed
    CANCELLED = "cancelled"
    CLOSED = "closed"  # paid, then fully refunded before shipping (an accepted refund-only request)


class OrderAction(StrEnum):
    PAY = "pay"
    CANCEL = "cancel"
    SHIP = "ship"
    CONFIRM_RECEIPT = "confirm_receipt"
    COMPLETE = "complete"
    CLOSE = "close"


class Actor(StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    SYSTEM = "system"  # timeouts run by the scheduler
    PAYMENT = "payment"  # a verified payment-provider notification


@dataclass(frozen=True)
class Transition:
    to: OrderStatus
    actors: frozenset[Actor]


S, A = OrderStatus, OrderAction
TRANSITIONS: dict[tuple[OrderStatus, OrderAction], Transition] = {
    (S.PENDING_PAYMENT, A.PAY): Transition(S.PAID, frozenset({Actor.PAYMENT})),
    (S.PENDING_PAYMENT, A.CANCEL): Transition(
        S.CANCELLED, frozenset({Actor.BUYER, Actor.MERCHANT, Actor.SYSTEM})
    ),
    (S.PAID, A.SHIP): Transition(S.SHIPPED, frozenset({Actor.MERCHANT})),
    (S.SHIPPED, A.CONFIRM_RECEIPT): Transition(S.RECEIVED, frozenset({Actor.BUYER, Actor.SYSTEM})),
    (S.RECEIVED, A.COMPLETE): Transition(S.COMPLETED, frozenset({Actor.SYSTEM})),
    # after-sales closes a paid, unshipped order whose refund-only request was accepted
    (S.PAID, A.CLOSE): Transition(S.CLOSED, frozenset({Actor.SYSTEM})),
}
REVIEWABLE = frozenset({S.RECEIVED, S.COMPLETED})
# statuses in which the buyer's money may go back (partly, over several after-sale requests)
REFUNDABLE = frozenset({S.PAID, S.SHIPPED, S.RECEIVED, S.COMPLETED, S.CLOSED})


def next_status(current: OrderStatus, action: OrderAction, actor: Actor) -> OrderStatus:
    """The status after `action`, or a 409 naming why it is not allowed from `current`."""
    transition = TRANSITIONS.get((current, action))
    if transition is None:
        raise Conflict(
            OrderError.ILLEGAL_TRANSITION,
            f"an order that is {current} cannot {action.replace('_', ' ')}",
            current_status=current.value,
        )
    if actor not in transition.actors:
        raise Forbidden(f"a {actor} cannot {action.replace('_', ' ')} an order")
    return transition.to


def allowed_actions(current: OrderStatus, actor: Actor) -> list[OrderAction]:
    return [a for (s, a), t in TRANSITIONS.items() if s == current and actor in t.actors]


@dataclass(frozen=True)
class OrderPolicy:
    unpaid_timeout: timedelta
    auto_receive_after: timedelta
    aftersale_window: timedelta

    def pay_deadline(self, placed_at: datetime) -> datetime:
        return placed_at + self.unpaid_timeout

    def auto_receive_at(self, shipped_at: datetime) -> datetime:
        return shipped_at + self.auto_receive_after

    def completes_at(self, received_at: datetime) -> datetime:
        return received_at + self.aftersale_window


def merge_quantities(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Requested (sku, quantity) pairs with repeats summed; rejects empty and oversized orders."""
    merged: dict[int, int] = {}
    for sku_id, quantity in lines:
        if quantity <= 0:
            raise Problem(OrderError.BAD_QUANTITY, "quantities must be at least 1", status=422)
        merged[sku_id] = merged.get(sku_id, 0) + quantity
    if not merged:
        raise Problem(OrderError.EMPTY_ORDER, "an order needs at least one line", status=422)
    if len(merged) > MAX_LINES:
        raise Problem(OrderError.TOO_MANY_LINES, f"at most {MAX_LINES} SKUs per order", status=422)
    if any(q > MAX_QUANTITY for q in merged.values()):
        raise Problem(OrderError.BAD_QUANTITY, f"at most {MAX_QUANTITY} of one SKU", status=422)
    return merged


def line_total(unit_price_fen: int, quantity: int) -> int:
    return unit_price_fen * quantity


# ---- personal data: what anyone but the buyer sees of a shipping address ----

MASK = "****"


def mask_phone(phone: str) -> str:
    """138****5678: the operator prefix and the last four digits, as the big platforms show."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 8:
        return MASK
    return digits[:3] + MASK + digits[-4:]


def mask_recipient(name: str) -> str:
    """王*: the first character; one star whatever the length, so the length is not told either."""
    name = name.strip()
    return (name[:1] + "*") if name else "*"


def mask_address(address: dict[str, str]) -> dict[str, str]:
    """The region (province, city, district) stays, for routing and statistics; the street
    detail, the phone and all but the first character of the name are masked."""
    masked = dict(address)
    masked["recipient"] = mask_recipient(address.get("recipient", ""))
    masked["phone"] = mask_phone(address.get("phone", ""))
    masked["detail"] = MASK
    return masked


def check_reveal_allowed(*, used_today: int, per_day: int) -> None:
    """A staff member reveals at most `per_day` addresses in any 24 hours (policy)."""
    if used_today >= per_day:
        raise Problem(
            OrderError.REVEAL_LIMIT_REACHED,
            f"you revealed {used_today} addresses in the last 24 hours, the most allowed; "
            "ask the shop owner, or try again later",
            status=429,
        )
