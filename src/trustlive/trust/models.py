"""Trust tables: daily measure counters (the input of every score), the little fold state,
current score snapshots, per-day history, and the tier decisions scores drive."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class TrustDailyCounter(Base):
    """How many of one measure (paid orders, bad reviews, …) a subject had on one day."""

    __tablename__ = "trust_daily_counter"

    subject_kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    count: Mapped[int]


class TrustCounterBuyer(Base):
    """The distinct buyers behind an adverse measure's day: penalties need several of them."""

    __tablename__ = "trust_counter_buyer"

    subject_kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class TrustOrderFact(Base):
    """What later events of an order need: its shop, buyer, products, creator and payment time."""

    __tablename__ = "trust_order_fact"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(index=True)
    buyer_id: Mapped[int]
    product_ids: Mapped[list[int]] = mapped_column(JSON)
    creator_id: Mapped[int | None] = mapped_column(default=None)
    paid_at: Mapped[datetime]


class TrustPurchase(Base):
    """A buyer has bought from a shop or a product before (for repurchase rates)."""

    __tablename__ = "trust_purchase"

    buyer_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)


class TrustThreadWait(Base):
    """A message thread whose buyer waits for the shop's first reply."""

    __tablename__ = "trust_thread_wait"

    thread_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class TrustScore(Base):
    """The current value of one score of one subject, with its dimensions."""

    __tablename__ = "trust_score"

    score: Mapped[str] = mapped_column(String(30), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    subject_kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(40), default=None)
    value: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    penalised: Mapped[bool] = mapped_column(default=False)
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_version: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[datetime]

    __table_args__ = (Index("ix_trust_score_peers", "score", "category", "value"),)


class TrustScoreHistory(Base):
    """The last value of each day, for charts."""

    __tablename__ = "trust_score_history"

    score: Mapped[str] = mapped_column(String(30), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_version: Mapped[str] = mapped_column(String(40))


class TrustShopTier(Base):
    """A shop's tier now and what it unlocks, as decided under `policy_version`."""

    __tablename__ = "trust_shop_tier"

    shop_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    tier: Mapped[str] = mapped_column(String(20))
    traffic_weight: Mapped[float]
    guarantees: Mapped[list[str]] = mapped_column(JSON)
    campaign_eligible: Mapped[bool]
    subsidy_eligible: Mapped[bool]
    policy_version: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[datetime]


class TrustTierDecision(Base):
    """Every change of a shop's tier or eligibility: the audit trail of what scores decided."""

    __tablename__ = "trust_tier_decision"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(index=True)
    tier: Mapped[str] = mapped_column(String(20))
    previous_tier: Mapped[str | None] = mapped_column(String(20), default=None)
    shop_score: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    traffic_weight: Mapped[float]
    guarantees: Mapped[list[str]] = mapped_column(JSON)
    campaign_eligible: Mapped[bool]
    subsidy_eligible: Mapped[bool]
    policy_version: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[datetime]


class TrustRecomputeRun(Base):
    """One full recompute per day: the scheduler's marker and the record of what it did."""

    __tablename__ = "trust_recompute_run"

    day: Mapped[date] = mapped_column(primary_key=True)
    events: Mapped[int]
    subjects: Mapped[int]
    policy_version: Mapped[str] = mapped_column(String(40))
    finished_at: Mapped[datetime]


class TrustFit(Base):
    """The category priors and tier lines fitted at the last full recompute (one row per policy
    version): live score updates use them until the next recompute refits them."""

    __tablename__ = "trust_fit"

    policy_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    fitted_at: Mapped[datetime]
