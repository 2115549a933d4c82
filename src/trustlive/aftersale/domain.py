"""After-sale rules: kinds, reasons, the request state machine and who may drive it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trustlive.aftersale.errors import AftersaleError
from trustlive.kernel.errors import Conflict, Forbidden


class Kind(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"
    EXCHANGE = "exchange"


class Reason(StrEnum):
    NOT_AS_DESCRIBED = "not_as_described"
    QUALITY_PROBLEM = "quality_problem"
    COUNTERFEIT_SUSPECTED = "counterfeit_suspected"
    WRONG_ITEM = "wrong_item"
    LATE_SHIPPING = "late_shipping"
    NO_REASON_7_DAYS = "no_reason_7_days"
    OTHER = "other"


class Guarantee(StrEnum):
    SEVEN_DAY_RETURN = "seven_day_return"
    RETURN_SHIPPING_REFUND = "return_shipping_refund"
    INSTANT_REFUND = "instant_refund"
    REFUND_WITHOUT_RETURN = "refund_without_return"
    COUNTERFEIT_TENFOLD = "counterfeit_tenfold"
    FAST_SHIPPING = "fast_shipping"


class Payer(StrEnum):
    MERCHANT_DEPOSIT = "merchant_deposit"
    PLATFORM = "platform"
    ORDER_PAYMENT = "order_payment"  # the buyer's own payment goes back (a refund)


class Status(StrEnum):
    PENDING = "pending"  # waiting for the merchant's decision
    REJECTED = "rejected"  # the buyer may escalate to a dispute
    DISPUTED = "disputed"  # an operator decides
    AWAITING_RETURN = "awaiting_return"  # accepted; the buyer ships the goods back
    RETURN_SHIPPED = "return_shipped"  # the merchant confirms receipt of the return
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    CLOSED = "closed"  # nothing paid: return never shipped, or the dispute went to the merchant


class Action(StrEnum):
    ACCEPT_REFUND = "accept_refund"  # refund only: accepting pays at once
    ACCEPT_RETURN = "accept_return"  # return or exchange: accepting asks for the goods back
    REFUND_WITHOUT_RETURN = "refund_without_return"
    REJECT = "reject"
    ESCALATE = "escalate"
    RULE_REFUND = "rule_refund"
    RULE_RETURN = "rule_return"
    RULE_FOR_MERCHANT = "rule_for_merchant"
    SHIP_RETURN = "ship_return"
    RETURN_NOT_SHIPPED = "return_not_shipped"
    CONFIRM_RETURN = "confirm_return"
    CONFIRM_EXCHANGE = "confirm_exchange"


class Actor(StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    SYSTEM = "system"  # deadlines and guarantees
    OPERATOR = "operator"


@dataclass(frozen=True)
class Transition:
    to: Status
    actors: frozenset[Actor]


S, A = Status, Action
_M, _B, _SYS, _OP = Actor.MERCHANT, Actor.BUYER, Actor.SYSTEM, Actor.OPERATOR


def _t(to: Status, *actors: Actor) -> Transition:
    return Transition(to, frozenset(actors))


TRANSITIONS: dict[tuple[Status, Action], Transition] = {
    (S.PENDING, A.ACCEPT_REFUND): _t(S.REFUNDED, _M, _SYS),
    (S.PENDING, A.ACCEPT_RETURN): _t(S.AWAITING_RETURN, _M, _SYS),
    (S.PENDING, A.REFUND_WITHOUT_RETURN): _t(S.REFUNDED, _SYS),
    (S.PENDING, A.REJECT): _t(S.REJECTED, _M),
    (S.REJECTED, A.ESCALATE): _t(S.DISPUTED, _B),
    (S.DISPUTED, A.RULE_REFUND): _t(S.REFUNDED, _OP),
    (S.DISPUTED, A.RULE_RETURN): _t(S.AWAITING_RETURN, _OP),
    (S.DISPUTED, A.RULE_FOR_MERCHANT): _t(S.CLOSED, _OP),
    (S.AWAITING_RETURN, A.SHIP_RETURN): _t(S.RETURN_SHIPPED, _B),
    (S.AWAITING_RETURN, A.RETURN_NOT_SHIPPED): _t(S.CLOSED, _SYS),
    (S.RETURN_SHIPPED, A.CONFIRM_RETURN): _t(S.REFUNDED, _M, _SYS),
    (S.RETURN_SHIPPED, A.CONFIRM_EXCHANGE): _t(S.EXCHANGED, _M, _SYS),
}
OPEN = frozenset({S.PENDING, S.REJECTED, S.DISPUTED, S.AWAITING_RETURN, S.RETURN_SHIPPED})
FINAL = frozenset({S.REFUNDED, S.EXCHANGED, S.CLOSED})


def next_status(current: Status, action: Action, actor: Actor) -> Status:
    transition = TRANSITIONS.get((current, action))
    if transition is None:
        raise Conflict(
            AftersaleError.ILLEGAL_TRANSITION,
            f"a request that is {current} cannot {action.replace('_', ' ')}",
            current_status=current.value,
        )
    if actor not in transition.actors:
        raise Forbidden(f"a {actor} cannot {action.replace('_', ' ')} a request")
    return transition.to


def allowed_actions(current: Status, actor: Actor) -> list[Action]:
    return [a for (s, a), t in TRANSITIONS.items() if s == current and actor in t.actors]


def accept_action(kind: Kind) -> Action:
    return Action.ACCEPT_REFUND if kind == Kind.REFUND_ONLY else Action.ACCEPT_RETURN


def ruling_for_buyer(kind: Kind) -> Action:
    return Action.RULE_REFUND if kind == Kind.REFUND_ONLY else Action.RULE_RETURN


def confirm_action(kind: Kind) -> Action:
    return Action.CONFIRM_EXCHANGE if kind == Kind.EXCHANGE else Action.CONFIRM_RETURN
