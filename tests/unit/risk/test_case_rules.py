"""Cases and enforcement rules: which actions fit which subject, expiry, the one appeal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustlive.kernel.errors import Problem
from trustlive.risk.domain import (
    ActionKind,
    ActionStatus,
    AppealFacts,
    CaseStatus,
    SubjectKind,
    check_action_fits,
    check_appealable,
    expiry,
    in_force,
    reopened,
)
from trustlive.risk.errors import RiskError
from trustlive.risk.policy import load_policy

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
DEFAULTS = load_policy().enforcement.default_days


def test_shop_measures_need_a_shop_and_closing_needs_accounts() -> None:
    check_action_fits(ActionKind.LIMIT_TRAFFIC, SubjectKind.SHOP)
    check_action_fits(ActionKind.CLOSE_ACCOUNT, SubjectKind.GANG)
    with pytest.raises(Problem) as refused:
        check_action_fits(ActionKind.LIMIT_TRAFFIC, SubjectKind.ACCOUNT)
    assert refused.value.code == RiskError.ACTION_DOES_NOT_FIT
    with pytest.raises(Problem):
        check_action_fits(ActionKind.CLOSE_ACCOUNT, SubjectKind.SHOP)


def test_expiry_takes_the_operators_days_else_the_policy_default_and_zero_means_none() -> None:
    assert expiry(ActionKind.LIMIT_TRAFFIC, days=3, defaults=DEFAULTS, now=NOW) == NOW + timedelta(
        days=3
    )
    assert expiry(ActionKind.LIMIT_TRAFFIC, days=None, defaults=DEFAULTS, now=NOW) == (
        NOW + timedelta(days=DEFAULTS["limit_traffic"])
    )
    assert expiry(ActionKind.CLOSE_ACCOUNT, days=None, defaults=DEFAULTS, now=NOW) is None
    assert expiry(ActionKind.BAN_ROOM, days=0, defaults=DEFAULTS, now=NOW) is None


def test_an_action_is_in_force_until_it_expires_or_is_overturned() -> None:
    until = NOW + WEEK
    assert in_force(ActionStatus.IN_FORCE, until, NOW)
    assert not in_force(ActionStatus.IN_FORCE, until, until)
    assert in_force(ActionStatus.IN_FORCE, None, NOW + 1000 * WEEK)
    assert not in_force(ActionStatus.OVERTURNED, None, NOW)


def test_a_decision_is_appealed_once_within_the_window() -> None:
    check_appealable(AppealFacts(ActionStatus.IN_FORCE, NOW, None), window=WEEK, now=NOW + WEEK)
    cases = [
        (AppealFacts(ActionStatus.IN_FORCE, NOW, NOW), NOW, RiskError.ALREADY_APPEALED),
        (AppealFacts(ActionStatus.LIFTED, NOW, None), NOW, RiskError.NOT_APPEALABLE),
        (
            AppealFacts(ActionStatus.IN_FORCE, NOW, None),
            NOW + WEEK + timedelta(seconds=1),
            RiskError.APPEAL_WINDOW_CLOSED,
        ),
    ]
    for facts, at, code in cases:
        with pytest.raises(Problem) as refused:
            check_appealable(facts, window=WEEK, now=at)
        assert refused.value.code == code


def test_new_evidence_puts_any_case_back_in_the_queue() -> None:
    assert [reopened(s) for s in CaseStatus] == [CaseStatus.OPEN] * 3
