"""Does trust-weighted exposure beat GMV-only, and does exploration beat greedy? Measured on a
generated market with hidden merit, driving the shelf's own ranking rules (shelf.domain).

Every shop has a hidden quality (refunds, complaints, whether a buyer comes back) and a hidden
appeal (how often its products are clicked and bought). The trust tier a shop holds comes from a
noisy reading of its quality, in the trust policy's tier shares and traffic weights. Buyers see a
feed page a day: followed shops first (a satisfied buyer follows the shop), then the rest, ranked
by the policy under test; they click by appeal and position, buy, and some orders are refunded.
New shops open on `new_shops_day`, with no evidence and no tier.

Two shapes: `independent` (appeal unrelated to quality) and `hype` (the worst shops have the
most appeal: they over-promise, which GMV rewards and refunds punish).

Policies, on the same seed:
- trust: relevance × price × traffic weight × Thompson conversion, gate and seller cap
- gmv: relevance × price × Thompson conversion; no trust weight, no gate (a GMV-maximiser)
- greedy: as trust but the posterior mean instead of a Thompson draw
- oracle: the true good GMV per impression (the regret baseline)
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from trustlive.shelf import domain
from trustlive.shelf.domain import Candidate, Evidence
from trustlive.shelf.policy import ShelfPolicy

SHAPES = ("independent", "hype")
POLICIES = ("trust", "gmv", "greedy", "oracle")
CATEGORIES = 8
POSITION_DECAY = 0.92  # attention falls by position on a phone feed (chosen)


@dataclass(frozen=True)
class Config:
    shape: str
    seed: int = 1
    shops: int = 200
    products_per_shop: int = 5
    buyers: int = 400
    days: int = 30
    page: int = 20
    candidates: int = 120
    new_shops: float = 0.2  # share of shops that open on `new_shops_day`
    new_shops_day: int = 5


@dataclass(frozen=True)
class Shop:
    shop_id: int
    quality: float  # 0–1: refund and complaint rates fall with it
    appeal: float  # multiplies click-through and conversion
    tier: str | None
    weight: float
    opens_on: int

    @property
    def refund_rate(self) -> float:
        return 0.02 + 0.6 * (1 - self.quality) ** 2  # q = 0.3: 31 %, q = 0.9: 2.6 %

    @property
    def complaint_rate(self) -> float:
        return 0.3 * self.refund_rate


@dataclass(frozen=True)
class Product:
    product_id: int
    shop: Shop
    category: int
    price_fen: int
    ctr: float
    cvr: float

    @property
    def good_gmv_per_impression(self) -> float:
        return self.ctr * self.cvr * self.price_fen * (1 - self.shop.refund_rate)


@dataclass
class Outcome:
    policy: str
    impressions: Counter[int] = field(default_factory=Counter)  # per shop
    daily: dict[int, Counter[int]] = field(default_factory=dict)  # day → shop → impressions
    orders: int = 0
    gmv: int = 0
    refunded_gmv: int = 0
    refunds: int = 0
    complaints: int = 0
    repeat_orders: int = 0
    below_gate: int = 0

    @property
    def good_gmv(self) -> int:
        return self.gmv - self.refunded_gmv


def _tiers(
    shops: list[tuple[int, float]], tiers: list[tuple[str, float, float]], rng: random.Random
) -> dict[int, tuple[str, float]]:
    """Tier by a noisy reading of quality, in the trust policy's shares (best tier first)."""
    seen = sorted(shops, key=lambda s: -(s[1] + rng.gauss(0, 0.12)))
    decided, start = {}, 0
    for i, (name, share, weight) in enumerate(tiers):
        end = len(seen) if i == len(tiers) - 1 else start + round(share * len(seen))
        for shop_id, _ in seen[start:end]:
            decided[shop_id] = (name, weight)
        start = end
    return decided


def generate(config: Config, tiers: list[tuple[str, float, float]]) -> list[Product]:
    rng = random.Random(config.seed)
    raw = []
    for shop_id in range(1, config.shops + 1):
        quality = rng.betavariate(4, 2)
        if config.shape == "hype":
            appeal = math.exp(rng.gauss(0, 0.3)) * (1.6 - quality)
        else:
            appeal = math.exp(rng.gauss(0, 0.4))
        opens_on = config.new_shops_day if rng.random() < config.new_shops else 0
        raw.append((shop_id, quality, appeal, opens_on))
    established = [(s, q) for s, q, _, day in raw if day == 0]
    decided = _tiers(established, tiers, rng)
    products = []
    for shop_id, quality, appeal, opens_on in raw:
        tier, weight = decided.get(shop_id, (None, 1.0))
        shop = Shop(shop_id, quality, appeal, tier, weight, opens_on)
        for k in range(config.products_per_shop):
            products.append(
                Product(
                    product_id=shop_id * 100 + k,
                    shop=shop,
                    category=rng.randrange(CATEGORIES),
                    price_fen=int(math.exp(rng.gauss(math.log(6000), 0.6))),
                    ctr=min(0.5, 0.05 * appeal * math.exp(rng.gauss(0, 0.3))),
                    cvr=min(0.6, 0.10 * appeal * math.exp(rng.gauss(0, 0.3))),
                )
            )
    return products


