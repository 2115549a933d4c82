"""Seeded synthetic worlds with known truth, for evaluating the graph detectors.

Three generators, each driven by a `random.Random` and a frozen setting, so that every figure in
docs/benchmarks.md can be reproduced: shop orders with flash sales, loyal buyers and planted
brushing; a degree-skewed buyer × product graph with an injected dense block (FRAUDAR's protocol:
random or degree-biased camouflage, or hijacked honest accounts); and a population of accounts
with households, campuses, carrier NAT addresses and gangs reusing part of their identifiers.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustlive.risk.graph.brushing import Order
from trustlive.risk.graph.gangs import Sighting

# ---- orders: honest traffic, flash sales, planted brushing ----------------------------------


@dataclass(frozen=True, slots=True)
class OrderWorld:
    shops: int = 40
    days: int = 7
    buyers: int = 5000
    orders_per_shop_day: float = 30.0
    loyal_share: float = 0.3  # of a shop's orders placed by its few regulars
    flash_sales: int = 10  # bursts of distinct buyers within one minute
    flash_buyers: tuple[int, int] = (50, 300)
    brushing_episodes: int = 12
    brushers: tuple[int, int] = (1, 3)
    brush_orders: tuple[int, int] = (3, 8)  # per brusher, within the episode
    brush_minutes: tuple[int, int] = (10, 50)


def orders_world(
    rng: random.Random, world: OrderWorld, start: datetime
) -> tuple[list[Order], set[tuple[int, int]]]:
    """Orders of all shops and the planted (shop, fake buyer) pairs."""
    ids = itertools.count(1)
    orders: list[Order] = []
    span = world.days * 86_400

    def at(second: float) -> datetime:
        return start + timedelta(seconds=round(second, 3))

    for shop in range(1, world.shops + 1):
        regulars = rng.sample(range(1, world.buyers + 1), 8)
        for _ in range(int(world.orders_per_shop_day * world.days)):
            loyal = rng.random() < world.loyal_share
            buyer = rng.choice(regulars) if loyal else rng.randint(1, world.buyers)
            orders.append(Order(next(ids), shop, buyer, at(rng.uniform(0, span))))
    for _ in range(world.flash_sales):
        shop, t0 = rng.randint(1, world.shops), rng.uniform(0, span - 60)
        for buyer in rng.sample(range(1, world.buyers + 1), rng.randint(*world.flash_buyers)):
            orders.append(Order(next(ids), shop, buyer, at(t0 + rng.uniform(0, 60))))
    planted: set[tuple[int, int]] = set()
    fake = itertools.count(10_000_000)
    for _ in range(world.brushing_episodes):
        shop, t0 = rng.randint(1, world.shops), rng.uniform(0, span - 3600)
        minutes = rng.randint(*world.brush_minutes)
        for _ in range(rng.randint(*world.brushers)):
            buyer = next(fake)
            planted.add((shop, buyer))
            for _ in range(rng.randint(*world.brush_orders)):
                orders.append(Order(next(ids), shop, buyer, at(t0 + rng.uniform(0, minutes * 60))))
    return orders, planted


# ---- bipartite graph with an injected dense block -------------------------------------------


@dataclass(frozen=True, slots=True)
class GraphWorld:
    buyers: int = 20_000
    products: int = 20_000
    mean_degree: float = 5.0
    buyer_tail: float = 1.6  # Pareto shape of buyer activity (smaller: heavier tail)
    max_degree: int = 40  # distinct products one buyer buys in the observed window, at most
    product_zipf: float = 0.7  # popularity exponent of products
    block_rows: int = 200
    block_columns: int = 200
    block_density: float = 0.04
    camouflage: str = "random"  # none | random | biased | hijacked


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def skewed_graph(rng: random.Random, world: GraphWorld) -> tuple[set[tuple[int, int]], list[int]]:
    """Honest edges (buyer, product) with Pareto buyer activity and Zipf product popularity."""
    popularity = [1.0 / (rank + 1) ** world.product_zipf for rank in range(world.products)]
    products = list(range(world.products))
    rng.shuffle(products)
    cum = _cumulative(popularity)
    scale = world.mean_degree * (world.buyer_tail - 1) / world.buyer_tail
    edges: set[tuple[int, int]] = set()
    for buyer in range(world.buyers):
        degree = max(1, min(world.max_degree, int(scale * rng.paretovariate(world.buyer_tail))))
        for product in rng.choices(products, cum_weights=cum, k=degree):
            edges.add((buyer, product))
    return edges, products


def graph_with_block(
    rng: random.Random, world: GraphWorld
) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """The honest graph plus a fraud block under the setting's camouflage; and the fraud rows."""
    edges, _ = skewed_graph(rng, world)
    degree = [0] * world.products
    for _, p in edges:
        degree[p] += 1
    if world.camouflage == "hijacked":
        rows = rng.sample(range(world.buyers), world.block_rows)
    else:
        rows = list(range(world.buyers, world.buyers + world.block_rows))
    targets = rng.sample(range(world.products), world.block_columns)
    by_degree = _cumulative([d + 1.0 for d in degree])
    for row in rows:
        fraud = [p for p in targets if rng.random() < world.block_density]
        edges.update((row, p) for p in fraud)
        n = len(fraud)
        if world.camouflage == "random":
            edges.update((row, rng.randrange(world.products)) for _ in range(n))
        elif world.camouflage == "biased":
            picks = rng.choices(range(world.products), cum_weights=by_degree, k=n)
            edges.update((row, p) for p in picks)
    return sorted(edges), frozenset(rows)


