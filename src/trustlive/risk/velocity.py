"""The inline check's rules: how many orders a buyer placed at a shop within the hour, how many
accounts ordered through one identifier within the day, and the decision those counts, banned
identifiers and the shop's staff identifiers give. Pure but for the bounded in-memory counters;
`now` is passed in.

The counters are per process (the order path cannot afford a round trip per identifier): with
several workers each counts the orders it placed, so a limit holds per worker. The durable
record (risk_order_identity) feeds the scheduled graph detectors, which see every order.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from trustlive.risk.policy import InlinePolicy, Limits

LEVELS = ("allow", "review", "block")


@dataclass(frozen=True, slots=True)
class Signal:
    """One rule that fired, with the level the policy gives it and what it counted."""

    rule: str
    level: str
    reason: str
    detail: Mapping[str, Any] = field(default_factory=dict)


class _Recent:
    """Timestamped entries per key within a window, least recently used keys dropped first."""

    def __init__(self, window: timedelta, max_keys: int) -> None:
        self.window = window
        self.max_keys = max_keys
        self.entries: OrderedDict[Hashable, deque[tuple[datetime, int]]] = OrderedDict()

    def current(self, key: Hashable, now: datetime) -> deque[tuple[datetime, int]]:
        found = self.entries.get(key)
        if found is None:
            return deque()
        self.entries.move_to_end(key)
        while found and found[0][0] <= now - self.window:
            found.popleft()
        return found

    def add(self, key: Hashable, now: datetime, value: int) -> None:
        found = self.entries.get(key)
        if found is None:
            found = self.entries[key] = deque()
            while len(self.entries) > self.max_keys:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        found.append((now, value))


class Velocity:
    """Orders per (buyer, shop) and accounts per identifier, within the policy's windows."""

    def __init__(self, policy: InlinePolicy) -> None:
        self.policy = policy
        self.buyer_shop = _Recent(policy.buyer_shop_window, policy.max_tracked_keys)
        self.identifier = _Recent(policy.identifier_window, policy.max_tracked_keys)

    def orders_at_shop(self, buyer_id: int, shop_id: int, now: datetime) -> int:
        """Orders the buyer placed at the shop within the window, before this one."""
        return len(self.buyer_shop.current((buyer_id, shop_id), now))

    def accounts_on(self, kind: str, digest: str, now: datetime) -> set[int]:
        return {account for _, account in self.identifier.current((kind, digest), now)}

    def record(
        self, buyer_id: int, shop_id: int, digests: Mapping[str, str], now: datetime
    ) -> None:
        self.buyer_shop.add((buyer_id, shop_id), now, buyer_id)
        for kind, digest in digests.items():
            if kind in self.policy.accounts_per:
                self.identifier.add((kind, digest), now, buyer_id)


def _by_limits(count: int, limits: Limits) -> str:
    """0 as a limit: never at that level."""
    if limits.block and count >= limits.block:
        return "block"
    if limits.review and count >= limits.review:
        return "review"
    return "allow"


def velocity_signals(
    velocity: Velocity, *, buyer_id: int, shop_id: int, digests: Mapping[str, str], now: datetime
) -> list[Signal]:
    """The velocity rules, counting the order being checked."""
    policy = velocity.policy
    signals: list[Signal] = []
    at_shop = velocity.orders_at_shop(buyer_id, shop_id, now) + 1
    level = _by_limits(at_shop, policy.buyer_shop)
    if level != "allow":
        signals.append(
            Signal(
                "velocity.buyer_shop",
                level,
                f"{at_shop} orders at one shop within the hour",
                {"orders": at_shop, "shop_id": shop_id},
            )
        )
    for kind, limits in policy.accounts_per.items():
        digest = digests.get(kind)
        if digest is None:
            continue
        accounts = velocity.accounts_on(kind, digest, now) | {buyer_id}
        level = _by_limits(len(accounts), limits)
        if level != "allow":
            signals.append(
                Signal(
                    f"velocity.{kind}_accounts",
                    level,
                    f"{len(accounts)} accounts ordered through one {kind} within the day",
                    {"accounts": sorted(accounts), "kind": kind},
                )
            )
    return signals


def banned_signals(banned: Mapping[str, int], level: str) -> list[Signal]:
    """`banned`: kind → the closed account whose identifier this order carries."""
    return [
        Signal(
            f"banned.{kind}",
            level,
            f"the {kind} belongs to a closed account",
            {"kind": kind, "accounts": [account]},
        )
        for kind, account in sorted(banned.items())
    ]


def staff_signals(staff: Mapping[str, set[int]], level: str) -> list[Signal]:
    """`staff`: kind → the shop's staff accounts that used the same identifier."""
    return [
        Signal(
            f"identity.staff_{kind}",
            level,
            f"the {kind} was used by the shop's own staff",
            {"kind": kind, "accounts": sorted(accounts)},
        )
        for kind, accounts in sorted(staff.items())
        if accounts
    ]


def decision(signals: list[Signal]) -> tuple[str, Signal | None]:
    """The strictest level among the signals, and the first signal at that level."""
    if not signals:
        return "allow", None
    worst = max(signals, key=lambda s: LEVELS.index(s.level))
    return worst.level, worst