Scorer = Callable[[list[Candidate], random.Random], list[Candidate]]


def _ranker(name: str, policy: ShelfPolicy, products: dict[int, Product], slots: int) -> Scorer:
    """Every policy ranks by expected GMV per impression (price × conversion); trust multiplies
    the tier's weight in and keeps the gate, gmv does neither, greedy is trust without draws."""

    def priced(cands: list[Candidate], *, trust: bool) -> list[Candidate]:
        return [
            replace(
                c,
                traffic_weight=(c.traffic_weight if trust else 1.0)
                * products[c.item_id].price_fen
                / 6000,
                tier=c.tier if trust else None,
            )
            for c in cands
        ]

    if name == "trust":
        return lambda cands, rng: domain.arrange(priced(cands, trust=True), slots, policy, rng)
    if name == "greedy":
        return lambda cands, rng: domain.arrange(priced(cands, trust=True), slots, policy, None)
    if name == "gmv":
        return lambda cands, rng: domain.arrange(priced(cands, trust=False), slots, policy, rng)

    def oracle(cands: list[Candidate], rng: random.Random) -> list[Candidate]:
        ranked = sorted(
            cands, key=lambda c: -c.relevance * products[c.item_id].good_gmv_per_impression
        )
        return ranked[:slots]

    return oracle


def simulate(
    config: Config, policy: ShelfPolicy, tiers: list[tuple[str, float, float]], name: str
) -> tuple[Outcome, list[Product]]:
    catalogue = generate(config, tiers)
    products = {p.product_id: p for p in catalogue}
    rng = random.Random(config.seed * 7919 + POLICIES.index(name))
    world = random.Random(config.seed * 104729)  # buyers' tastes: the same under every policy
    tastes = [world.randrange(CATEGORIES) for _ in range(config.buyers)]
    arms: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # impressions clicks orders pool
    follows: dict[int, set[int]] = defaultdict(set)
    bought_from: dict[int, set[int]] = defaultdict(set)
    out = Outcome(name)
    rank = _ranker(name, policy, products, config.page)
    for day in range(config.days):
        open_ = [p for p in catalogue if p.shop.opens_on <= day]
        out.daily[day] = Counter()
        for buyer in range(config.buyers):
            taste = tastes[buyer]
            pool = rng.sample(open_, min(config.candidates, len(open_)))
            followed = [p for p in open_ if p.shop.shop_id in follows[buyer]][:40]
            seen = {p.product_id for p in followed}
            pool = followed + [p for p in pool if p.product_id not in seen]

            def candidate(p: Product, taste: int = taste) -> Candidate:
                a = arms[p.product_id]
                return Candidate(
                    item_id=p.product_id,
                    kind="product",
                    shop_id=p.shop.shop_id,
                    relevance=1.0 if p.category == taste else 0.3,
                    traffic_weight=p.shop.weight,
                    tier=p.shop.tier,
                    evidence=Evidence(a[0], a[1], a[2], a[3]),
                )

            cands = [candidate(p) for p in pool]
            private_cands = [c for c in cands if c.item_id in seen]
            private_slots = math.floor(config.page * policy.private_share)
            page = rank(private_cands, rng)[:private_slots] if private_cands else []
            shown_ids = {c.item_id for c in page}
            explore = [
                c
                for c in cands
                if c.item_id not in shown_ids and not domain.pool_exhausted(c.evidence, policy)
            ]
            page += rank(explore, rng)[: config.page - len(page)]
            for position, c in enumerate(page):
                p = products[c.item_id]
                _show(out, arms, p, day, policy)
                relevance = 1.0 if p.category == taste else 0.3
                if world.random() >= p.ctr * relevance * POSITION_DECAY**position:
                    continue
                arms[p.product_id][1] += 1
                if world.random() >= p.cvr:
                    continue
                arms[p.product_id][2] += 1
                _buy(out, p, buyer, bought_from, follows, world)
    return out, catalogue


def _show(
    out: Outcome, arms: dict[int, list[int]], p: Product, day: int, policy: ShelfPolicy
) -> None:
    a = arms[p.product_id]
    a[0] += 1
    a[3] = domain.pool_after(Evidence(a[0], a[1], a[2], a[3]), policy)
    out.impressions[p.shop.shop_id] += 1
    out.daily[day][p.shop.shop_id] += 1
    if p.shop.tier is not None and p.shop.tier in policy.below_gate_tiers:
        out.below_gate += 1


