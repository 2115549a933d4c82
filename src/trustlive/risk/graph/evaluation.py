"""Precision, recall and F of the graph detectors against the truth of the synthetic worlds.

Each `evaluate_*` function runs one detector on one seeded world and returns named figures; the
`trustlive evaluate risk-graph` command, the regression gate in tests and bench/risk_graph.py all
call these, so the numbers in docs/benchmarks.md come from one place.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from trustlive.risk.graph.brushing import (
    BrushingPeriod,
    Order,
    detect_brushing,
    group_by_time,
    micros,
)
from trustlive.risk.graph.dense import find_dense_blocks
from trustlive.risk.graph.gangs import find_gangs
from trustlive.risk.graph.policy import BrushingRule, GraphPolicy
from trustlive.risk.graph.synthetic import (
    GraphWorld,
    IdentityWorld,
    OrderWorld,
    graph_with_block,
    identity_world,
    orders_world,
)

START = datetime(2026, 3, 2, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float

    @property
    def f(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_sets(found: Iterable[object], truth: Iterable[object]) -> Score:
    """Precision and recall of a found set against a true set (empty found: precision 1)."""
    f, t = set(found), set(truth)
    hit = len(f & t)
    return Score(precision=hit / len(f) if f else 1.0, recall=hit / len(t) if t else 1.0)


# ---- brushing, rule layer -------------------------------------------------------------------


def brushing_by_definition(orders: Sequence[Order], rule: BrushingRule) -> set[tuple[int, int]]:
    """The rule read literally, in O(n²) per shop: every run of orders that some closed window
    [s, s + H] holds exactly, checked on its own. The truth for the fast sweep."""
    by_shop: dict[int, list[Order]] = defaultdict(list)
    for o in orders:
        by_shop[o.shop_id].append(o)
    suspects: set[tuple[int, int]] = set()
    h = rule.window_seconds * 1_000_000
    for shop, shop_orders in by_shop.items():
        groups = group_by_time(shop_orders)
        t = [micros(g[0].placed_at) for g in groups]
        for a in range(len(groups)):
            counts: Counter[int] = Counter()
            for b in range(a, len(groups)):
                if t[b] - t[a] > h:
                    break
                counts.update(o.buyer_id for o in groups[b])
                before = t[a - 1] if a else None
                after = t[b + 1] if b + 1 < len(groups) else None
                # s ≤ t[a], s ≥ t[b] - h, s > before, s + h < after: some s must satisfy all four
                lo_ok = before is None or (before < t[a] and before < (after or 2**62) - h)
                hi_ok = after is None or t[b] < after
                if not (lo_ok and hi_ok):
                    continue
                n = sum(counts.values())
                if n >= rule.min_concentration * len(counts):
                    top = max(counts.values())
                    suspects.update((shop, u) for u, c in counts.items() if c == top)
    return suspects


def suspect_pairs(periods: Iterable[BrushingPeriod]) -> set[tuple[int, int]]:
    return {(p.shop_id, u) for p in periods for u in p.suspects}


def evaluate_brushing(seed: int, world: OrderWorld, policy: GraphPolicy) -> dict[str, Score]:
    """Against the rule itself (the sweep must be exact) and against the planted brushers."""
    orders, planted = orders_world(random.Random(seed), world, START)
    now = max(o.placed_at for o in orders)
    found = suspect_pairs(detect_brushing(orders, policy.brushing, now))
    return {
        "brushing rule vs rule truth": score_sets(
            found, brushing_by_definition(orders, policy.brushing)
        ),
        "brushing rule vs planted": score_sets(found, planted),
    }


# ---- brushing, dense blocks -----------------------------------------------------------------


def degree_ranking(edges: Sequence[tuple[int, int]], k: int) -> set[int]:
    """Baseline: the k buyers with the most distinct columns (k given the true block size)."""
    degree = Counter(r for r, _ in set(edges))
    return {r for r, _ in degree.most_common(k)}


def evaluate_dense(seed: int, world: GraphWorld, policy: GraphPolicy) -> dict[str, Score]:
    """FRAUDAR's top block (the paper's protocol), FRAUDAR's blocks over the policy's floor, the
    unweighted peel's top block, and degree ranking (given the true number of fraud rows)."""
    edges, fraud = graph_with_block(random.Random(seed), world)
    dense = policy.dense_blocks
    weighted = {r for b in find_dense_blocks(edges, dense) for r in b.rows}
    top_policy = replace(dense, max_blocks=1)
    top = find_dense_blocks(edges, top_policy, min_density=0.0)
    plain = find_dense_blocks(edges, top_policy, weighted=False, min_density=0.0)
    return {
        "fraudar top block": score_sets({r for b in top for r in b.rows}, fraud),
        "fraudar blocks over floor": score_sets(weighted, fraud),
        "unweighted peel": score_sets({r for b in plain for r in b.rows}, fraud),
        "degree ranking": score_sets(degree_ranking(edges, len(fraud)), fraud),
    }


