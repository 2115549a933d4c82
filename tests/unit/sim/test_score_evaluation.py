"""Regression gate on the score evaluation: a small generated market of each shape, scored by the
platform's own fold → tally → refit → score code (thresholds well under the full-size figures in
docs/benchmarks.md, so only a real regression trips them)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from trustlive.cli import app
from trustlive.sim.scoreeval import Report, evaluate
from trustlive.sim.scoremarket import SHAPES, MarketConfig
from trustlive.trust.policy import load_policy

POLICY = load_policy()


@pytest.fixture(scope="module", params=sorted(SHAPES))
def report(request: pytest.FixtureRequest) -> Report:
    config = MarketConfig(
        SHAPES[request.param], seed=5, shops=160, days=45, collapse_shops=10, ring_shops=16
    )
    return evaluate(config, POLICY)


def test_both_scores_rank_shops_by_their_latent_quality(report: Report) -> None:
    for name in ("shop_experience", "trust_index"):
        assert report.spearman[name]["all"] >= 0.5, (name, report.spearman)


def test_a_flagged_ring_lifts_its_shops_not_at_all(report: Report) -> None:
    assert report.ring["ring"] > report.ring["before"] + 5  # unflagged, the ring buys a lift
    assert report.ring["ring_flagged"] == report.ring["before"]


def test_tiers_hold_their_policy_shares_and_good_shops_are_rarely_penalised(
    report: Report,
) -> None:
    for tier in POLICY.tiers:
        assert report.tier_shares[tier.name] == pytest.approx(tier.share, abs=0.04)
    assert report.false_penalty <= 0.05


def test_the_command_prints_the_evaluation() -> None:
    result = CliRunner().invoke(
        app,
        ["evaluate", "scores", "--shops", "60", "--days", "30", "--seed", "1",
         "--shape", "pareto-lenient"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "| shop_experience |" in result.output
    assert "review ring (30 accounts × 6 shops" in result.output
