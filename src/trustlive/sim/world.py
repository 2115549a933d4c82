"""Who follows whom, and when each room is live: the social structure the behaviour runs on.

Rooms' popularity is heavy-tailed (Zipf over a random ranking of shops, boosted by category fit
and true quality): a few rooms have many fans, most have few. Buyers also follow each other, and
some follow back (互关).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

from trustlive.sim.traits import BuyerTraits, Population

ZIPF_EXPONENT = 1.1
MAX_SHOPS_FOLLOWED = 12
FOLLOW_BACK = 0.45


@dataclass(frozen=True)
class World:
    popularity: tuple[float, ...]  # per merchant, sums to 1: how often strangers are shown it
    shop_follows: tuple[tuple[int, int], ...]  # (buyer index, merchant index)
    buyer_follows: tuple[tuple[int, int], ...]  # (follower buyer index, followee buyer index)
    creator_follows: tuple[tuple[int, int], ...]  # (buyer index, creator index)
    live_by_hour: tuple[tuple[int, ...], ...]  # 24 entries: merchants live at that UTC hour

    def fans(self) -> dict[int, list[int]]:
        by_shop: dict[int, list[int]] = {}
        for buyer, shop in self.shop_follows:
            by_shop.setdefault(shop, []).append(buyer)
        return by_shop


class WeightedPicker:
    """Draws indices in proportion to fixed weights (bisect over the cumulative sums)."""

    def __init__(self, weights: list[float]) -> None:
        self._cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> int:
        x = rng.random() * self._cumulative[-1]
        return min(bisect.bisect_right(self._cumulative, x), len(self._cumulative) - 1)

    def distinct(self, rng: random.Random, k: int) -> list[int]:
        k = min(k, len(self._cumulative))
        chosen: dict[int, None] = {}
        for _ in range(k * 20):
            if len(chosen) == k:
                break
            chosen.setdefault(self.pick(rng), None)
        return list(chosen)


def _popularity(rng: random.Random, population: Population) -> list[float]:
    ranking = list(range(len(population.merchants)))
    rng.shuffle(ranking)
    weights = [0.0] * len(ranking)
    for rank, merchant in enumerate(ranking):
        quality = population.merchants[merchant].true_quality
        weights[merchant] = (0.5 + quality) / (rank + 1) ** ZIPF_EXPONENT
    total = sum(weights)
    return [w / total for w in weights]


def _shops_followed(rng: random.Random, buyer: BuyerTraits) -> int:
    return min(MAX_SHOPS_FOLLOWED, int(rng.paretovariate(1.6)))


def build(population: Population, seed: int) -> World:
    """The follow graph and the broadcast schedule; deterministic in (population, seed)."""
    rng = random.Random(seed * 7919 + 1)
    popularity = _popularity(rng, population)
    merchants = population.merchants
    real = [b for b in population.buyers if not b.fake]
    shop_follows: list[tuple[int, int]] = []
    for buyer in real:
        liked = set(buyer.categories)
        weights = [
            p * (3.0 if m.category in liked else 1.0)
            for p, m in zip(popularity, merchants, strict=True)
        ]
        picker = WeightedPicker(weights)
        shop_follows += [
            (buyer.index, m) for m in sorted(picker.distinct(rng, _shops_followed(rng, buyer)))
        ]
    buyer_follows: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for buyer in real:
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            other = real[rng.randrange(len(real))].index
            if other == buyer.index or (buyer.index, other) in seen:
                continue
            seen.add((buyer.index, other))
            buyer_follows.append((buyer.index, other))
            if rng.random() < FOLLOW_BACK and (other, buyer.index) not in seen:
                seen.add((other, buyer.index))
                buyer_follows.append((other, buyer.index))
    creator_picker = WeightedPicker([c.audience for c in population.creators])
    creator_follows = [
        (buyer.index, creator_picker.pick(rng)) for buyer in real if rng.random() < 0.3
    ]
    live_by_hour = tuple(
        tuple(m.index for m in merchants if hour in m.broadcast_hours) for hour in range(24)
    )
    return World(
        popularity=tuple(popularity),
        shop_follows=tuple(shop_follows),
        buyer_follows=tuple(buyer_follows),
        creator_follows=tuple(sorted(set(creator_follows))),
        live_by_hour=live_by_hour,
    )
