"""The market before its first hour: configuration, the agents' platform ids, the follow graph
made real through the driver, and the running counts (the summary)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from trustlive.analytics.domain import mutual_follow_pairs
from trustlive.sim import traits, world
from trustlive.sim.driver import Driver
from trustlive.sim.truth import TruthLog

if TYPE_CHECKING:
    from trustlive.sim.claims import Claim

START = datetime(2026, 1, 5, tzinfo=UTC)
SETUP_BATCH = 500


@dataclass(frozen=True)
class SimConfig:
    days: int
    buyers: int
    shops: int
    seed: int
    start: datetime = START
    strangers_per_live_hour: float = 0.1  # share of buyers shown some live room in an hour


@dataclass
class Summary:
    """What happened, in counts: no ids and no timings, so two runs of one seed compare equal."""

    days: int = 0
    seed: int = 0
    buyers: int = 0
    fake_buyers: int = 0
    shops: int = 0
    creators: int = 0
    products: int = 0
    follows: int = 0
    mutual_follow_pairs: int = 0
    operators: int = 0
    sessions_held: int = 0
    live_session_hours: int = 0  # hours of a session with at least one viewer
    viewers_admitted: int = 0
    comments: int = 0
    room_orders: int = 0
    orders_placed: int = 0
    orders_paid: int = 0
    orders_abandoned: int = 0
    gmv_fen: int = 0
    orders_shipped: int = 0
    receipts_confirmed: int = 0
    reviews: int = 0
    five_star_reviews: int = 0
    brushing_orders: int = 0
    counterfeit_orders: int = 0
    aftersale_requested: int = 0
    refunds_before_shipping: int = 0
    aftersale_accepted: int = 0
    aftersale_rejected: int = 0
    aftersale_unanswered: int = 0  # accepted by the platform's deadline
    disputes_opened: int = 0
    disputes_for_buyer: int = 0
    counterfeit_rulings: int = 0
    returns_shipped: int = 0
    aftersale_refunded: int = 0
    aftersale_settled_by_guarantee: int = 0  # decided by the platform as it opened
    new_follows: int = 0
    unfollows: int = 0
    platform_job_items: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class SimOrder:
    order_id: int
    buyer: int
    merchant: int
    product: int
    seq: int  # the buyer's k-th order
    placed_at: datetime
    brushing: bool
    ship_delay: int = 0
    claim: Claim | None = None  # its after-sale request, once the buyer asks for one


@dataclass
class Market:
    """The run's state: platform ids of the agents, fans, trust, and the agenda of due actions."""

    population: traits.Population
    graph: world.World
    user_ids: list[int] = field(default_factory=list)  # per buyer index
    owner_ids: list[int] = field(default_factory=list)  # per merchant index
    shop_ids: list[int] = field(default_factory=list)
    sku_ids: list[list[int]] = field(default_factory=list)  # per merchant, per product
    fans: dict[int, list[int]] = field(default_factory=dict)  # merchant → sorted buyer indices
    trust: dict[tuple[int, int], float] = field(default_factory=dict)
    agenda: dict[int, list[tuple[str, SimOrder]]] = field(default_factory=lambda: defaultdict(list))
    sessions: dict[int, int] = field(default_factory=dict)  # merchant → its live session's id
    operator_id: int = 0
    orders_of: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def trust_in(self, buyer: int, merchant: int) -> float:
        return self.trust.get((buyer, merchant), self.population.buyers[buyer].initial_trust)


async def _in_batches(
    driver: Driver, at: datetime, items: list[Any], act: Callable[[Any], Any]
) -> list[Any]:
    results = []
    for start in range(0, len(items), SETUP_BATCH):
        async with driver.batch(at):
            for item in items[start : start + SETUP_BATCH]:
                results.append(await act(item))
    return results


async def set_up(driver: Driver, config: SimConfig, truth: TruthLog, summary: Summary) -> Market:
    population = traits.generate(config.seed, buyers=config.buyers, shops=config.shops)
    graph = world.build(population, config.seed)
    market = Market(population, graph)
    at = config.start
    market.user_ids = await _in_batches(
        driver,
        at,
        list(population.buyers),
        lambda b: driver.register(b.username, b.display_name, creator=False),
    )
    creator_ids = await _in_batches(
        driver,
        at,
        list(population.creators),
        lambda c: driver.register(c.username, c.display_name, creator=True),
    )
    for merchant in population.merchants:
        async with driver.batch(at):
            owner = await driver.register(merchant.username, merchant.display_name, creator=False)
            shop = await driver.open_shop(owner, merchant.shop_name, f"{merchant.shop_name} 直播间")
            skus = [
                await driver.list_product(owner, shop, p.title, merchant.category, p.price_fen)
                for p in merchant.products
            ]
        market.owner_ids.append(owner)
        market.shop_ids.append(shop)
        market.sku_ids.append(skus)
    async with driver.batch(at):
        market.operator_id = await driver.register_operator("op00001", "平台运营")
    follows = [(market.user_ids[b], market.owner_ids[m]) for b, m in graph.shop_follows]
    follows += [(market.user_ids[a], market.user_ids[b]) for a, b in graph.buyer_follows]
    follows += [(market.user_ids[b], creator_ids[c]) for b, c in graph.creator_follows]
    await _in_batches(driver, at, follows, lambda pair: driver.follow(*pair))
    for b, m in graph.shop_follows:
        market.fans.setdefault(m, []).append(b)
    for fans in market.fans.values():
        fans.sort()
    _write_population_truth(truth, population, config)
    summary.days, summary.seed = config.days, config.seed
    summary.buyers = sum(1 for b in population.buyers if not b.fake)
    summary.fake_buyers = len(population.buyers) - summary.buyers
    summary.shops, summary.creators = len(population.merchants), len(population.creators)
    summary.operators = 1
    summary.products = sum(len(m.products) for m in population.merchants)
    summary.follows = len(follows)
    summary.mutual_follow_pairs = mutual_follow_pairs(graph.buyer_follows)
    return market


def _write_population_truth(
    truth: TruthLog, population: traits.Population, config: SimConfig
) -> None:
    truth.add(
        "header",
        seed=config.seed,
        days=config.days,
        buyers=config.buyers,
        shops=config.shops,
        start=config.start.isoformat(),
    )
    for m in population.merchants:
        truth.add(
            "merchant",
            username=m.username,
            shop_name=m.shop_name,
            category=m.category,
            true_quality=round(m.true_quality, 4),
            honesty=round(m.honesty, 4),
            sells_counterfeits=m.sells_counterfeits,
            misdescribes=m.misdescribes,
            shipping_hours=round(m.shipping_hours, 2),
            responsiveness=round(m.responsiveness, 4),
            broadcast_hours=list(m.broadcast_hours),
            counterfeit_products=[p.title for p in m.products if p.counterfeit],
        )
    for c in population.creators:
        truth.add(
            "creator",
            username=c.username,
            audience=round(c.audience, 4),
            selection_skill=round(c.selection_skill, 4),
        )
    for ring in population.rings:
        truth.add(
            "brushing_ring",
            ring=ring.index,
            shop_name=population.merchants[ring.shop].shop_name,
            members=[population.buyers[i].username for i in ring.members],
        )
    for gang in population.gangs:
        truth.add(
            "gang",
            gang=gang.index,
            device_id=gang.device_id,
            payment_account=gang.payment_account,
            address=gang.address.as_dict(),
            members=[population.buyers[i].username for i in gang.members],
        )
