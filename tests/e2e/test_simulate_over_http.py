"""The HTTP driver: the same simulated market, driven through the public API."""

from __future__ import annotations

from dataclasses import replace

from tests.support.api import Api
from trustlive.orders.models import Order
from trustlive.reviews.models import Review
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.http_driver import HttpDriver
from trustlive.sim.run import SimConfig, simulate
from trustlive.sim.truth import TruthLog

CONFIG = SimConfig(days=4, buyers=30, shops=2, seed=5)


async def test_the_http_driver_makes_the_same_market_as_the_simulation_intends(api: Api) -> None:
    config = replace(CONFIG, start=api.runtime.clock.now())
    over_http = await simulate(HttpDriver(api.client), config, TruthLog())
    intended = await simulate(DryDriver(), config, TruthLog())

    assert over_http.as_dict() == intended.as_dict()
    assert (over_http.orders_paid, over_http.reviews) == (22, 4)
    assert await api.count(Order) == over_http.orders_placed
    assert await api.count(Review) == over_http.reviews
