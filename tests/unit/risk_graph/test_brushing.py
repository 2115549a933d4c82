"""Brushing rule layer: exact against the rule read literally; windows and suspects."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from trustlive.risk.graph import Order, detect_brushing
from trustlive.risk.graph.evaluation import brushing_by_definition, suspect_pairs
from trustlive.risk.graph.policy import BrushingRule
from trustlive.risk.graph.synthetic import OrderWorld, orders_world

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RULE = BrushingRule(window_seconds=3600, min_concentration=3.0)


def _orders(*rows: tuple[int, int]) -> list[Order]:
    """(buyer, minutes after T0) at shop 1."""
    return [Order(i, 1, b, T0 + timedelta(minutes=m)) for i, (b, m) in enumerate(rows, 1)]


def test_three_orders_of_one_buyer_in_an_hour_flag_that_buyer() -> None:
    orders = _orders((7, 0), (7, 20), (7, 59), (8, 200))
    [period] = detect_brushing(orders, RULE, T0 + timedelta(days=1))
    assert (period.shop_id, period.orders, period.buyers) == (1, 3, 1)
    assert period.suspects == frozenset({7})
    assert period.suspect_order_ids == frozenset({1, 2, 3})


def test_orders_spread_over_more_than_an_hour_are_not_flagged() -> None:
    orders = _orders((7, 0), (7, 31), (7, 62))
    assert detect_brushing(orders, RULE, T0 + timedelta(days=1)) == []


def test_the_window_is_closed_an_hour_apart_counts() -> None:
    orders = _orders((7, 0), (7, 30), (7, 60))
    [period] = detect_brushing(orders, RULE, T0 + timedelta(days=1))
    assert period.orders == 3


def test_a_sub_window_can_flag_when_the_full_window_does_not() -> None:
    # 6 orders by buyers 1 and 2 in the first 50 minutes (rate 3), then 3 new buyers at minute 55:
    # the window holding everything has rate 9/5 < 3, the one before minute 55 has 6/2 = 3.
    orders = _orders((1, 0), (1, 10), (1, 20), (2, 30), (2, 40), (2, 50), (3, 55), (4, 55), (5, 55))
    [period] = detect_brushing(orders, RULE, T0 + timedelta(days=1))
    assert period.suspects == frozenset({1, 2})
    assert period.orders == 6


def test_orders_after_now_are_not_seen() -> None:
    orders = _orders((7, 0), (7, 20), (7, 40))
    assert detect_brushing(orders, RULE, T0 + timedelta(minutes=30)) == []


def test_sweep_equals_the_rule_read_literally_on_generated_shops() -> None:
    world = OrderWorld(
        shops=15, days=2, buyers=400, orders_per_shop_day=40.0, flash_sales=4, brushing_episodes=10
    )
    for seed in range(3):
        orders, _ = orders_world(random.Random(seed), world, T0)
        found = suspect_pairs(detect_brushing(orders, RULE, T0 + timedelta(days=3)))
        truth = brushing_by_definition(orders, RULE)
        assert truth  # the worlds do contain brushing
        assert found == truth
