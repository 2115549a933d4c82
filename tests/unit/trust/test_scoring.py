"""Scores on small fixtures, computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit.trust.fixtures import small_policy
from trustlive.trust.domain import (
    Counts,
    DayCount,
    compute_score,
    fit_prior,
    fit_tier_lines,
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
    # against the bootstrap prior Beta(mean 0.1, strength 10), spread sqrt(0.1·0.9/11) = 0.090453:
    # z = 0.02 / 0.090453 = 0.2211, lower is better → sub-score 5·Φ(−0.2211) = 2.0625
    # on time: (9 + 18)/(10 + 20) = 0.9 = the prior mean → the middle, 2.5
    # score = 5·0.6·2.0625/5 + 5·0.4·2.5/5 = 1.2375 + 1.0 = 2.2375 → 2.24
    bad, on_time = result.indicators
    assert (bad.successes, bad.trials) == (2.0, 15.0)
    assert bad.smoothed == pytest.approx(0.12)
    assert bad.sub_score == pytest.approx(2.062520, abs=1e-6)
    assert on_time.smoothed == pytest.approx(0.9)
    assert on_time.sub_score == pytest.approx(2.5)
    assert result.value == Decimal("2.24")
    assert [i.contribution for i in result.indicators] == [Decimal("1.24"), Decimal("1.00")]
    assert [(d.name, d.contribution) for d in result.dimensions] == [
        ("quality", Decimal("1.24")),
        ("logistics", Decimal("1.00")),
    ]
    assert [round(d.value, 6) for d in result.dimensions] == [2.06252, 2.5]
    assert bad.penalised is False
    assert result.improvements[0].startswith("1–2★ 'as described' ratings: sub-score 2.06/5")


def test_no_data_is_the_middle_of_the_category() -> None:
    policy = small_policy()
    result = compute_score(
        policy.scores["shop_experience"], {}, today=TODAY, policy=policy, category=None
    )
    assert [i.sub_score for i in result.indicators] == [2.5, 2.5]
    assert result.value == Decimal("2.50")


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
    # 8 bad of 20: Wilson lower bound ≈ 0.242 > 0.2; posterior (1 + 8)/30 = 0.3, z = 2.211
    # → sub-score 5·Φ(−2.211) = 0.0676, already under the cap of 1
    two_buyers = compute_score(
        sp, _series(8, frozenset({1, 2})), today=TODAY, policy=policy, category=None
    )
    three_buyers = compute_score(
        sp, _series(8, frozenset({1, 2, 3})), today=TODAY, policy=policy, category=None
    )

    assert two_buyers.indicators[0].sub_score == pytest.approx(0.067575, abs=1e-6)
    assert two_buyers.penalised is False
    assert three_buyers.indicators[0].sub_score == pytest.approx(0.067575, abs=1e-6)
    assert three_buyers.indicators[0].penalised is True
    # 5·0.6·0.0676/5 + 5·0.4·2.5/5 (18 of 20 on time is the prior mean) = 1.0405
    assert three_buyers.value == Decimal("1.04")


def test_every_shop_past_the_penalty_line_is_penalised_however_bad() -> None:
    """The flag once fired only while the sub-score was above the cap, missing the worst shops."""
    policy = small_policy()
    sp = policy.scores["shop_experience"]
    for bad in (8, 12, 16, 20):
        result = compute_score(
            sp, _series(bad, frozenset({1, 2, 3})), today=TODAY, policy=policy, category=None
        )
        assert result.indicators[0].penalised is True, bad
        assert result.penalised is True


def test_fitted_tier_lines_give_each_tier_its_share() -> None:
    policy = small_policy()  # shares: gold 0.2, basic 0.6, restricted 0.2
    values = [Decimal(v) / 10 for v in range(10, 0, -1)]  # 1.0, 0.9, …, 0.1
    lines = fit_tier_lines(values, policy)
    assert lines == {"gold": 0.9, "basic": 0.3, "restricted": 0.0}
    tiers = [tier_for(v, False, policy, lines).name for v in values]
    assert tiers == ["gold"] * 2 + ["basic"] * 6 + ["restricted"] * 2


def test_the_fit_recovers_a_known_category_distribution() -> None:
    policy = small_policy()
    # shops whose true rates are 0.05 and 0.15 in equal numbers, each seen over 1,000 trials:
    # mean 0.1, between-shop variance 0.0025 (less the binomial noise the fit removes)
    counts = [Counts(50, 1000), Counts(150, 1000)] * 20
    prior = fit_prior(counts, policy)
    assert prior is not None
    assert prior.mean == pytest.approx(0.1, abs=1e-3)
    assert prior.spread == pytest.approx(0.05, rel=0.03)
    assert fit_prior(counts[:2], policy) is None  # fewer subjects than min_subjects


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
