"""The shelf policy: a versioned TOML file shipped with the package, read into frozen data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class MallGroup:
    code: str
    name: str
    name_zh: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ShelfPolicy:
    version: str
    below_gate_tiers: frozenset[str]
    below_gate_share: float
    max_seller_share: float
    candidates: int
    propensity_draws: int
    prior_ctr: tuple[float, float]
    prior_cvr: tuple[float, float]
    pool_impressions: tuple[int, ...]
    pool_min_evidence: tuple[int, ...]
    promote_above_mean: float
    page_size: int
    rooms_on_air_max: int
    private_share: float
    bought_category_share: float
    regular_min_orders: int
    history_days: int
    new_for_buyer_days: int
    launch_days: int
    new_product_boost: float
    daily_boosted_impressions: int
    pace_hours: float
    attribution_hours: int
    mall_section_size: int
    mall_groups: tuple[MallGroup, ...]

    @property
    def prior_conversion(self) -> float:
        """Mean orders per impression before any evidence: the exploration factor's unit."""
        a, b = self.prior_ctr
        c, d = self.prior_cvr
        return (a / (a + b)) * (c / (c + d))


def _pair(value: list[Any]) -> tuple[float, float]:
    a, b = (float(v) for v in value)
    if a <= 0 or b <= 0:
        raise ValueError("Beta prior parameters must be positive")
    return a, b


def parse_policy(raw: dict[str, Any]) -> ShelfPolicy:
    ranking, explore, feed = raw["ranking"], raw["exploration"], raw["feed"]
    new, mall = raw["new_product"], raw["mall"]
    pools = tuple(int(v) for v in explore["pool_impressions"])
    evidence = tuple(int(v) for v in explore["pool_min_evidence"])
    if len(evidence) != len(pools) - 1:
        raise ValueError("pool_min_evidence needs one entry per promotion (pools - 1)")
    share = float(ranking["below_gate_share"])
    if not 0 <= share <= 1:
        raise ValueError("below_gate_share is a share between 0 and 1")
    return ShelfPolicy(
        version=str(raw["version"]),
        below_gate_tiers=frozenset(ranking["below_gate_tiers"]),
        below_gate_share=share,
        max_seller_share=float(ranking["max_seller_share"]),
        candidates=int(ranking["candidates"]),
        propensity_draws=int(ranking["propensity_draws"]),
        prior_ctr=_pair(explore["prior_ctr"]),
        prior_cvr=_pair(explore["prior_cvr"]),
        pool_impressions=pools,
        pool_min_evidence=evidence,
        promote_above_mean=float(explore["promote_above_mean"]),
        page_size=int(feed["page_size"]),
        rooms_on_air_max=int(feed["rooms_on_air_max"]),
        private_share=float(feed["private_share"]),
        bought_category_share=float(feed["bought_category_share"]),
        regular_min_orders=int(feed["regular_min_orders"]),
        history_days=int(feed["history_days"]),
        new_for_buyer_days=int(new["new_for_buyer_days"]),
        launch_days=int(new["launch_days"]),
        new_product_boost=float(new["boost"]),
        daily_boosted_impressions=int(new["daily_boosted_impressions"]),
        pace_hours=float(new["pace_hours"]),
        attribution_hours=int(raw["attribution"]["window_hours"]),
        mall_section_size=int(mall["section_size"]),
        mall_groups=tuple(
            MallGroup(g["code"], g["name"], g["name_zh"], tuple(g["categories"]))
            for g in mall["groups"]
        ),
    )


@lru_cache(maxsize=1)
def load_policy() -> ShelfPolicy:
    """The policy shipped in the package."""
    text = resources.files("trustlive.shelf").joinpath("policy.toml").read_text("utf-8")
    return parse_policy(tomllib.loads(text))