# ---- accounts and identifiers: households, campuses, NAT, gangs ----------------------------


@dataclass(frozen=True, slots=True)
class IdentityWorld:
    households: int = 8_000
    household_sizes: tuple[float, ...] = (0.40, 0.25, 0.18, 0.12, 0.04, 0.01)  # P(size = 1..6)
    family_device: float = 0.6  # a household's shared tablet or phone
    family_card: float = 0.2  # spouses paying with one card
    students: int = 1_500
    campuses: int = 3
    nat_ips: int = 40  # carrier NAT addresses every mobile login goes through
    neighbour_nat: float = 0.1  # households whose broadband IP is shared with others
    offices: int = 30  # colleagues shipping to one office address over its Wi-Fi
    office_sizes: tuple[int, int] = (10, 45)
    second_hand: float = 0.01  # honest accounts sharing a device with a stranger
    gangs: int = 24
    gang_sizes: tuple[int, int] = (8, 40)
    reuse: float = 0.7  # chance a gang account takes each identifier from the gang's pool
    pool_ratio: float = 0.25  # pool size / gang size per identifier kind
    loners: float = 0.05  # gang accounts that reuse nothing at all (undetectable by design)


_CITIES = [
    "北京市朝阳区",
    "上海市浦东新区",
    "广州市天河区",
    "深圳市南山区",
    "成都市武侯区",
    "杭州市西湖区",
]
_ROADS = [
    "建国路",
    "中山路",
    "人民路",
    "解放路",
    "长江路",
    "和平街",
    "科技园路",
    "文一西路",
    "天府大道",
]
_CN = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    """12 → 十二, 30 → 三十, 7 → 七 (as people write building and unit numbers)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@dataclass(frozen=True, slots=True)
class _Place:
    city: str
    road: str
    number: int
    building: int
    unit: int
    room: int

    def write(self, rng: random.Random) -> str:
        """One of the ways people write this address."""
        c, r, n, b, u, m = self.city, self.road, self.number, self.building, self.unit, self.room
        forms = [
            f"{c}{r}{n}号{b}号楼{u}单元{m}室",
            f"{c[3:]}{r}{n}号{b}栋{u}-{m}",
            _full_width(f"{c[:3]} {c[3:]} {r}{n}号 {b}号楼 {u}单元 {m}"),
            f"{c}{r}{n}号{_cn_small(b)}号楼{_cn_small(u)}单元{m}室",
        ]
        return rng.choice(forms)


def _place(rng: random.Random) -> _Place:
    return _Place(
        city=rng.choice(_CITIES),
        road=rng.choice(_ROADS),
        number=rng.randint(1, 400),
        building=rng.randint(1, 30),
        unit=rng.randint(1, 6),
        room=rng.randint(1, 30) * 100 + rng.randint(1, 4),
    )


@dataclass(slots=True)
class IdentityTruth:
    gang_of: dict[int, int]  # account → gang
    household_of: dict[int, int]  # account → household, for households of two or more
    accounts: int


def identity_world(
    rng: random.Random, world: IdentityWorld
) -> tuple[list[Sighting], IdentityTruth]:
    """Sightings of every account's identifiers, and who belongs to which gang or household."""
    account_ids = itertools.count(1)
    token_ids = itertools.count(1)
    out: list[Sighting] = []
    truth = IdentityTruth(gang_of={}, household_of={}, accounts=0)

    def own(kind: str) -> str:
        return f"{kind}-{next(token_ids)}"

    def nat() -> str:
        return f"nat-{rng.randrange(world.nat_ips)}"

    shared_broadband = [own("ip") for _ in range(max(1, world.households // 50))]
    sizes = list(range(1, len(world.household_sizes) + 1))
    for h in range(world.households):
        size = rng.choices(sizes, weights=world.household_sizes)[0]
        home = _place(rng)
        home_ip = rng.choice(shared_broadband) if rng.random() < world.neighbour_nat else own("ip")
        tablet = own("device") if rng.random() < world.family_device else None
        card = own("payment") if rng.random() < world.family_card else None
        for _ in range(size):
            a = next(account_ids)
            if size >= 2:
                truth.household_of[a] = h
            device = tablet if tablet and rng.random() < 0.8 else own("device")
            out += [
                Sighting(a, "device", device),
                Sighting(a, "ip", home_ip),
                Sighting(a, "ip", nat()),
                Sighting(a, "address", home.write(rng)),
                Sighting(a, "payment", card if card and rng.random() < 0.5 else own("payment")),
                Sighting(a, "phone", own("phone")),
            ]
    honest = list(range(1, next(account_ids)))
    for i, a in enumerate(rng.sample(honest, int(len(honest) * world.second_hand))):
        out.append(Sighting(a, "device", f"second-hand-{i // 2}"))
    out += _students(rng, world, account_ids, own, nat)
    out += _offices(rng, world, account_ids, own, nat)
    out += _gangs(rng, world, account_ids, own, nat, truth)
    truth.accounts = next(account_ids) - 1
    return out, truth


def _students(
    rng: random.Random,
    world: IdentityWorld,
    account_ids: itertools.count[int],
    own: Callable[[str], str],
    nat: Callable[[], str],
) -> list[Sighting]:
    """Students: a campus IP shared by hundreds, four to a dorm room, the campus name as address."""
    out: list[Sighting] = []
    campus_ip = [f"campus-ip-{c}" for c in range(world.campuses)]
    for s in range(world.students):
        a, c = next(account_ids), s % world.campuses
        room = s // (4 * world.campuses)
        address = (
            f"{c + 1}号大学学生公寓{room // 50 + 1}号楼{room % 50 + 101}室"
            if rng.random() < 0.7
            else f"{c + 1}号大学"
        )
        out += [
            Sighting(a, "device", own("device")),
            Sighting(a, "ip", campus_ip[c]),
            Sighting(a, "ip", nat()),
            Sighting(a, "address", address),
            Sighting(a, "payment", own("payment")),
            Sighting(a, "phone", own("phone")),
        ]
    return out


def _offices(
    rng: random.Random,
    world: IdentityWorld,
    account_ids: itertools.count[int],
    own: Callable[[str], str],
    nat: Callable[[], str],
) -> list[Sighting]:
    """Colleagues: one office address (written their own way) and the office network."""
    out: list[Sighting] = []
    for _ in range(world.offices):
        office, wifi = _place(rng), own("ip")
        for _ in range(rng.randint(*world.office_sizes)):
            a = next(account_ids)
            out += [
                Sighting(a, "device", own("device")),
                Sighting(a, "ip", wifi),
                Sighting(a, "ip", nat()),
                Sighting(a, "address", office.write(rng)),
                Sighting(a, "payment", own("payment")),
                Sighting(a, "phone", own("phone")),
            ]
    return out


def _gangs(
    rng: random.Random,
    world: IdentityWorld,
    account_ids: itertools.count[int],
    own: Callable[[str], str],
    nat: Callable[[], str],
    truth: IdentityTruth,
) -> list[Sighting]:
    """Rings reusing a pool of devices, phones, cards, drop addresses and proxies, partly."""
    out: list[Sighting] = []
    for g in range(world.gangs):
        size = rng.randint(*world.gang_sizes)
        pool = max(1, math.ceil(size * world.pool_ratio))
        pools = {k: [own(k) for _ in range(pool)] for k in ("device", "payment", "phone")}
        drops = [_place(rng) for _ in range(rng.randint(1, 3))]
        proxies = [own("ip") for _ in range(rng.randint(2, 4))]
        for _ in range(size):
            a = next(account_ids)
            truth.gang_of[a] = g
            loner = rng.random() < world.loners

            def take(kind: str, loner: bool = loner, pools: dict[str, list[str]] = pools) -> str:
                reuse = not loner and rng.random() < world.reuse
                return rng.choice(pools[kind]) if reuse else own(kind)

            reuse_place = not loner and rng.random() < world.reuse
            address = rng.choice(drops).write(rng) if reuse_place else _place(rng).write(rng)
            ip = rng.choice(proxies) if not loner and rng.random() < world.reuse else nat()
            out += [
                Sighting(a, "device", take("device")),
                Sighting(a, "payment", take("payment")),
                Sighting(a, "phone", take("phone")),
                Sighting(a, "address", address),
                Sighting(a, "ip", ip),
                Sighting(a, "ip", nat()),
            ]
    return out
