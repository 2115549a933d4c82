"""Live rules without a database: badges, comment pacing, flash-sale windows and terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustlive.kernel.errors import Problem
from trustlive.live.domain import (
    Badge,
    CommentPolicy,
    FlashPolicy,
    FlashWindow,
    check_flash_terms,
    regular_badge,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("orders", "level"), [(0, None), (1, 1), (2, 1), (3, 2), (9, 2), (10, 3), (50, 3)]
)
def test_badge_level_follows_paid_orders_in_the_room(orders: int, level: int | None) -> None:
    badge = regular_badge(paid_orders=orders, following_since=None, now=NOW)
    assert (badge.level if badge else None) == level


def test_a_fan_of_thirty_days_is_a_regular_but_not_one_of_twenty_nine() -> None:
    assert regular_badge(paid_orders=0, following_since=NOW - timedelta(days=30), now=NOW) == Badge(
        1, "老粉"
    )
    assert regular_badge(paid_orders=0, following_since=NOW - timedelta(days=29), now=NOW) is None


def test_comment_policy_gap_and_per_minute() -> None:
    policy = CommentPolicy()
    policy.check([], NOW)
    policy.check([NOW - timedelta(seconds=2)], NOW)
    with pytest.raises(Problem) as gap:
        policy.check([NOW - timedelta(seconds=1)], NOW)
    assert gap.value.status == 429
    ten = [NOW - timedelta(seconds=3 + 5 * i) for i in range(10)]
    with pytest.raises(Problem):
        policy.check(ten, NOW)
    policy.check(ten[:9], NOW)


def test_flash_window_is_half_open_and_closed_sales_are_off() -> None:
    window = FlashWindow(NOW, NOW + timedelta(minutes=5), None)
    assert not window.is_active(NOW - timedelta(seconds=1))
    assert window.is_active(NOW)
    assert not window.is_active(NOW + timedelta(minutes=5))
    assert not FlashWindow(NOW, NOW + timedelta(minutes=5), NOW).is_active(NOW)


@pytest.mark.parametrize(
    ("quantity", "limit", "minutes"), [(5, 6, 5), (5, 1, 0), (5, 1, 60 * 25), (0, 0, 5)]
)
def test_flash_terms_refused(quantity: int, limit: int, minutes: int) -> None:
    with pytest.raises(Problem):
        check_flash_terms(
            price_fen=100,
            quantity=quantity,
            per_buyer_limit=limit,
            starts_at=NOW,
            ends_at=NOW + timedelta(minutes=minutes),
            now=NOW,
        )


@pytest.mark.parametrize(
    ("starts_in", "lasts", "field"),
    [
        (timedelta(hours=24, seconds=1), timedelta(minutes=5), "starts_at"),
        (timedelta(days=365 * 7000), timedelta(minutes=5), "starts_at"),
        (timedelta(0), timedelta(hours=24, seconds=1), "ends_at"),
        (-timedelta(hours=2), timedelta(hours=1), "ends_at"),
    ],
)
def test_flash_windows_are_bounded_by_the_policy(
    starts_in: timedelta, lasts: timedelta, field: str
) -> None:
    with pytest.raises(Problem) as refused:
        check_flash_terms(
            price_fen=100,
            quantity=5,
            per_buyer_limit=1,
            starts_at=NOW + starts_in,
            ends_at=NOW + starts_in + lasts,
            now=NOW,
            policy=FlashPolicy(),
        )
    assert refused.value.status == 422
    assert refused.value.extensions == {"field": field}


def test_a_flash_sale_may_start_a_full_lead_ahead_and_run_the_longest_length() -> None:
    policy = FlashPolicy()
    check_flash_terms(
        price_fen=100,
        quantity=5,
        per_buyer_limit=1,
        starts_at=NOW + policy.max_lead,
        ends_at=NOW + policy.max_lead + policy.max_length,
        now=NOW,
        policy=policy,
    )
