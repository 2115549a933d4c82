"""What a text check finds: each finding names its rule, the clause it enforces, the level the
policy gives it and the matched span (normalised), so a case can attach it as evidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    BLOCK = "block"  # refused: never reaches anyone
    REMIND = "remind"  # let through; the seller is reminded of the rule


class Rule(StrEnum):
    MOBILE = "private_deal.mobile"
    WECHAT = "private_deal.wechat"
    QQ = "private_deal.qq"
    TRIGGER = "private_deal.trigger"
    ABSOLUTE_TERM = "claims_check.absolute_term"
    MEDICAL_CLAIM = "claims_check.medical_claim"

    @property
    def family(self) -> str:
        return self.value.split(".", 1)[0]


@dataclass(frozen=True)
class Match:
    """A rule matched compact [start, end) of the text it read; `span` is the normalised match."""

    rule: Rule
    span: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    rule: Rule
    clause: str
    level: Level
    span: str  # normalised: what the rule saw ("13812345678" for "①③⑧ 1234 5678")
    raw_start: int  # [raw_start, raw_end) in the checked text; start < 0: began in an earlier
    raw_end: int  # message of the same user in the same place (a split message)
    split: bool = False

    def as_evidence(self) -> dict[str, object]:
        return {
            "rule": str(self.rule),
            "clause": self.clause,
            "level": str(self.level),
            "span": self.span,
            "raw_start": self.raw_start,
            "raw_end": self.raw_end,
            "split": self.split,
        }


@dataclass(frozen=True)
class TextVerdict:
    findings: tuple[Finding, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(f.level == Level.BLOCK for f in self.findings)

    @property
    def first_block(self) -> Finding | None:
        return next((f for f in self.findings if f.level == Level.BLOCK), None)

    @property
    def reminders(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == Level.REMIND)
