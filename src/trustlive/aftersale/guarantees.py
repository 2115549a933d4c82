"""The guarantee rules, pure: when each applies and how much it pays. Every figure is policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from trustlive.aftersale.domain import Guarantee, Kind, Reason
from trustlive.aftersale.policy import Policy


@dataclass(frozen=True)
class BuyerHistory:
    """What after-sales knows of a buyer: received orders, requests asked, recent no-return uses."""

    received_orders: int
    requests: int
    without_return_uses_30d: int

    def request_rate_bp(self) -> int:
        if self.received_orders == 0:
            return 10_000
        return min(10_000, self.requests * 10_000 // self.received_orders)


def seven_day_window_ends(received_at: datetime, policy: Policy) -> datetime:
    """168 h from 00:00 (platform time) of the day after receipt."""
    local_day = received_at.astimezone(policy.zone).date() + timedelta(days=1)
    return datetime.combine(local_day, time(0), tzinfo=policy.zone) + policy.seven_day_window


def seven_day_return_applies(
    *,
    offered: bool,
    categories_allow: Iterable[bool],
    received_at: datetime | None,
    now: datetime,
    policy: Policy,
) -> bool:
    allow = list(categories_allow)
    return (
        offered
        and bool(allow)
        and all(allow)
        and received_at is not None
        and now < seven_day_window_ends(received_at, policy)
    )


def instant_refund_applies(
    *,
    offered: bool,
    amount_fen: int,
    history: BuyerHistory,
    policy: Policy,
    shop_owes_platform: bool = False,
) -> bool:
    """The shop offers it and owes nothing; the buyer has a history of few requests."""
    return (
        offered
        and not shop_owes_platform
        and amount_fen < policy.instant_max_fen
        and history.received_orders >= policy.instant_min_received
        and history.request_rate_bp() <= policy.instant_max_request_rate_bp
    )


def trusted_for_no_return(history: BuyerHistory, policy: Policy) -> bool:
    return (
        history.received_orders >= policy.rwr_trusted_min_received
        and history.request_rate_bp() <= policy.rwr_trusted_max_request_rate_bp
    )


def refund_without_return_applies(
    *,
    offered: bool,
    kind: Kind,
    reason: Reason,
    received: bool,
    amount_fen: int,
    history: BuyerHistory,
    policy: Policy,
) -> bool:
    """Low value or a trusted buyer, for reasons where returning is pointless, within a use cap."""
    return (
        offered
        and received
        and kind in (Kind.REFUND_ONLY, Kind.RETURN_REFUND)
        and reason in policy.rwr_reasons
        and history.without_return_uses_30d < policy.rwr_max_uses_30d
        and (amount_fen <= policy.rwr_low_value_max_fen or trusted_for_no_return(history, policy))
    )


def counterfeit_payout_fen(price_fen: int, policy: Policy) -> int:
    return min(price_fen * policy.counterfeit_multiplier, policy.counterfeit_cap_fen)


def shipping_due_at(paid_at: datetime, policy: Policy) -> datetime:
    return paid_at + timedelta(hours=policy.fast_shipping_hours)


def shipped_late(*, due_at: datetime, shipped_at: datetime | None, now: datetime) -> bool:
    """Late once the promise passes unshipped, or when it shipped after the promise."""
    if shipped_at is None:
        return now >= due_at
    return shipped_at > due_at


def guarantees_for_product(
    shop_guarantees: frozenset[Guarantee], *, category_allows_seven_day: bool
) -> list[Guarantee]:
    shown = set(shop_guarantees)
    if not category_allows_seven_day:
        shown.discard(Guarantee.SEVEN_DAY_RETURN)
    return sorted(shown)
