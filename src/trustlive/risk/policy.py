"""The inline check's, the cases' and enforcement's policy: [inline], [cases] and
[enforcement] of risk/policy.toml (the text checks read their own tables of the same file)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

POLICY_FILE = Path(__file__).resolve().parent / "policy.toml"


@dataclass(frozen=True, slots=True)
class Limits:
    """Review at `review`, block at `block` (counts including the order being checked);
    0: never at that level."""

    review: int
    block: int


@dataclass(frozen=True, slots=True)
class InlinePolicy:
    buyer_shop_window: timedelta
    buyer_shop: Limits
    identifier_window: timedelta
    accounts_per: dict[str, Limits]  # device, address, payment, phone
    staff_identifier_level: str
    banned_identifier_level: str
    banned_refresh: timedelta
    max_tracked_keys: int


@dataclass(frozen=True, slots=True)
class CasePolicy:
    text_violations_for_case: int
    text_violation_window: timedelta
    graph_period: timedelta
    graph_lookback: timedelta


@dataclass(frozen=True, slots=True)
class EnforcementPolicy:
    default_days: dict[str, int]
    appeal_window: timedelta


@dataclass(frozen=True, slots=True)
class RiskPolicy:
    inline: InlinePolicy
    cases: CasePolicy
    enforcement: EnforcementPolicy


def _level(value: Any) -> str:
    if value not in ("allow", "review", "block"):
        raise ValueError(f"unknown level {value!r}")
    return str(value)


def parse_policy(data: dict[str, Any]) -> RiskPolicy:
    """A missing key is an error, not a silent default."""
    inline, cases, enforcement = data["inline"], data["cases"], data["enforcement"]
    return RiskPolicy(
        inline=InlinePolicy(
            buyer_shop_window=timedelta(seconds=int(inline["buyer_shop_window_seconds"])),
            buyer_shop=Limits(int(inline["buyer_shop_review"]), int(inline["buyer_shop_block"])),
            identifier_window=timedelta(seconds=int(inline["identifier_window_seconds"])),
            accounts_per={
                kind: Limits(
                    int(inline[f"{kind}_accounts_review"]), int(inline[f"{kind}_accounts_block"])
                )
                for kind in ("device", "address", "payment", "phone")
            },
            staff_identifier_level=_level(inline["staff_identifier_level"]),
            banned_identifier_level=_level(inline["banned_identifier_level"]),
            banned_refresh=timedelta(seconds=int(inline["banned_refresh_seconds"])),
            max_tracked_keys=int(inline["max_tracked_keys"]),
        ),
        cases=CasePolicy(
            text_violations_for_case=int(cases["text_violations_for_case"]),
            text_violation_window=timedelta(days=int(cases["text_violation_window_days"])),
            graph_period=timedelta(minutes=int(cases["graph_period_minutes"])),
            graph_lookback=timedelta(days=int(cases["graph_lookback_days"])),
        ),
        enforcement=EnforcementPolicy(
            default_days={str(k): int(v) for k, v in enforcement["default_days"].items()},
            appeal_window=timedelta(days=int(enforcement["appeal_days"])),
        ),
    )


@lru_cache(maxsize=1)
def load_policy(path: Path = POLICY_FILE) -> RiskPolicy:
    with path.open("rb") as f:
        return parse_policy(tomllib.load(f))
