"""A small run of `trustlive evaluate exposure` gates CI: the policy's promises hold on a
generated market (the gate's share, the oracle as the regret baseline), the same seed gives the
same figures, and both shapes run."""

from __future__ import annotations

import pytest

from trustlive.shelf.policy import load_policy
from trustlive.sim.exposureeval import SHAPES, Config, evaluate, render
from trustlive.trust.policy import load_policy as trust_policy

TIERS = [(t.name, t.share, t.traffic_weight) for t in trust_policy().tiers]
POLICY = load_policy()


@pytest.mark.parametrize("shape", SHAPES)
def test_a_small_market_keeps_the_gate_and_is_reproducible(shape: str) -> None:
    config = Config(shape, seed=3, shops=40, buyers=40, days=6, new_shops_day=2)
    rows = {r.policy: r for r in evaluate(config, POLICY, TIERS)}
    assert list(rows) == ["trust", "gmv", "greedy", "oracle"]
    assert 0 < rows["trust"].below_gate_share <= POLICY.below_gate_share * 2  # sampling noise
    assert rows["greedy"].below_gate_share == 0  # greedy never draws a gated slot
    assert rows["gmv"].below_gate_share > rows["trust"].below_gate_share * 3  # no gate at all
    assert rows["oracle"].regret == 0
    assert evaluate(config, POLICY, TIERS) == list(rows.values())
    assert len(render(config, list(rows.values()))) == 6
