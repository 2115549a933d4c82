"""Shelf rules: the gate, the seller cap, Thompson exploration, staged pools, the paced boost."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from trustlive.shelf import domain
from trustlive.shelf.domain import Candidate, Evidence
from trustlive.shelf.policy import load_policy

POLICY = load_policy()
NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def _candidates(
    n: int, *, shop: int, tier: str | None = "basic", start: int = 0
) -> list[Candidate]:
    return [
        Candidate(item_id=start + i, kind="product", shop_id=shop + i, relevance=1.0, tier=tier)
        for i in range(n)
    ]


def test_below_gate_sellers_get_at_most_their_share_of_slots() -> None:
    rng = random.Random(7)
    # the gated items are better on every other count: only the gate holds them back
    gated = [replace(c, traffic_weight=5.0) for c in _candidates(50, shop=1000, tier="restricted")]
    pool = _candidates(50, shop=0, start=500) + gated
    shown: Counter[bool] = Counter()
    for _ in range(2000):
        for c in domain.arrange(pool, 20, POLICY, rng):
            shown[domain.below_gate(c, POLICY)] += 1
    share = shown[True] / (shown[True] + shown[False])
    assert 0 < share <= POLICY.below_gate_share * 1.15  # 1 % by policy, sampling noise over 40k


def test_greedy_never_shows_a_gated_item_while_others_remain_but_search_closes_with_them() -> None:
    pool = _candidates(3, shop=0) + _candidates(2, shop=100, tier="restricted", start=10)
    page = domain.arrange(pool, 10, POLICY, None)
    assert [c.item_id for c in page] == [0, 1, 2]
    page = domain.arrange(pool, 10, POLICY, None, gated_fill=True)
    assert [c.item_id for c in page] == [0, 1, 2, 10, 11]


def test_no_seller_holds_more_than_its_share_of_a_page() -> None:
    one_shop = [replace(c, shop_id=1, traffic_weight=2.0) for c in _candidates(30, shop=0)]
    others = _candidates(30, shop=100, start=100)
    page = domain.arrange(one_shop + others, 20, POLICY, random.Random(1))
    per_shop = Counter(c.shop_id for c in page)
    assert per_shop[1] == domain.seller_cap(20, POLICY) == 5
    assert len(page) == 20
    unlimited = domain.arrange(one_shop + others, 20, POLICY, None, cap_sellers=False)
    assert Counter(c.shop_id for c in unlimited)[1] == 20


def test_an_unknown_item_explores_around_one_and_greedy_uses_the_posterior_mean() -> None:
    rng = random.Random(3)
    draws = [domain.exploration_factor(Evidence(), POLICY, rng) for _ in range(20000)]
    assert sum(draws) / len(draws) == pytest.approx(1.0, abs=0.03)
    assert max(draws) > 3  # wide: a new item sometimes outranks an established one
    assert domain.exploration_factor(Evidence(), POLICY, None) == pytest.approx(1.0)
    good = Evidence(impressions=1000, clicks=100, orders=20)
    assert domain.exploration_factor(good, POLICY, None) == pytest.approx(
        domain.mean_conversion(good, POLICY) / POLICY.prior_conversion
    )


def test_staged_pools_promote_on_evidence_and_stop_exploring_when_used_up() -> None:
    assert domain.pool_after(Evidence(impressions=99, clicks=50, orders=20), POLICY) == 0
    assert domain.pool_after(Evidence(impressions=100, clicks=20, orders=5), POLICY) == 1
    weak = Evidence(impressions=200, clicks=1, orders=0)
    assert domain.pool_after(weak, POLICY) == 0
    assert domain.pool_exhausted(weak, POLICY) is True
    assert domain.pool_exhausted(Evidence(impressions=199), POLICY) is False
    last = Evidence(impressions=20000, clicks=2000, orders=400, pool=2)
    assert domain.pool_after(last, POLICY) == 3
    assert domain.is_exploring(replace(last, pool=3), POLICY) is False


def test_a_product_is_new_for_a_buyer_who_has_not_bought_it_in_30_days() -> None:
    listed = NOW - timedelta(days=3)
    assert domain.is_new_for_buyer(listed_at=listed, last_bought_at=None, now=NOW, p=POLICY)
    recent = NOW - timedelta(days=29)
    assert not domain.is_new_for_buyer(listed_at=listed, last_bought_at=recent, now=NOW, p=POLICY)
    long_ago = NOW - timedelta(days=31)
    assert domain.is_new_for_buyer(listed_at=listed, last_bought_at=long_ago, now=NOW, p=POLICY)
    old = NOW - timedelta(days=31)
    assert not domain.is_new_for_buyer(listed_at=old, last_bought_at=None, now=NOW, p=POLICY)


def test_the_boost_is_paced_hour_by_hour_through_the_day() -> None:
    morning = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    assert domain.paced_allowance(morning, POLICY) == 21  # ceil(500 / 24)
    assert domain.paced_allowance(NOW, POLICY) == 271  # 13 hours begun
    assert domain.paced_allowance(datetime(2026, 3, 1, 23, 59, tzinfo=UTC), POLICY) == 500
    assert domain.new_product_boost(new=True, boosted_today=20, now=morning, p=POLICY) == 1.5
    assert domain.new_product_boost(new=True, boosted_today=21, now=morning, p=POLICY) == 1.0
    assert domain.new_product_boost(new=False, boosted_today=0, now=morning, p=POLICY) == 1.0


def test_propensities_are_one_for_a_deterministic_page() -> None:
    pool = _candidates(3, shop=0)
    page = domain.arrange(pool, 2, POLICY, None)
    placed = domain.with_propensities(
        page, lambda _r: domain.arrange(pool, 2, POLICY, None), POLICY, random.Random(1)
    )
    assert [(p.candidate.item_id, p.position, p.propensity) for p in placed] == [
        (0, 0, 1.0),
        (1, 1, 1.0),
    ]


def test_gini() -> None:
    assert domain.gini([1, 1, 1, 1]) == 0
    assert domain.gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert domain.gini([]) == 0
