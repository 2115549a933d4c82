"""The after-sale state machine, the guarantee rules and the policy file, without a database."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustlive.aftersale.domain import (
    FINAL,
    TRANSITIONS,
    Action,
    Actor,
    Guarantee,
    Kind,
    Reason,
    Status,
    allowed_actions,
    next_status,
)
from trustlive.aftersale.guarantees import (
    BuyerHistory,
    counterfeit_payout_fen,
    guarantees_for_product,
    instant_refund_applies,
    refund_without_return_applies,
    seven_day_window_ends,
    shipped_late,
)
from trustlive.aftersale.policy import load_policy
from trustlive.kernel.errors import Conflict, Forbidden
from trustlive.messaging.domain import Sender, after_message

POLICY = load_policy()
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
QUALITY = Reason.QUALITY_PROBLEM


@given(st.sampled_from(list(Status)), st.sampled_from(list(Action)), st.sampled_from(list(Actor)))
def test_only_defined_transitions_by_allowed_actors_succeed(
    status: Status, action: Action, actor: Actor
) -> None:
    rule = TRANSITIONS.get((status, action))
    if rule is None:
        with pytest.raises(Conflict):
            next_status(status, action, actor)
    elif actor not in rule.actors:
        with pytest.raises(Forbidden):
            next_status(status, action, actor)
    else:
        assert next_status(status, action, actor) == rule.to


def test_final_statuses_have_no_way_out() -> None:
    for final in FINAL:
        assert all(allowed_actions(final, actor) == [] for actor in Actor)


def test_only_operators_rule_on_disputes_and_only_the_merchant_rejects() -> None:
    assert allowed_actions(Status.DISPUTED, Actor.MERCHANT) == []
    assert allowed_actions(Status.DISPUTED, Actor.BUYER) == []
    assert Action.REJECT not in allowed_actions(Status.PENDING, Actor.SYSTEM)
    assert allowed_actions(Status.REJECTED, Actor.BUYER) == [Action.ESCALATE]


def test_the_seven_day_window_counts_from_the_next_local_midnight() -> None:
    # 2026-03-01 17:00 in Beijing → window 03-02 00:00 + 168 h = 03-09 00:00 Beijing
    assert seven_day_window_ends(T0, POLICY) == datetime(2026, 3, 8, 16, 0, tzinfo=UTC)
    late_evening = datetime(2026, 3, 1, 15, 59, tzinfo=UTC)  # 23:59 Beijing, same local day
    assert seven_day_window_ends(late_evening, POLICY) == datetime(2026, 3, 8, 16, tzinfo=UTC)
    after_midnight = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)  # 00:00 on 03-02 in Beijing
    assert seven_day_window_ends(after_midnight, POLICY) == datetime(2026, 3, 9, 16, tzinfo=UTC)


SEASONED = BuyerHistory(received_orders=3, requests=0, without_return_uses_30d=0)
NEW = BuyerHistory(received_orders=0, requests=0, without_return_uses_30d=0)


def test_instant_refund_needs_the_offer_a_history_and_less_than_300_yuan() -> None:
    ok = {"offered": True, "amount_fen": 29999, "history": SEASONED, "policy": POLICY}
    assert instant_refund_applies(**ok)  # type: ignore[arg-type]
    assert not instant_refund_applies(**{**ok, "amount_fen": 30000})  # type: ignore[arg-type]
    assert not instant_refund_applies(**{**ok, "offered": False})  # type: ignore[arg-type]
    assert not instant_refund_applies(**{**ok, "history": NEW})  # type: ignore[arg-type]
    frequent = replace(SEASONED, requests=1)  # 1 of 3 orders → 33 % > 30 %
    assert not instant_refund_applies(**{**ok, "history": frequent})  # type: ignore[arg-type]


def test_refund_without_return_is_gated_on_value_or_trust_and_capped() -> None:
    def applies(
        amount: int, history: BuyerHistory, reason: Reason = Reason.QUALITY_PROBLEM
    ) -> bool:
        return refund_without_return_applies(
            offered=True, kind=Kind.REFUND_ONLY, reason=reason, received=True,
            amount_fen=amount, history=history, policy=POLICY,
        )  # fmt: skip

    assert applies(2000, NEW)
    assert not applies(2001, NEW)
    trusted = BuyerHistory(received_orders=10, requests=1, without_return_uses_30d=0)
    assert applies(50000, trusted)
    assert not applies(50000, replace(trusted, requests=2))
    assert not applies(100, replace(NEW, without_return_uses_30d=3))
    assert not applies(100, NEW, Reason.NO_REASON_7_DAYS)


@given(st.integers(min_value=1, max_value=10**9))
def test_counterfeit_pay_out_is_ten_times_the_price_and_never_above_the_cap(price: int) -> None:
    paid = counterfeit_payout_fen(price, POLICY)
    assert paid == min(price * 10, POLICY.counterfeit_cap_fen)


def test_a_shipment_is_late_after_the_promise() -> None:
    due = T0 + timedelta(hours=24)
    assert not shipped_late(due_at=due, shipped_at=due, now=due + timedelta(days=1))
    assert shipped_late(due_at=due, shipped_at=due + timedelta(seconds=1), now=due)
    assert shipped_late(due_at=due, shipped_at=None, now=due)
    assert not shipped_late(due_at=due, shipped_at=None, now=due - timedelta(seconds=1))


def test_products_of_excluded_categories_do_not_show_the_seven_day_return() -> None:
    offered = frozenset({Guarantee.SEVEN_DAY_RETURN, Guarantee.FAST_SHIPPING})
    assert guarantees_for_product(offered, category_allows_seven_day=False) == [
        Guarantee.FAST_SHIPPING
    ]


def test_every_policy_default_names_its_source() -> None:
    text = resources.files("trustlive.aftersale").joinpath("policy.toml").read_text("utf-8")
    lines = text.splitlines()
    settings = [i for i, ln in enumerate(lines) if re.match(r"^[a-z_]+ = ", ln)]
    for i in settings:
        if lines[i].startswith("version"):
            continue
        comments = []
        j = i - 1
        while j >= 0 and lines[j].startswith("#"):
            comments.append(lines[j])
            j -= 1
        assert any("source:" in c for c in comments), lines[i]
    assert POLICY.version == "2026-11-22.1"
    assert POLICY.instant_max_fen == 30000
    assert POLICY.seven_day_window == timedelta(hours=168)


def test_the_first_reply_clock() -> None:
    waiting = after_message(Sender.BUYER, None, T0)
    assert waiting.waiting_since == T0
    still = after_message(Sender.BUYER, T0, T0 + timedelta(minutes=1))
    assert still.waiting_since == T0  # the wait starts at the first unanswered message
    reply = after_message(Sender.SHOP, T0, T0 + timedelta(minutes=3))
    assert (reply.waiting_since, reply.first_reply_seconds) == (None, 180)
    again = after_message(Sender.SHOP, None, T0 + timedelta(minutes=4))
    assert again.first_reply_seconds is None
