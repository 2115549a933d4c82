"""Properties: honest bursts and loyal buyers are never flagged by any graph detector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trustlive.risk.graph import Order, detect_brushing, find_dense_blocks, load_policy

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
POLICY = load_policy()


@st.composite
def flash_sale(draw: st.DrawFn) -> list[Order]:
    """Many distinct buyers ordering once within one minute, one loyal buyer ordering twice."""
    buyers = draw(st.integers(min_value=1, max_value=400))
    seconds = draw(st.lists(st.integers(0, 59), min_size=buyers, max_size=buyers))
    orders = [Order(i, 1, 100 + i, T0 + timedelta(seconds=s)) for i, s in enumerate(seconds)]
    loyal_gap = draw(st.integers(min_value=0, max_value=3600))
    orders += [
        Order(10_000, 1, 7, T0),
        Order(10_001, 1, 7, T0 + timedelta(seconds=loyal_gap)),
    ]
    return orders


@given(flash_sale())
@settings(max_examples=60, deadline=None)
def test_flash_sale_with_a_loyal_buyer_is_never_brushing(orders: list[Order]) -> None:
    assert detect_brushing(orders, POLICY.brushing, T0 + timedelta(days=1)) == []


@given(flash_sale(), st.booleans())
@settings(max_examples=60, deadline=None)
def test_flash_sale_with_a_loyal_buyer_is_never_a_dense_block(
    orders: list[Order], by_product: bool
) -> None:
    # by shop: every buyer → shop 1; by product: the sale's product, the loyal buyer's two items
    edges = [(o.buyer_id, o.order_id % 2 if by_product else o.shop_id) for o in orders]
    assert find_dense_blocks(edges, POLICY.dense_blocks) == []
