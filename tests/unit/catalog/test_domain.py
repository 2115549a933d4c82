"""Catalog rules without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustlive.catalog.domain import (
    CATEGORIES,
    TRANSITIONS,
    Availability,
    ProductStatus,
    check_category,
    check_listable,
    check_transition,
    shown_stock,
    stock_after,
)
from trustlive.catalog.policy import load_policy
from trustlive.kernel.errors import Conflict, Problem


@given(st.integers(0, 10**6), st.integers(-(10**6), 10**6))
def test_stock_never_goes_negative(current: int, delta: int) -> None:
    if current + delta < 0:
        with pytest.raises(Conflict):
            stock_after(current, delta)
    else:
        assert stock_after(current, delta) == current + delta


@pytest.mark.parametrize("current", list(ProductStatus))
@pytest.mark.parametrize("target", list(ProductStatus))
def test_only_defined_status_changes_pass(current: ProductStatus, target: ProductStatus) -> None:
    if (current, target) in TRANSITIONS:
        check_transition(current, target)
    else:
        with pytest.raises(Conflict):
            check_transition(current, target)


def test_nothing_returns_to_draft() -> None:
    assert all(target != ProductStatus.DRAFT for _, target in TRANSITIONS)


def test_a_product_needs_a_sku_and_an_image_to_be_listed() -> None:
    check_listable(sku_count=1, image_count=1)
    for skus, images in ((0, 1), (1, 0)):
        with pytest.raises(Conflict):
            check_listable(sku_count=skus, image_count=images)


def test_perishables_and_custom_goods_are_outside_seven_day_returns() -> None:
    excluded = {code for code, c in CATEGORIES.items() if not c.seven_day_return}
    assert {"fresh_food", "custom_made", "virtual"} <= excluded
    assert check_category("apparel").seven_day_return
    with pytest.raises(Problem):
        check_category("weapons")


@pytest.mark.parametrize(
    ("stock", "availability", "only_left"),
    [
        (999961, Availability.IN_STOCK, None),
        (10, Availability.IN_STOCK, None),
        (9, Availability.FEW_LEFT, 9),
        (1, Availability.FEW_LEFT, 1),
        (0, Availability.SOLD_OUT, None),
    ],
)
def test_buyers_are_told_in_stock_or_how_few_are_left_never_a_big_count(
    stock: int, availability: Availability, only_left: int | None
) -> None:
    shown = shown_stock(stock, few_left_below=10)
    assert (shown.availability, shown.only_left) == (availability, only_left)


def test_the_few_left_threshold_comes_from_the_policy_file() -> None:
    policy = load_policy()
    assert policy.few_left_below == 10
    assert policy.stock_for_buyers(9).only_left == 9
