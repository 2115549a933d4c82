"""The graph detectors' policy: risk/policy_graph.toml loaded into frozen dataclasses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class BrushingRule:
    """Shopee's order-brushing rule: concentration in a sliding window."""

    window_seconds: int = 3600
    min_concentration: float = 3.0


@dataclass(frozen=True, slots=True)
class DenseBlockPolicy:
    """FRAUDAR peeling and the floor a block must clear to be reported."""

    column_weight_c: float = 5.0
    max_blocks: int = 3
    min_density: float = 1.4
    min_rows: int = 5
    min_columns: int = 3


@dataclass(frozen=True, slots=True)
class GangPolicy:
    """How shared identifiers link accounts and when a cluster is a gang."""

    hub_max_accounts: int = 50
    min_link_weight: float = 0.4
    standalone_link_weight: float = 1.5
    min_gang_size: int = 5
    household_max_accounts: int = 8
    address_similarity: float = 0.8
    type_weight: tuple[tuple[str, float], ...] = (
        ("device", 1.0),
        ("payment", 1.0),
        ("phone", 1.0),
        ("address", 0.7),
        ("ip", 0.3),
    )

    def weight_of(self, kind: str) -> float:
        """The weight of an identifier kind; kinds the policy does not name link nobody."""
        return dict(self.type_weight).get(kind, 0.0)


@dataclass(frozen=True, slots=True)
class GraphPolicy:
    version: str
    brushing: BrushingRule
    dense_blocks: DenseBlockPolicy
    gangs: GangPolicy


def parse_policy(raw: dict[str, Any]) -> GraphPolicy:
    """Build the policy from parsed TOML; a missing key is an error, not a silent default."""
    brushing = raw["brushing"]
    dense = brushing["dense_blocks"]
    gangs = raw["gangs"]
    return GraphPolicy(
        version=str(raw["version"]),
        brushing=BrushingRule(
            window_seconds=int(brushing["window_seconds"]),
            min_concentration=float(brushing["min_concentration"]),
        ),
        dense_blocks=DenseBlockPolicy(
            column_weight_c=float(dense["column_weight_c"]),
            max_blocks=int(dense["max_blocks"]),
            min_density=float(dense["min_density"]),
            min_rows=int(dense["min_rows"]),
            min_columns=int(dense["min_columns"]),
        ),
        gangs=GangPolicy(
            hub_max_accounts=int(gangs["hub_max_accounts"]),
            min_link_weight=float(gangs["min_link_weight"]),
            standalone_link_weight=float(gangs["standalone_link_weight"]),
            min_gang_size=int(gangs["min_gang_size"]),
            household_max_accounts=int(gangs["household_max_accounts"]),
            address_similarity=float(gangs["address_similarity"]),
            type_weight=tuple((str(k), float(v)) for k, v in gangs["type_weight"].items()),
        ),
    )


@lru_cache(maxsize=1)
def load_policy() -> GraphPolicy:
    """The policy shipped in the package."""
    text = resources.files("trustlive.risk").joinpath("policy_graph.toml").read_text("utf-8")
    return parse_policy(tomllib.loads(text))
