"""Every analytics definition against a small world computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from trustlive.analytics import domain
from trustlive.analytics.domain import Bin, NewVsReturning, PaidOrder, SessionStats, Span, Window

NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
A, B, C, D = 1, 2, 3, 4  # buyers
SHOP = 100


def paid(
    order_id: int, buyer: int, fen: int, at: datetime, session: int | None = None
) -> PaidOrder:
    return PaidOrder(order_id, buyer, SHOP, fen, at, session)


# A buys three times, B twice, C once: 6 orders, 3 buyers, 2 of them repurchased.
ORDERS = [
    paid(1, A, 1000, NOW - timedelta(hours=1), session=7),
    paid(2, A, 2000, NOW - timedelta(days=1)),
    paid(3, A, 3000, NOW - timedelta(days=2), session=7),
    paid(4, B, 500, NOW - timedelta(hours=2), session=8),
    paid(5, B, 1500, NOW - timedelta(days=3)),
    paid(6, C, 999, NOW - timedelta(hours=3), session=7),
]


def test_a_window_starts_at_midnight_utc_of_its_first_day_and_ends_now() -> None:
    end = NOW + timedelta(microseconds=1)  # now itself is in the window
    assert domain.window_span(Window.DAY, NOW) == Span(datetime(2026, 3, 10, tzinfo=UTC), end)
    assert domain.window_span(Window.WEEK, NOW).start == datetime(2026, 3, 4, tzinfo=UTC)
    assert domain.window_span(Window.MONTH, NOW).start == datetime(2026, 2, 9, tzinfo=UTC)


def test_buckets_are_hours_for_a_day_and_days_otherwise_the_last_one_ending_now() -> None:
    hours = domain.buckets(Window.DAY, NOW)
    assert len(hours) == 16
    assert hours[0] == Span(datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 10, 1, tzinfo=UTC))
    assert hours[-1] == Span(datetime(2026, 3, 10, 15, tzinfo=UTC), NOW + timedelta(microseconds=1))
    days = domain.buckets(Window.WEEK, NOW)
    assert [d.start.day for d in days] == [4, 5, 6, 7, 8, 9, 10]
    assert days[-1].end == NOW + timedelta(microseconds=1)


def test_gmv_orders_buyers_and_average_order_value() -> None:
    assert domain.gmv(ORDERS) == 8999
    assert domain.paid_orders(ORDERS) == 6
    assert domain.buyers(ORDERS) == {A, B, C}
    assert domain.aov(ORDERS) == 1499  # 8999 // 6
    assert domain.aov([]) is None


def test_repurchase_rate_is_buyers_with_two_or_more_orders_over_buyers() -> None:
    assert domain.repurchase_rate(ORDERS) == 6666  # 2 of 3, rounded down
    assert domain.repurchase_rate(ORDERS[:1]) == 0
    assert domain.repurchase_rate([]) is None


def test_fan_repurchase_counts_only_buyers_who_follow_the_seller() -> None:
    assert (
        domain.fan_repurchase_rate(ORDERS, fans={A, C, D}) == 5000
    )  # A yes, C no; D bought nothing
    assert domain.fan_repurchase_rate(ORDERS, fans={B}) == 10_000
    assert domain.fan_repurchase_rate(ORDERS, fans={D}) is None


def test_new_versus_returning_depends_on_orders_before_the_window() -> None:
    assert domain.new_vs_returning({A, B, C}, bought_before={B, D}) == NewVsReturning(2, 1)
    assert domain.new_vs_returning(set(), bought_before={B}) == NewVsReturning(0, 0)


def test_in_span_keeps_the_start_and_drops_the_end() -> None:
    span = Span(NOW - timedelta(days=1), NOW - timedelta(hours=1))
    assert [o.order_id for o in domain.in_span(ORDERS, span)] == [2, 4, 6]


def test_rates_over_nothing_are_none_and_round_down() -> None:
    assert domain.conversion(viewers=300, buyers_count=7) == 233
    assert domain.conversion(viewers=0, buyers_count=0) is None
    assert domain.refund_rate(refunded_orders=1, paid_orders_count=3) == 3333
    assert domain.dispute_rate(disputed_orders=0, paid_orders_count=0) is None


def test_monthly_active_buyers_counts_the_30_days_before_now() -> None:
    rows = [
        paid(1, A, 1, NOW - timedelta(days=30)),  # exactly 30 days: in
        paid(2, B, 1, NOW - timedelta(days=30, seconds=1)),  # just before: out
        paid(3, C, 1, NOW - timedelta(days=1)),
        paid(4, C, 1, NOW - timedelta(days=2)),
        paid(5, D, 1, NOW),  # at now: in
        paid(6, D, 1, NOW + timedelta(seconds=1)),  # after now: out
    ]
    assert domain.monthly_active_buyers(rows, NOW) == 3


def test_mutual_follow_pairs_count_each_pair_once() -> None:
    edges = [(1, 2), (2, 1), (1, 3), (3, 4), (4, 3), (4, 3), (5, 6)]
    assert domain.mutual_follow_pairs(edges) == 2
    assert domain.mutual_follow_pairs([]) == 0


def test_session_stats_group_orders_by_live_session() -> None:
    assert domain.session_stats(ORDERS) == [
        SessionStats(7, 4999, 3, 2, None, None),
        SessionStats(8, 500, 1, 1, None, None),
    ]
    with_viewers = domain.session_stats(ORDERS, viewers={7: 40})
    assert (with_viewers[0].viewers, with_viewers[0].conversion_bp) == (40, 500)
    assert (with_viewers[1].viewers, with_viewers[1].conversion_bp) == (0, None)


def test_histogram_bins_scores_and_keeps_the_top_value_in_the_last_bin() -> None:
    assert domain.histogram([0, 19, 20, 99, 100, 101, -1], low=0, high=100, width=20) == [
        Bin(0, 20, 2),
        Bin(20, 40, 1),
        Bin(40, 60, 0),
        Bin(60, 80, 0),
        Bin(80, 100, 2),
    ]


def test_sessions_with_viewers_are_listed_even_when_they_sold_nothing() -> None:
    # session 7: buyers A and C over 40 viewers = 500 bp; 8: B over 3 = 3333; 9: no sale, 12 seen
    stats = domain.session_stats(ORDERS, viewers={7: 40, 8: 3, 9: 12})
    assert stats == [
        SessionStats(7, 4999, 3, 2, 40, 500),
        SessionStats(8, 500, 1, 1, 3, 3333),
        SessionStats(9, 0, 0, 0, 12, 0),
    ]


def test_room_conversion_is_distinct_room_buyers_over_the_sessions_viewers() -> None:
    # sessions 7 and 8: buyers A, C (7) and B (8) = 3 over 40 + 20 viewers = 500 bp
    assert domain.room_conversion(ORDERS, {7: 40, 8: 20}) == 500
    # only session 8 counted: B over 20 viewers; A's and C's session-7 orders do not count
    assert domain.room_conversion(ORDERS, {8: 20}) == 500
    assert domain.room_conversion(ORDERS, {9: 7}) == 0  # watched, nobody bought
    assert domain.room_conversion(ORDERS, {}) is None  # no session: nothing to convert


def test_refund_and_dispute_rates_are_over_the_windows_paid_orders() -> None:
    assert domain.refund_rate(2, 6) == 3333  # two of six paid orders refunded
    assert domain.dispute_rate(1, 6) == 1666
    assert domain.refund_rate(0, 0) is None


def test_shop_scores_fall_into_half_point_bins_with_five_in_the_last() -> None:
    scores = [Decimal("4.87"), Decimal("5.00"), Decimal("4.50"), Decimal("4.49"), Decimal("0.00")]
    bins = domain.score_distribution(scores)
    assert [(b.low, b.high) for b in bins] == [(x, x + 50) for x in range(0, 500, 50)]
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 0, 0, 0, 1, 3]
