"""The text checks' policy: the [private_deal] and [claims_check] tables of risk/policy.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from trustlive.risk.text.findings import Level, Rule

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy.toml"


@dataclass(frozen=True)
class TextPolicy:
    private_deal_level: Level
    private_deal_clause: str
    history_messages: int
    history_window: timedelta
    history_places: int
    order_context_chars: int
    absolute_level: Level
    absolute_clause: str
    medical_level: Level
    medical_clause: str

    def level_of(self, rule: Rule) -> Level:
        if rule == Rule.ABSOLUTE_TERM:
            return self.absolute_level
        if rule == Rule.MEDICAL_CLAIM:
            return self.medical_level
        return self.private_deal_level

    def clause_of(self, rule: Rule) -> str:
        if rule == Rule.ABSOLUTE_TERM:
            return self.absolute_clause
        if rule == Rule.MEDICAL_CLAIM:
            return self.medical_clause
        return self.private_deal_clause


def text_policy(data: dict[str, Any]) -> TextPolicy:
    deal, claims = data["private_deal"], data["claims_check"]
    history = int(deal["history_messages"])
    if not 1 <= history <= 3:
        raise ValueError("private_deal.history_messages must be 1, 2 or 3")
    return TextPolicy(
        private_deal_level=Level(deal["level"]),
        private_deal_clause=str(deal["clause"]),
        history_messages=history,
        history_window=timedelta(seconds=float(deal["history_window_seconds"])),
        history_places=int(deal["history_places"]),
        order_context_chars=int(deal["order_context_chars"]),
        absolute_level=Level(claims["absolute_level"]),
        absolute_clause=str(claims["absolute_clause"]),
        medical_level=Level(claims["medical_level"]),
        medical_clause=str(claims["medical_clause"]),
    )


def load_text_policy(path: Path = POLICY_FILE) -> TextPolicy:
    with path.open("rb") as f:
        return text_policy(tomllib.load(f))
