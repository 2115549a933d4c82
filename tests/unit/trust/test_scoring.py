"""Scores on small fixtures, computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit.trust.fixtures import small_policy
from trustlive.trust.scoring import (
    DayCount,
    compute_score,
    largest_remainder,
    percentile,
    tier_for,
)

TODAY = date(2026, 3, 10)
TEN_DAYS_AGO = date(2026, 2, 28)


def _series(bad_today: int, buyers: frozenset[int]) -> dict[str, dict[date, DayCount]]:
    return {
        "reviews": {TODAY: DayCount(20)},
        "bad_described": {TODAY: DayCount(bad_today, buyers)},
        "shipped": {TODAY: DayCount(20)},
        "shipped_on_time": {TODAY: DayCount(18)},
    }


def test_shop_score_by_hand() -> None:
    policy = small_policy()
    series = {
        "reviews": {TODAY: DayCount(10), TEN_DAYS_AGO: DayCount(10)},
        "bad_described": {
            TODAY: DayCount(1, frozenset({1})),
            TEN_DAYS_AGO: DayCount(2, frozenset({2, 3})),
        },
        "shipped": {TODAY: DayCount(20)},
        "shipped_on_time": {TODAY: DayCount(18)},
    }

    result = compute_score(
        policy.scores["shop_experience"], series, today=TODAY, policy=policy, category=None
    )

    # bad reviews: decayed 1 + 2·0.5 = 2 of 10 + 10·0.5 = 15; posterior (1 + 2) / (10 + 15) = 0.12
    # sub-score 5·(0.12 − 0.5)/(0 − 0.5) = 3.8; on time: (9 + 18)/(10 + 20) = 0.9 → 5·0.4/0.5 = 4
    # score = 5·0.6·3.8/5 + 5·0.4·4/5 = 2.28 + 1.60 = 3.88
    bad, on_time = result.indicators
    assert (bad.successes, bad.trials) == (2.0, 15.0)
    assert bad.smoothed == pytest.approx(0.12)
    assert bad.sub_score == pytest.approx(3.8)
    assert on_time.smoothed == pytest.approx(0.9)
    assert on_time.sub_score == pytest.approx(4.0)
    assert result.value == Decimal("3.88")
    assert [i.contribution for i in result.indicators] == [Decimal("2.28"), Decimal("1.60")]
    assert [(d.name, d.contribution) for d in result.dimensions] == [
        ("quality", Decimal("2.28")),
        ("logistics", Decimal("1.60")),
    ]
    assert [round(d.value, 6) for d in result.dimensions] == [3.8, 4.0]
    assert bad.penalised is False
    assert result.improvements[0].startswith("1–2★ 'as described' ratings: sub-score 3.80/5")


def test_events_outside_the_window_do_not_count() -> None:
    policy = small_policy()
    old = date(2026, 2, 8)  # 30 days before TODAY: outside a 30-day window
    series = {"reviews": {old: DayCount(50)}, "bad_described": {old: DayCount(50)}}
    result = compute_score(
        policy.scores["shop_experience"], series, today=TODAY, policy=policy, category=None
    )
    assert result.indicators[0].trials == 0.0
    assert result.indicators[0].smoothed == pytest.approx(0.1)


def test_penalty_needs_the_lower_bound_past_the_threshold_and_three_buyers() -> None:
    policy = small_policy()
    sp = policy.scores["shop_experience"]
    # 8 bad of 20: Wilson lower bound ≈ 0.242 > 0.2; posterior (1 + 8)/30 = 0.3 → sub-score 2.0
    two_buyers = compute_score(
        sp, _series(8, frozenset({1, 2})), today=TODAY, policy=policy, category=None
    )
    three_buyers = compute_score(
        sp, _series(8, frozenset({1, 2, 3})), today=TODAY, policy=policy, category=None
    )

    assert two_buyers.indicators[0].sub_score == pytest.approx(2.0)
    assert two_buyers.penalised is False
    assert three_buyers.indicators[0].sub_score == 1.0
    assert three_buyers.indicators[0].penalised is True
    # 5·0.6·1/5 + 1.6 = 2.2
    assert three_buyers.value == Decimal("2.20")


def test_largest_remainder_keeps_the_parts_summing_to_the_rounded_total() -> None:
    total, parts = largest_remainder([1.005, 1.005, 1.005])
    assert total == Decimal("3.02")
    assert parts == [Decimal("1.01"), Decimal("1.01"), Decimal("1.00")]
    assert sum(parts) == total


def test_tiers_and_the_penalty_ceiling() -> None:
    policy = small_policy()
    assert tier_for(Decimal("4.60"), False, policy).name == "gold"
    assert tier_for(Decimal("4.60"), True, policy).name == "basic"
    assert tier_for(Decimal("2.99"), False, policy).name == "restricted"


def test_percentile_is_mid_rank() -> None:
    peers = [Decimal("3.0"), Decimal("4.0"), Decimal("4.0"), Decimal("5.0")]
    assert percentile(Decimal("4.0"), peers) == 50.0
    assert percentile(Decimal("5.0"), peers) == 87.5


def test_category_prior_overrides_the_default() -> None:
    policy = small_policy()
    ip = policy.indicators["shop.bad_review_rate"]
    assert ip.prior_for("fresh_food") == 0.1
    from trustlive.trust.policy import load_policy

    real = load_policy().indicators["shop.bad_review_rate"]
    assert real.prior_for("fresh_food") == 0.04
    assert real.prior_for("apparel") == 0.02
