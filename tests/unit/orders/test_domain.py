"""The order state machine and order arithmetic, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustlive.kernel.errors import Conflict, Forbidden, Problem
from trustlive.orders.domain import (
    MAX_QUANTITY,
    TRANSITIONS,
    Actor,
    OrderAction,
    OrderPolicy,
    OrderStatus,
    allowed_actions,
    check_reveal_allowed,
    mask_address,
    mask_phone,
    merge_quantities,
    next_status,
)

S, A = OrderStatus, OrderAction


def test_the_happy_path_runs_through_every_status() -> None:
    path = [
        (A.PAY, Actor.PAYMENT),
        (A.SHIP, Actor.MERCHANT),
        (A.CONFIRM_RECEIPT, Actor.BUYER),
        (A.COMPLETE, Actor.SYSTEM),
    ]
    status = S.PENDING_PAYMENT
    seen = [status]
    for action, actor in path:
        status = next_status(status, action, actor)
        seen.append(status)
    assert seen == [S.PENDING_PAYMENT, S.PAID, S.SHIPPED, S.RECEIVED, S.COMPLETED]


@given(st.sampled_from(list(S)), st.sampled_from(list(A)), st.sampled_from(list(Actor)))
def test_only_defined_transitions_by_allowed_actors_succeed(
    status: OrderStatus, action: OrderAction, actor: Actor
) -> None:
    rule = TRANSITIONS.get((status, action))
    if rule is None:
        with pytest.raises(Conflict) as err:
            next_status(status, action, actor)
        assert err.value.status == 409
        assert err.value.extensions["current_status"] == status.value
    elif actor not in rule.actors:
        with pytest.raises(Forbidden):
            next_status(status, action, actor)
    else:
        assert next_status(status, action, actor) == rule.to


def test_terminal_statuses_have_no_way_out() -> None:
    for terminal in (S.COMPLETED, S.CANCELLED, S.CLOSED):
        assert all(allowed_actions(terminal, actor) == [] for actor in Actor)


def test_buyers_may_not_pay_directly_only_a_verified_notification_may() -> None:
    with pytest.raises(Forbidden):
        next_status(S.PENDING_PAYMENT, A.PAY, Actor.BUYER)


def test_after_payment_only_the_merchant_moves_the_order_until_shipment() -> None:
    assert allowed_actions(S.PAID, Actor.BUYER) == []
    assert allowed_actions(S.PAID, Actor.MERCHANT) == [A.SHIP]


def test_deadlines_follow_the_policy() -> None:
    policy = OrderPolicy(timedelta(minutes=15), timedelta(days=10), timedelta(days=7))
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.pay_deadline(t) == datetime(2026, 1, 1, 0, 15, tzinfo=UTC)
    assert policy.auto_receive_at(t) == datetime(2026, 1, 11, tzinfo=UTC)
    assert policy.completes_at(t) == datetime(2026, 1, 8, tzinfo=UTC)


def test_repeated_skus_are_merged() -> None:
    assert merge_quantities([(1, 2), (2, 1), (1, 3)]) == {1: 5, 2: 1}


@pytest.mark.parametrize(
    "lines", [[], [(1, 0)], [(1, -2)], [(1, MAX_QUANTITY), (1, 1)], [(i, 1) for i in range(21)]]
)
def test_bad_line_sets_are_refused(lines: list[tuple[int, int]]) -> None:
    with pytest.raises(Problem):
        merge_quantities(lines)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 50)), min_size=1, max_size=20))
def test_merging_keeps_every_unit(lines: list[tuple[int, int]]) -> None:
    merged = merge_quantities(lines)
    assert sum(merged.values()) == sum(q for _, q in lines)


def test_only_after_sales_closes_a_paid_unshipped_order() -> None:
    assert next_status(S.PAID, A.CLOSE, Actor.SYSTEM) == S.CLOSED
    for actor in (Actor.BUYER, Actor.MERCHANT, Actor.PAYMENT):
        with pytest.raises(Forbidden):
            next_status(S.PAID, A.CLOSE, actor)
    with pytest.raises(Conflict):
        next_status(S.SHIPPED, A.CLOSE, Actor.SYSTEM)


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "861****5678"),
        ("1234567", "****"),
        ("", "****"),
    ],
)
def test_phones_are_masked_like_the_big_platforms(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown


def test_an_address_keeps_its_region_and_masks_the_rest() -> None:
    address = {
        "recipient": "欧阳娜娜",
        "phone": "13912345678",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "detail": "科技园南路 1 号 2 栋 301",
    }
    assert mask_address(address) == {
        "recipient": "欧*",
        "phone": "139****5678",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "detail": "****",
    }
    assert address["detail"] == "科技园南路 1 号 2 栋 301"  # the stored one is untouched


def test_reveals_stop_at_the_daily_limit() -> None:
    check_reveal_allowed(used_today=1, per_day=2)
    with pytest.raises(Problem) as refused:
        check_reveal_allowed(used_today=2, per_day=2)
    assert refused.value.status == 429
