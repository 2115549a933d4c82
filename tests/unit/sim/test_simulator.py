"""The simulator without a platform: traits, the follow graph, decisions, and determinism."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

from trustlive.sim import behaviour, traits, world
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.run import SimConfig, simulate
from trustlive.sim.truth import TruthLog

SMALL = SimConfig(days=3, buyers=200, shops=10, seed=7)


async def _run(config: SimConfig) -> tuple[dict[str, int], list[str], dict[str, int]]:
    driver, truth = DryDriver(), TruthLog()
    summary = await simulate(driver, config, truth)
    return summary.as_dict(), truth.lines(), driver.calls


async def test_the_same_seed_gives_the_same_summary_truth_and_actions() -> None:
    first, second = await _run(SMALL), await _run(SMALL)
    assert first == second
    assert first[0]["orders_placed"] > 0
    assert first[0]["orders_placed"] == first[2]["place_order"]


async def test_another_seed_gives_another_market() -> None:
    one = await _run(SMALL)
    other = await _run(SimConfig(days=3, buyers=200, shops=10, seed=8))
    assert one[1] != other[1]


def test_traits_come_from_the_seed_alone() -> None:
    a = traits.generate(3, buyers=50, shops=8)
    random.seed(999)  # the global generator is never used
    b = traits.generate(3, buyers=50, shops=8)
    assert a == b
    assert len({m.shop_name for m in a.merchants}) == 8
    ring = a.rings[0]
    assert all(a.buyers[i].fake and a.buyers[i].ring == ring.index for i in ring.members)
    gang_addresses = {a.buyers[i].address for i in a.gangs[0].members}
    assert len(gang_addresses) == 1


def test_room_popularity_is_heavy_tailed() -> None:
    population = traits.generate(7, buyers=3000, shops=60)
    fans = Counter(shop for _, shop in world.build(population, 7).shop_follows)
    sizes = sorted(fans.values(), reverse=True)
    top_tenth = sum(sizes[: len(sizes) // 10])
    assert top_tenth > sum(sizes) * 0.35  # a tenth of the rooms hold over a third of the fans
    assert sizes[0] > 10 * sizes[len(sizes) // 2]


def test_buyers_follow_each_other_and_some_follow_back() -> None:
    graph = world.build(traits.generate(7, buyers=500, shops=10), 7)
    edges = set(graph.buyer_follows)
    mutual = sum(1 for a, b in edges if a < b and (b, a) in edges)
    assert mutual > 20
    assert all(a != b for a, b in edges)


def test_trust_falls_faster_than_it_grows() -> None:
    assert behaviour.trust_after(0.5, 0.9) == 0.575
    assert behaviour.trust_after(0.5, 0.1) == 0.2
    assert behaviour.trust_after(0.5, 0.5) == 0.45


def test_buying_grows_with_trust_and_fit_and_falls_with_price() -> None:
    population = traits.generate(1, buyers=1, shops=1)
    buyer, merchant = population.buyers[0], population.merchants[0]
    plan = merchant.products[0]
    low = behaviour.purchase_probability(buyer, merchant, plan, trust=0.1)
    high = behaviour.purchase_probability(buyer, merchant, plan, trust=0.9)
    assert low < high
    dear = traits.ProductPlan(plan.title, plan.price_fen * 20, counterfeit=False)
    assert behaviour.purchase_probability(buyer, merchant, dear, trust=0.9) <= high


def test_counterfeits_disappoint_and_disappointed_buyers_ask_for_after_sales() -> None:
    merchant = traits.generate(2, buyers=1, shops=1).merchants[0]
    real = traits.ProductPlan("a", 1000, counterfeit=False)
    fake = traits.ProductPlan("a", 1000, counterfeit=True)
    rng_a, rng_b = random.Random(1), random.Random(1)
    assert behaviour.received_quality(rng_a, merchant, fake) < behaviour.received_quality(
        rng_b, merchant, real
    )
    buyer = traits.generate(2, buyers=1, shops=1).buyers[0]
    asks = sum(behaviour.wants_aftersale(random.Random(i), buyer, 0.1) for i in range(200))
    assert 100 < asks < 200
    assert not any(behaviour.wants_aftersale(random.Random(i), buyer, 0.8) for i in range(50))


async def test_brushing_orders_are_five_star_and_recorded_as_such_in_the_truth() -> None:
    driver, truth = DryDriver(), TruthLog()
    summary = await simulate(driver, SimConfig(days=8, buyers=100, shops=4, seed=5), truth)
    brushed = [r for r in truth.records if r["kind"] == "order" and r["brushing"]]
    assert len(brushed) == summary.brushing_orders > 0
    ring = next(r for r in truth.records if r["kind"] == "brushing_ring")
    assert {r["shop_name"] for r in brushed} == {ring["shop_name"]}
    assert {r["buyer"] for r in brushed} <= set(ring["members"])


async def test_every_broadcast_is_a_session_that_opens_once_and_ends_once() -> None:
    driver, truth = DryDriver(), TruthLog()
    summary = await simulate(driver, SimConfig(days=3, buyers=300, shops=12, seed=4), truth)
    assert summary.sessions_held == driver.calls["start_session"] > 0
    # every broadcast ends within its day, so only none are left open at the end of a whole day
    assert driver.calls["end_session"] == summary.sessions_held
    assert driver.calls["admit_viewers"] == summary.live_session_hours
    assert 0 < summary.room_orders < summary.orders_placed  # brushing orders are not placed live
    assert driver.calls.get("comment", 0) == summary.comments


async def test_bad_parcels_become_after_sales_named_by_what_went_wrong() -> None:
    driver, truth = DryDriver(), TruthLog()
    summary = await simulate(driver, SimConfig(days=12, buyers=1500, shops=30, seed=7), truth)
    assert summary.aftersale_requested == driver.calls["request_aftersale"] > 0
    assert summary.aftersale_accepted == driver.calls["accept_aftersale"] > 0
    assert summary.aftersale_rejected == driver.calls["reject_aftersale"] > 0
    assert summary.disputes_opened == driver.calls["escalate"] > 0
    assert summary.refunds_before_shipping > 0
    assert summary.aftersale_refunded > 0
    intents = [r for r in truth.records if r["kind"] == "aftersale_intent"]
    assert len(intents) == summary.aftersale_requested
    merchants = {r["shop_name"]: r for r in truth.records if r["kind"] == "merchant"}
    orders = {(r["buyer"], r["seq"]): r for r in truth.records if r["kind"] == "order"}
    reasons = Counter((r["reason"], orders[(r["buyer"], r["seq"])]["counterfeit"]) for r in intents)
    assert reasons[("counterfeit_suspected", True)] > 0
    assert reasons[("counterfeit_suspected", False)] == 0  # a buyer names a fake only for a fake
    late = [r for r in intents if r["reason"] == "late_shipping"]
    assert {r["request_kind"] for r in late} == {"refund_only"}
    misdescribed = [r for r in intents if r["reason"] == "not_as_described"]
    assert misdescribed
    assert all(
        merchants[orders[(r["buyer"], r["seq"])]["shop_name"]]["misdescribes"] for r in misdescribed
    )


def test_honest_merchants_accept_complaints_and_dishonest_ones_refuse() -> None:
    merchant = traits.generate(2, buyers=1, shops=1).merchants[0]
    honest, crook = replace(merchant, honesty=0.9), replace(merchant, honesty=0.3)
    assert all(behaviour.merchant_accepts(random.Random(i), honest) for i in range(50))
    assert not any(behaviour.merchant_accepts(random.Random(i), crook) for i in range(50))
    assert behaviour.trust_after_claim(0.5, made_good=True) > 0.5
    assert behaviour.trust_after_claim(0.5, made_good=False) == 0.25
