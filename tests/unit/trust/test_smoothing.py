"""Smoothing maths against hand-computed values."""

from __future__ import annotations

import pytest

from trustlive.trust.domain import Counts, decay_weight, posterior_mean, wilson_lower_bound


def test_decay_halves_every_half_life() -> None:
    assert decay_weight(0, 14) == 1.0
    assert decay_weight(14, 14) == 0.5
    assert decay_weight(28, 14) == 0.25


def test_posterior_mean_mixes_prior_pseudo_counts_with_data() -> None:
    # prior 0.1 with strength 10 = 1 pseudo-bad in 10; data 2 bad in 15 → 3 / 25
    assert posterior_mean(Counts(2, 15), 0.1, 10) == pytest.approx(0.12)


def test_one_bad_review_barely_moves_a_new_shop() -> None:
    assert posterior_mean(Counts(1, 1), 0.02, 20) == pytest.approx(1.4 / 21)


def test_two_five_star_ratings_weigh_less_than_a_hundred() -> None:
    two = posterior_mean(Counts(2, 2), 0.75, 20)
    hundred = posterior_mean(Counts(98, 100), 0.75, 20)
    assert two == pytest.approx(17 / 22)
    assert hundred == pytest.approx(113 / 120)
    assert two < hundred


def test_wilson_lower_bound_matches_the_formula_by_hand() -> None:
    # p = 2/15, z = 1.645: (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n) ≈ 0.04512
    assert wilson_lower_bound(Counts(2, 15), 1.645) == pytest.approx(0.04512, abs=5e-5)
    assert wilson_lower_bound(Counts(8, 20), 1.645) == pytest.approx(0.24238, abs=5e-5)
    assert wilson_lower_bound(Counts(0, 0), 1.645) == 0.0


def test_successes_beyond_trials_are_clamped() -> None:
    assert posterior_mean(Counts(5, 3), 0.5, 2) == pytest.approx(4 / 5)
