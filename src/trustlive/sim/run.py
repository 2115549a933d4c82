"""The simulation loop: set the market up, then run simulated hours, each one batch of actions.

Every random draw comes from generators seeded by the configuration, in a fixed order, so the same
configuration produces the same actions, the same summary and the same ground-truth file.
An after-sale claim draws from a generator of its own (claims.py), seeded when it opens.
"""

from __future__ import annotations

import bisect
import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from trustlive.aftersale import Kind, Reason
from trustlive.sim import behaviour
from trustlive.sim.claims import Claims
from trustlive.sim.driver import Driver
from trustlive.sim.market import Market, SimConfig, SimOrder, Summary, set_up
from trustlive.sim.truth import TruthLog

HOUR = timedelta(hours=1)

__all__ = ["SimConfig", "Simulation", "Summary", "simulate"]


class Simulation:
    """Runs the hours of a configured market against a driver."""

    def __init__(self, driver: Driver, config: SimConfig, truth: TruthLog) -> None:
        self.driver = driver
        self.config = config
        self.truth = truth
        self.summary = Summary()
        self.rng = random.Random(config.seed * 104_729 + 3)
        self.market: Market
        self.claims: Claims
        self.commented: set[int] = set()  # buyers who commented this hour
        self.seconds: dict[str, float] = defaultdict(float)  # wall time per phase, not in summary

    def _at(self, hour: int) -> datetime:
        return self.config.start + hour * HOUR + timedelta(seconds=self.rng.randrange(3600))

    async def _buy(
        self,
        hour: int,
        buyer: int,
        merchant: int,
        product: int,
        session: int | None,
        *,
        brushing: bool,
    ) -> None:
        market, rng = self.market, self.rng
        person = market.population.buyers[buyer]
        shop = market.population.merchants[merchant]
        plan = shop.products[product]
        at = self._at(hour)
        qty = 1 if brushing else behaviour.quantity(rng)
        address = person.address.as_dict()
        order_id = await self.driver.place_order(
            market.user_ids[buyer], market.sku_ids[merchant][product], qty, address, at, session
        )
        market.orders_of[buyer] += 1
        self.summary.orders_placed += 1
        order = SimOrder(order_id, buyer, merchant, product, market.orders_of[buyer], at, brushing)
        paid = brushing or behaviour.pays(rng)
        self.truth.add(
            "order",
            buyer=person.username,
            seq=order.seq,
            shop_name=shop.shop_name,
            product=plan.title,
            quantity=qty,
            placed_at=at.isoformat(),
            paid=paid,
            counterfeit=plan.counterfeit,
            brushing=brushing,
        )
        if not paid:
            self.summary.orders_abandoned += 1
            return
        await self.driver.pay(market.user_ids[buyer], order_id, at + timedelta(seconds=30))
        self.summary.orders_paid += 1
        self.summary.gmv_fen += plan.price_fen * qty
        self.summary.brushing_orders += brushing
        self.summary.counterfeit_orders += plan.counterfeit
        order.ship_delay = behaviour.shipping_delay_hours(rng, shop)
        market.agenda[hour + order.ship_delay].append(("ship", order))
        if behaviour.asks_refund_before_shipping(rng, person, order.ship_delay):
            market.agenda[hour + behaviour.IMPATIENT_AFTER_HOURS].append(("impatient", order))

    async def _live_hour(self, hour: int) -> None:
        """Each merchant on air this hour: its session (opened at the broadcast's first hour,
        ended after its last), the viewers it draws, their comments and purchases."""
        market = self.market
        for merchant in market.graph.live_by_hour[hour % 24]:
            shop = market.population.merchants[merchant]
            session = market.sessions.get(merchant)
            if session is None:
                session = await self.driver.start_session(
                    market.owner_ids[merchant],
                    market.shop_ids[merchant],
                    market.sku_ids[merchant],
                    f"{shop.shop_name} 直播中",
                    self.config.start + hour * HOUR,
                )
                market.sessions[merchant] = session
                self.summary.sessions_held += 1
            await self._audience(hour, merchant, session)
            if (hour + 1) % 24 not in shop.broadcast_hours:
                end = self.config.start + (hour + 1) * HOUR - timedelta(seconds=1)
                await self.driver.end_session(market.owner_ids[merchant], session, end)
                del market.sessions[merchant]

    def _viewers(self, merchant: int) -> tuple[list[int], int]:
        """Fans who tune in (more often the more they trust the room), then strangers shown it."""
        market, rng = self.market, self.rng
        fans = market.fans.get(merchant, [])
        viewers = [
            b
            for b in fans
            if behaviour.watches(
                rng, market.population.buyers[b], market.trust_in(b, merchant), fan=True
            )
        ]
        fans_watching = len(viewers)
        real = self.summary.buyers
        shown = int(
            market.graph.popularity[merchant]
            * real
            * self.config.strangers_per_live_hour
            * 2
            * rng.random()
        )
        strangers = sorted({rng.randrange(real) for _ in range(shown)} - set(fans))
        viewers += [
            b
            for b in strangers
            if behaviour.watches(rng, market.population.buyers[b], 0.0, fan=False)
        ]
        return viewers, fans_watching

    async def _audience(self, hour: int, merchant: int, session: int) -> None:
        market, rng = self.market, self.rng
        viewers, fans_watching = self._viewers(merchant)
        if not viewers:
            return
        start = self.config.start + hour * HOUR
        await self.driver.admit_viewers(session, [market.user_ids[b] for b in viewers], start)
        self.summary.live_session_hours += 1
        self.summary.viewers_admitted += len(viewers)
        for buyer in viewers:
            # one comment an hour at most (a viewer may watch two rooms): paced as rooms ask
            if behaviour.comments(rng) and buyer not in self.commented:
                self.commented.add(buyer)
                at = start + timedelta(seconds=60 + rng.randrange(3480))
                text = behaviour.comment_text(rng)
                await self.driver.comment(session, market.user_ids[buyer], text, at)
                self.summary.comments += 1
        bought = 0
        shop = market.population.merchants[merchant]
        for buyer in viewers:
            product = behaviour.choose_product(rng, shop)
            chance = behaviour.purchase_probability(
                market.population.buyers[buyer],
                shop,
                shop.products[product],
                market.trust_in(buyer, merchant),
            )
            if rng.random() < chance:
                await self._buy(hour, buyer, merchant, product, session, brushing=False)
                self.summary.room_orders += 1
                bought += 1
        self.truth.add(
            "session_intent",
            shop_name=shop.shop_name,
            hour=self._hour_iso(hour),
            viewers=len(viewers),
            fans_watching=fans_watching,
            buyers=bought,
        )

    async def _due(self, hour: int, kind: str, order: SimOrder) -> None:
        if kind == "ship":
            await self._ship(hour, order)
        elif kind == "deliver":
            await self._deliver(hour, order)
        elif kind == "impatient":
            await self._impatient(hour, order)
        else:
            await self.claims.step(hour, kind, order)

    def _hour_iso(self, hour: int) -> str:
        return (self.config.start + hour * HOUR).isoformat()

    async def _brushing_hour(self, hour: int) -> None:
        for ring in self.market.population.rings:
            for member in ring.members:
                if self.rng.random() < ring.orders_per_member_per_day / 24:
                    product = self.rng.randrange(
                        len(self.market.population.merchants[ring.shop].products)
                    )
                    await self._buy(hour, member, ring.shop, product, None, brushing=True)

    async def _ship(self, hour: int, order: SimOrder) -> None:
        if order.claim is not None:  # the buyer asked for the money back: nothing leaves
            return
        market = self.market
        at = self._at(hour)
        await self.driver.ship(
            market.owner_ids[order.merchant],
            order.order_id,
            f"SF{self.rng.randrange(10**12):012d}",
            at,
        )
        self.summary.orders_shipped += 1
        market.agenda[hour + behaviour.transit_hours(self.rng)].append(("deliver", order))

    async def _deliver(self, hour: int, order: SimOrder) -> None:
        """The parcel arrives: the buyer judges it, maybe confirms and reviews, maybe complains."""
        market, rng = self.market, self.rng
        buyer = market.population.buyers[order.buyer]
        shop = market.population.merchants[order.merchant]
        plan = shop.products[order.product]
        quality = 1.0 if order.brushing else behaviour.received_quality(rng, shop, plan)
        trust = behaviour.trust_after(market.trust_in(order.buyer, order.merchant), quality)
        market.trust[(order.buyer, order.merchant)] = trust
        at = self._at(hour)
        user_id = market.user_ids[order.buyer]
        if behaviour.confirms_receipt(rng, buyer):
            await self.driver.confirm_receipt(user_id, order.order_id, at)
            self.summary.receipts_confirmed += 1
            if behaviour.reviews(rng, buyer, quality):
                ratings = (
                    behaviour.FIVE_STARS
                    if order.brushing
                    else behaviour.ratings(rng, shop, quality, order.ship_delay)
                )
                await self.driver.review(
                    user_id,
                    order.order_id,
                    ratings,
                    behaviour.review_text(rng, ratings.described),
                    at,
                )
                self.summary.reviews += 1
                self.summary.five_star_reviews += ratings == behaviour.FIVE_STARS
        await self._follow_or_leave(order, trust)
        if behaviour.wants_aftersale(rng, buyer, quality):
            reason = behaviour.aftersale_reason(shop, plan)
            seed = rng.getrandbits(64)
            await self.claims.open(hour, order, Kind.RETURN_REFUND, reason, seed, quality)

    async def _impatient(self, hour: int, order: SimOrder) -> None:
        """Two days after paying and still not shipped: the buyer asks for a refund."""
        seed = self.rng.getrandbits(64)
        await self.claims.open(hour, order, Kind.REFUND_ONLY, Reason.LATE_SHIPPING, seed, None)

    async def _follow_or_leave(self, order: SimOrder, trust: float) -> None:
        market = self.market
        if market.population.buyers[order.buyer].fake:
            return
        fans = market.fans.setdefault(order.merchant, [])
        index = bisect.bisect_left(fans, order.buyer)
        is_fan = index < len(fans) and fans[index] == order.buyer
        ids = market.user_ids[order.buyer], market.owner_ids[order.merchant]
        if not is_fan and behaviour.follows_after(self.rng, trust):
            await self.driver.follow(*ids)
            fans.insert(index, order.buyer)
            self.summary.new_follows += 1
        elif is_fan and behaviour.unfollows(trust):
            await self.driver.unfollow(*ids)
            del fans[index]
            self.summary.unfollows += 1

    async def run_hour(self, hour: int) -> None:
        """One simulated hour: its actions in one unit of work, then the platform's timeouts."""
        clock = time.perf_counter()
        self.commented.clear()
        async with self.driver.batch(self.config.start + hour * HOUR):
            for kind, order in self.market.agenda.pop(hour, []):
                await self._due(hour, kind, order)
            await self._live_hour(hour)
            await self._brushing_hour(hour)
        self.seconds["actions"] += time.perf_counter() - clock
        clock = time.perf_counter()
        self.summary.platform_job_items += await self.driver.run_jobs(
            self.config.start + (hour + 1) * HOUR
        )
        self.seconds["jobs"] += time.perf_counter() - clock
        if hour % 24 == 23:
            await self._deliver_events()

    async def _deliver_events(self) -> None:
        clock = time.perf_counter()
        await self.driver.deliver_events()
        self.seconds["events"] += time.perf_counter() - clock

    async def run(self, on_hour: Callable[[int], None] | None = None) -> Summary:
        clock = time.perf_counter()
        self.market = await set_up(self.driver, self.config, self.truth, self.summary)
        self.claims = Claims(
            self.driver,
            self.market,
            self.summary,
            self.truth,
            self.config.start,
            self.market.operator_id,
        )
        self.seconds["setup"] = time.perf_counter() - clock
        for hour in range(self.config.days * 24):
            await self.run_hour(hour)
            if on_hour is not None:
                on_hour(hour)
        await self._deliver_events()
        self.truth.add("summary", **self.summary.as_dict())
        return self.summary


async def simulate(
    driver: Driver,
    config: SimConfig,
    truth: TruthLog | None = None,
    on_hour: Callable[[int], None] | None = None,
    seconds: dict[str, float] | None = None,
) -> Summary:
    """Run a configured market; `seconds`, if given, receives the wall time of each phase."""
    simulation = Simulation(driver, config, truth or TruthLog())
    summary = await simulation.run(on_hour)
    if seconds is not None:
        seconds.update(simulation.seconds)
    return summary
