"""Trust HTTP schemas: headline scores, explanations, history, the policy in force."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from trustlive.kernel.http import Id


class DimensionOut(BaseModel):
    name: str
    weight: float
    value: float = Field(description="weighted mean of the dimension's indicator sub-scores, 0–5")
    contribution: Decimal = Field(description="points of the score this dimension contributes")


class ScoreOut(BaseModel):
    """What anyone may see: the headline value and its dimensions (like a shop's star rating)."""

    score: str
    subject_id: Id
    value: Decimal
    scale: float
    dimensions: list[DimensionOut]
    policy_version: str
    as_of: datetime


class IndicatorOut(BaseModel):
    code: str
    title: str
    source: str
    dimension: str
    higher_is_better: bool
    successes: float = Field(description="decayed numerator in the window")
    trials: float = Field(description="decayed denominator in the window")
    raw_rate: float | None
    smoothed_rate: float = Field(description="Beta posterior mean with the category prior")
    lower_bound: float = Field(description="Wilson lower bound (penalties)")
    distinct_buyers: int
    sub_score: float
    penalised: bool
    weight: float
    contribution: Decimal


class UnlocksOut(BaseModel):
    tier: str
    traffic_weight: float
    guarantees: list[str]
    campaign_eligible: bool
    subsidy_eligible: bool
    policy_version: str
    decided_at: datetime


class ExplanationOut(ScoreOut):
    category: str | None
    category_percentile: float
    indicators: list[IndicatorOut]
    improvements: list[str] = Field(description="the three largest weighted gaps to the best")
    penalised: bool
    unlocks: UnlocksOut | None


class HistoryPointOut(BaseModel):
    day: date
    value: Decimal
    policy_version: str


class HistoryOut(BaseModel):
    score: str
    subject_id: Id
    points: list[HistoryPointOut]


class PolicyOut(BaseModel):
    version: str
    text: str = Field(description="policy.toml as loaded, with the source of every default")
    indicators: list[str]