def _buy(
    out: Outcome,
    p: Product,
    buyer: int,
    bought_from: dict[int, set[int]],
    follows: dict[int, set[int]],
    world: random.Random,
) -> None:
    out.orders += 1
    out.gmv += p.price_fen
    if p.shop.shop_id in bought_from[buyer]:
        out.repeat_orders += 1
    bought_from[buyer].add(p.shop.shop_id)
    refunded = world.random() < p.shop.refund_rate
    if refunded:
        out.refunds += 1
        out.refunded_gmv += p.price_fen
        follows[buyer].discard(p.shop.shop_id)
    elif world.random() < p.shop.quality:
        follows[buyer].add(p.shop.shop_id)  # a satisfied buyer follows the shop (老粉)
    if world.random() < p.shop.complaint_rate:
        out.complaints += 1


@dataclass(frozen=True)
class Row:
    policy: str
    good_gmv: int
    gmv: int
    refund_rate: float
    repurchase_rate: float
    complaint_rate: float
    regret: float  # share of the oracle's good GMV not earned
    gini: float
    below_gate_share: float
    days_to_half_fair: float | None  # median over top-decile new shops; None: never


def _days_to_half_fair(out: Outcome, catalogue: list[Product], config: Config) -> float | None:
    """Days after opening until a top-decile new shop first gets half its merit-fair daily
    exposure (fair = the day's impressions split by true good GMV per impression)."""
    merit: dict[int, float] = defaultdict(float)
    opens: dict[int, int] = {}
    for p in catalogue:
        merit[p.shop.shop_id] += p.good_gmv_per_impression
        opens[p.shop.shop_id] = p.shop.opens_on
    new = [s for s, day in opens.items() if day > 0]
    if not new:
        return None
    top = sorted(new, key=lambda s: -merit[s])[: max(1, len(new) // 10)]
    reached: list[float] = []
    for shop in top:
        for day in range(opens[shop], config.days):
            open_merit = sum(m for s, m in merit.items() if opens[s] <= day)
            fair = sum(out.daily[day].values()) * merit[shop] / open_merit
            if out.daily[day][shop] >= 0.5 * fair:
                reached.append(day - opens[shop])
                break
        else:
            reached.append(math.inf)
    reached.sort()
    middle = reached[len(reached) // 2]
    return None if math.isinf(middle) else float(middle)


def evaluate(
    config: Config, policy: ShelfPolicy, tiers: list[tuple[str, float, float]]
) -> list[Row]:
    results = {name: simulate(config, policy, tiers, name) for name in POLICIES}
    oracle = results["oracle"][0].good_gmv or 1
    rows = []
    for name, (out, catalogue) in results.items():
        shown = sum(out.impressions.values()) or 1
        shops = [
            out.impressions.get(p.shop.shop_id, 0) for p in catalogue[:: config.products_per_shop]
        ]
        rows.append(
            Row(
                policy=name,
                good_gmv=out.good_gmv,
                gmv=out.gmv,
                refund_rate=out.refunds / max(1, out.orders),
                repurchase_rate=out.repeat_orders / max(1, out.orders),
                complaint_rate=out.complaints / max(1, out.orders),
                regret=1 - out.good_gmv / oracle,
                gini=domain.gini(shops),
                below_gate_share=out.below_gate / shown,
                days_to_half_fair=_days_to_half_fair(out, catalogue, config),
            )
        )
    return rows


def render(config: Config, rows: list[Row]) -> list[str]:
    lines = [
        f"shape {config.shape}, seed {config.seed}: {config.shops} shops × "
        f"{config.products_per_shop} products, {config.buyers} buyers, {config.days} days, "
        f"page {config.page}, {config.new_shops:.0%} of shops open on day {config.new_shops_day}",
        f"{'policy':8} {'good GMV ¥':>12} {'GMV ¥':>12} {'refund':>7} {'repurch':>8} "
        f"{'complain':>9} {'regret':>7} {'Gini':>5} {'<gate':>6} {'days½fair':>9}",
    ]
    for r in rows:
        days = "never" if r.days_to_half_fair is None else f"{r.days_to_half_fair:.0f}"
        lines.append(
            f"{r.policy:8} {r.good_gmv / 100:>12,.0f} {r.gmv / 100:>12,.0f} {r.refund_rate:>7.2%} "
            f"{r.repurchase_rate:>8.2%} {r.complaint_rate:>9.2%} {r.regret:>7.2%} "
            f"{r.gini:>5.2f} {r.below_gate_share:>6.2%} {days:>9}"
        )
    return lines
