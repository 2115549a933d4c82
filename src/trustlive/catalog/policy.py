"""The catalog policy: a versioned TOML file shipped with the package, read into frozen data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trustlive.catalog.domain import ShownStock, shown_stock


@dataclass(frozen=True)
class CatalogPolicy:
    version: str
    few_left_below: int

    def stock_for_buyers(self, stock: int) -> ShownStock:
        return shown_stock(stock, few_left_below=self.few_left_below)


def parse_policy(raw: dict[str, Any]) -> CatalogPolicy:
    return CatalogPolicy(
        version=str(raw["version"]),
        few_left_below=int(raw["stock_display"]["few_left_below"]),
    )


@lru_cache(maxsize=1)
def load_policy() -> CatalogPolicy:
    """The policy shipped in the package."""
    text = resources.files("trustlive.catalog").joinpath("policy.toml").read_text("utf-8")
    return parse_policy(tomllib.loads(text))


def stock_for_buyers(stock: int) -> ShownStock:
    """Under the policy in force: "in stock", "only N left" or "sold out"."""
    return load_policy().stock_for_buyers(stock)
