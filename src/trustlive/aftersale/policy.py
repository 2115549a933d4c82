"""The after-sales policy: a versioned TOML file shipped with the package, read into frozen data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

from trustlive.aftersale.domain import Guarantee, Reason


@dataclass(frozen=True)
class Policy:
    version: str
    zone: timezone
    merchant_decision: timedelta
    buyer_return_ship: timedelta
    merchant_confirm_return: timedelta
    request_window: timedelta
    mandatory: frozenset[Guarantee]
    opt_in: frozenset[Guarantee]
    tier: frozenset[Guarantee]
    tier_opt_in: frozenset[Guarantee]
    seven_day_window: timedelta
    return_shipping_fen: int
    return_shipping_payer: str
    instant_max_fen: int
    instant_min_received: int
    instant_max_request_rate_bp: int
    rwr_low_value_max_fen: int
    rwr_trusted_min_received: int
    rwr_trusted_max_request_rate_bp: int
    rwr_max_uses_30d: int
    rwr_reasons: frozenset[Reason]
    counterfeit_multiplier: int
    counterfeit_cap_fen: int
    fast_shipping_hours: int
    fast_shipping_compensation_fen: int
    max_top_up_fen: int


def parse_policy(raw: dict[str, Any]) -> Policy:
    d, g = raw["deadlines"], raw["guarantees"]
    rwr = raw["refund_without_return"]
    return Policy(
        version=str(raw["version"]),
        zone=timezone(timedelta(hours=int(raw["utc_offset_hours"]))),
        merchant_decision=timedelta(hours=d["merchant_decision_hours"]),
        buyer_return_ship=timedelta(days=d["buyer_return_ship_days"]),
        merchant_confirm_return=timedelta(days=d["merchant_confirm_return_days"]),
        request_window=timedelta(days=d["request_window_days"]),
        mandatory=frozenset(Guarantee(x) for x in g["mandatory"]),
        opt_in=frozenset(Guarantee(x) for x in g["opt_in"]),
        tier=frozenset(Guarantee(x) for x in g["tier"]),
        tier_opt_in=frozenset(Guarantee(x) for x in g["tier_opt_in"]),
        seven_day_window=timedelta(hours=raw["seven_day_return"]["window_hours"]),
        return_shipping_fen=int(raw["return_shipping_refund"]["amount_fen"]),
        return_shipping_payer=str(raw["return_shipping_refund"]["payer"]),
        instant_max_fen=int(raw["instant_refund"]["max_amount_fen"]),
        instant_min_received=int(raw["instant_refund"]["min_received_orders"]),
        instant_max_request_rate_bp=int(raw["instant_refund"]["max_request_rate_bp"]),
        rwr_low_value_max_fen=int(rwr["low_value_max_fen"]),
        rwr_trusted_min_received=int(rwr["trusted_min_received_orders"]),
        rwr_trusted_max_request_rate_bp=int(rwr["trusted_max_request_rate_bp"]),
        rwr_max_uses_30d=int(rwr["max_uses_per_30_days"]),
        rwr_reasons=frozenset(Reason(x) for x in rwr["reasons"]),
        counterfeit_multiplier=int(raw["counterfeit_tenfold"]["multiplier"]),
        counterfeit_cap_fen=int(raw["counterfeit_tenfold"]["cap_fen"]),
        fast_shipping_hours=int(raw["fast_shipping"]["promised_hours"]),
        fast_shipping_compensation_fen=int(raw["fast_shipping"]["compensation_fen"]),
        max_top_up_fen=int(raw["deposit"]["max_top_up_fen"]),
    )


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    """The policy shipped in the package."""
    text = resources.files("trustlive.aftersale").joinpath("policy.toml").read_text("utf-8")
    return parse_policy(tomllib.loads(text))
