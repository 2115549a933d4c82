"""The policy file: every default sourced, validated, and changing it changes behaviour."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trustlive.trust.domain import tier_for
from trustlive.trust.indicators import INDICATORS
from trustlive.trust.policy import POLICY_PATH, load_policy, parse_policy


def test_every_indicator_is_configured_and_at_least_thirty_exist() -> None:
    policy = load_policy()
    assert len(INDICATORS) >= 30
    assert set(policy.indicators) == {i.code for i in INDICATORS}


def test_every_default_carries_its_source() -> None:
    """Each setting line says where it came from; `best` anchors (the ideal 0 or 1), names and
    the weight tables share the note of the line next to them."""
    exempt = ("best", "subject", "version", "name", "indicators", "weight", "[")
    lines = POLICY_PATH.read_text(encoding="utf-8").splitlines()
    settings = [ln for ln in lines if "=" in ln and not ln.lstrip().startswith("#")]
    unsourced = [ln for ln in settings if not ln.startswith(exempt) and "source:" not in ln]
    assert unsourced == []


def test_changing_the_policy_text_changes_the_decision() -> None:
    text = POLICY_PATH.read_text(encoding="utf-8")
    stricter = parse_policy(text.replace("min_score = 3.5 ", "min_score = 3.9 "))
    assert tier_for(Decimal("3.70"), False, load_policy()).name == "gold"
    assert tier_for(Decimal("3.70"), False, stricter).name == "silver"


def test_weights_that_do_not_sum_to_one_are_refused() -> None:
    text = POLICY_PATH.read_text(encoding="utf-8").replace("weight = 0.35 ", "weight = 0.45 ")
    with pytest.raises(ValueError, match="dimension weights must sum to 1"):
        parse_policy(text)