# ---- gangs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GangScore:
    pairwise_precision: float
    pairwise_recall: float
    ring_recall: float
    families_flagged: float
    largest_cluster_share: float
    gangs_found: int
    gangs_true: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def evaluate_gangs(seed: int, world: IdentityWorld, policy: GraphPolicy) -> GangScore:
    sightings, truth = identity_world(random.Random(seed), world)
    findings = find_gangs(sightings, policy.gangs)
    flagged_pairs = sum(_pairs(len(g.accounts)) for g in findings.gangs)
    true_pairs_found = 0
    best_overlap: dict[int, int] = defaultdict(int)
    for g in findings.gangs:
        overlap = Counter(truth.gang_of[a] for a in g.accounts if a in truth.gang_of)
        true_pairs_found += sum(_pairs(n) for n in overlap.values())
        for gang, n in overlap.items():
            best_overlap[gang] = max(best_overlap[gang], n)
    sizes = Counter(truth.gang_of.values())
    flagged = {a for g in findings.gangs for a in g.accounts}
    families = set(truth.household_of)
    return GangScore(
        pairwise_precision=true_pairs_found / flagged_pairs if flagged_pairs else 1.0,
        pairwise_recall=true_pairs_found / max(1, sum(_pairs(n) for n in sizes.values())),
        ring_recall=sum(best_overlap.values()) / max(1, len(truth.gang_of)),
        families_flagged=len(families & flagged) / max(1, len(families)),
        largest_cluster_share=findings.largest_cluster / max(1, findings.accounts),
        gangs_found=len(findings.gangs),
        gangs_true=len(sizes),
    )


# ---- the two settings of every world, and the whole report ----------------------------------

ORDER_SETTINGS = {
    "A": OrderWorld(),
    "B": OrderWorld(
        shops=80,
        days=5,
        buyers=20_000,
        orders_per_shop_day=60.0,
        loyal_share=0.5,
        flash_sales=30,
        brushing_episodes=30,
        brushers=(1, 5),
        brush_orders=(2, 6),
    ),
}
GRAPH_SETTINGS = {
    "A": GraphWorld(),
    "B": GraphWorld(products=5_000, product_zipf=1.0, max_degree=100),
}
IDENTITY_SETTINGS = {
    "A": IdentityWorld(),
    "B": IdentityWorld(
        households=12_000,
        gangs=15,
        gang_sizes=(6, 80),
        reuse=0.6,
        pool_ratio=0.35,
        second_hand=0.02,
        neighbour_nat=0.2,
        students=3_000,
        campuses=5,
        offices=50,
    ),
}
CAMOUFLAGES = ("none", "random", "biased", "hijacked")


def scaled(world: GraphWorld, factor: float) -> GraphWorld:
    """A smaller or larger world of the same shape (for the fast regression gate)."""
    return replace(world, buyers=int(world.buyers * factor), products=int(world.products * factor))


def report_rows(seed: int, policy: GraphPolicy, density: float) -> list[tuple[str, str, Score]]:
    """(setting, detector, score) for every detector on both settings of every world."""
    rows: list[tuple[str, str, Score]] = []
    for name, order_world in ORDER_SETTINGS.items():
        for detector, score in evaluate_brushing(seed, order_world, policy).items():
            rows.append((name, detector, score))
    for name, graph_world in GRAPH_SETTINGS.items():
        for camouflage in CAMOUFLAGES:
            world = replace(graph_world, camouflage=camouflage, block_density=density)
            for detector, score in evaluate_dense(seed, world, policy).items():
                rows.append((name, f"{detector} ({camouflage}, density {density})", score))
    return rows
