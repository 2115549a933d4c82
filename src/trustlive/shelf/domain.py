"""Shelf rules: who gets exposure. Pure: data, `now` and a seeded `rng` in, decisions out.

score = relevance × the seller's traffic weight (trust tier) × exploration × new-product boost
- exploration: Thompson sampling on Beta posteriors of click-through and conversion, relative to
  the prior mean (an unknown item scores 1 on average); `greedy` uses the posterior mean instead.
- staged pools: an item explores in pool k until it has `pool_impressions[k]`; it is promoted when
  its evidence says it converts at least as well as an unknown item, else it stops exploring.
- the gate: sellers below it take a slot only with probability `below_gate_share`.
- no seller holds more than `max_seller_share` of one page.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from trustlive.shelf.policy import ShelfPolicy


@dataclass(frozen=True)
class Evidence:
    impressions: int = 0
    clicks: int = 0
    orders: int = 0
    pool: int = 0


@dataclass(frozen=True)
class Candidate:
    item_id: int
    kind: str  # product | room | shop
    shop_id: int | None
    relevance: float
    traffic_weight: float = 1.0
    tier: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    boost: float = 1.0  # the new-product plan's paced boost, 1.0 when none


@dataclass(frozen=True)
class Placed:
    candidate: Candidate
    position: int
    propensity: float
    section: str = ""


# --- exploration ---------------------------------------------------------------------------------


def posteriors(e: Evidence, policy: ShelfPolicy) -> tuple[float, float, float, float]:
    """Beta(a, b) of click-through and Beta(c, d) of conversion after the evidence."""
    a, b = policy.prior_ctr
    c, d = policy.prior_cvr
    clicks = min(e.clicks, e.impressions)
    orders = min(e.orders, clicks)
    return a + clicks, b + e.impressions - clicks, c + orders, d + clicks - orders


def mean_conversion(e: Evidence, policy: ShelfPolicy) -> float:
    a, b, c, d = posteriors(e, policy)
    return (a / (a + b)) * (c / (c + d))


def sampled_conversion(e: Evidence, policy: ShelfPolicy, rng: random.Random) -> float:
    a, b, c, d = posteriors(e, policy)
    return rng.betavariate(a, b) * rng.betavariate(c, d)


def is_exploring(e: Evidence, policy: ShelfPolicy) -> bool:
    """Still in a staged pool (a new shop or product), not past the last one."""
    return e.pool < len(policy.pool_impressions)


def pool_after(e: Evidence, policy: ShelfPolicy) -> int:
    """The pool an item belongs in given its evidence (promotion is one step at a time): judged
    after `pool_min_evidence` impressions, or after the whole last pool."""
    last = len(policy.pool_impressions)
    if e.pool >= last:
        return last
    judged_after = (
        policy.pool_impressions[-1] if e.pool == last - 1 else policy.pool_min_evidence[e.pool]
    )
    bar = policy.promote_above_mean * policy.prior_conversion
    earned = e.impressions >= judged_after and mean_conversion(e, policy) >= bar
    return e.pool + 1 if earned else e.pool


def pool_exhausted(e: Evidence, policy: ShelfPolicy) -> bool:
    """Used up its pool without earning promotion: no more exploration traffic."""
    return is_exploring(e, policy) and e.impressions >= policy.pool_impressions[e.pool]


def exploration_factor(e: Evidence, policy: ShelfPolicy, rng: random.Random | None) -> float:
    """Thompson draw (or the posterior mean when `rng` is None: greedy) over the prior mean.
    Items past the last pool have narrow posteriors; they use the mean, which saves the draws."""
    if rng is None or not is_exploring(e, policy):
        return mean_conversion(e, policy) / policy.prior_conversion
    return sampled_conversion(e, policy, rng) / policy.prior_conversion


def score(c: Candidate, policy: ShelfPolicy, rng: random.Random | None) -> float:
    return c.relevance * c.traffic_weight * exploration_factor(c.evidence, policy, rng) * c.boost


# --- a page --------------------------------------------------------------------------------------


def below_gate(c: Candidate, policy: ShelfPolicy) -> bool:
    return c.tier is not None and c.tier in policy.below_gate_tiers


def seller_cap(slots: int, policy: ShelfPolicy) -> int:
    return max(1, math.floor(policy.max_seller_share * slots))


def arrange(
    candidates: Sequence[Candidate],
    slots: int,
    policy: ShelfPolicy,
    rng: random.Random | None,
    *,
    gated_fill: bool = False,
    cap_sellers: bool = True,
    taken: Counter[int | None] | None = None,
) -> list[Candidate]:
    """Choose up to `slots` candidates in order: best score first, each seller at most its cap of
    the page, a below-gate seller's item only with probability `below_gate_share` per slot.
    `gated_fill` lets below-gate items close the list when nothing else is left and
    `cap_sellers=False` lifts the seller cap (search answers the buyer's own query). `taken`
    counts what each seller already holds on the page (a feed filled section by section)."""
    per_seller = taken if taken is not None else Counter()
    cap = seller_cap(slots if taken is None else policy.page_size, policy) if cap_sellers else slots
    ranked = sorted(candidates, key=lambda c: (-score(c, policy, rng), c.item_id))
    open_ = [c for c in ranked if not below_gate(c, policy)]
    gated = [c for c in ranked if below_gate(c, policy)]
    chosen: list[Candidate] = []

    def next_of(pool: list[Candidate]) -> Candidate | None:
        while pool:
            c = pool.pop(0)
            if c.shop_id is None or per_seller[c.shop_id] < cap:
                return c
        return None

    draw = rng.random if rng is not None else (lambda: 1.0)
    while len(chosen) < slots and (open_ or gated):
        pick = next_of(gated) if gated and draw() < policy.below_gate_share else None
        pick = pick or next_of(open_)
        if pick is None and gated_fill:
            pick = next_of(gated)
        if pick is None:
            break
        per_seller[pick.shop_id] += 1
        chosen.append(pick)
    return chosen


def with_propensities(
    realised: list[Candidate],
    redraw: Callable[[random.Random], list[Candidate]],
    policy: ShelfPolicy,
    rng: random.Random,
    *,
    section: str = "",
    start: int = 0,
) -> list[Placed]:
    """Each shown item's chance of being on the page under this policy, estimated by re-running
    the stochastic choice `propensity_draws` times (the realised page counts as one draw)."""
    seen: Counter[int] = Counter(c.item_id for c in realised)
    for _ in range(policy.propensity_draws):
        seen.update(c.item_id for c in redraw(random.Random(rng.random())))
    draws = policy.propensity_draws + 1
    return [
        Placed(c, start + i, round(seen[c.item_id] / draws, 4), section)
        for i, c in enumerate(realised)
    ]


# --- the new-product plan --------------------------------------------------------------------


def is_new_for_buyer(
    *, listed_at: datetime | None, last_bought_at: datetime | None, now: datetime, p: ShelfPolicy
) -> bool:
    """In the launch window (上新) and not bought by this buyer within `new_for_buyer_days`."""
    if listed_at is None or now - listed_at > timedelta(days=p.launch_days):
        return False
    return last_bought_at is None or now - last_bought_at > timedelta(days=p.new_for_buyer_days)


def paced_allowance(now: datetime, policy: ShelfPolicy) -> int:
    """Boosted impressions a product may have had by `now` today: the daily budget spread evenly
    over `pace_hours`, released hour by hour, so the budget cannot run out in the morning."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    hours_begun = math.floor((now - midnight).total_seconds() / 3600) + 1
    share = min(1.0, hours_begun / policy.pace_hours)
    return math.ceil(policy.daily_boosted_impressions * share)


def new_product_boost(*, new: bool, boosted_today: int, now: datetime, p: ShelfPolicy) -> float:
    return p.new_product_boost if new and boosted_today < paced_allowance(now, p) else 1.0


# --- measures ------------------------------------------------------------------------------------


def gini(values: Sequence[float]) -> float:
    """0 when every seller has the same exposure, towards 1 when one has it all."""
    xs = sorted(v for v in values if v >= 0)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n
