"""The HTTP driver: the same simulated market, driven through the public API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from tests.support.api import Api
from trustlive.aftersale.models import AftersaleRequest, Dispute
from trustlive.live.models import LiveSession
from trustlive.orders.models import Order
from trustlive.reviews.models import Review
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.http_driver import HttpDriver
from trustlive.sim.run import SimConfig, simulate
from trustlive.sim.truth import TruthLog

CONFIG = SimConfig(days=4, buyers=30, shops=2, seed=5)
AFTERSALES = SimConfig(days=7, buyers=40, shops=3, seed=20)  # refusals, disputes, returns


async def _count(api: Api, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]) -> int:
    async with api.runtime.sessions() as session:
        return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


async def test_the_http_driver_makes_the_same_market_as_the_simulation_intends(api: Api) -> None:
    config = replace(CONFIG, start=api.runtime.clock.now())
    over_http = await simulate(HttpDriver(api.client), config, TruthLog())
    intended = await simulate(DryDriver(), config, TruthLog())

    assert over_http.as_dict() == intended.as_dict()
    assert (over_http.orders_paid, over_http.reviews) == (18, 3)
    assert await api.count(Order) == over_http.orders_placed
    assert await api.count(Review) == over_http.reviews
    assert await api.count(LiveSession) == over_http.sessions_held
    room_orders = await _count(api, Order.id, Order.live_session_id.is_not(None))
    assert room_orders == over_http.room_orders


async def test_after_sales_and_disputes_go_through_the_api(api: Api) -> None:
    operator = await api.operator()
    config = replace(AFTERSALES, start=api.runtime.clock.now())
    driver = HttpDriver(api.client, operator=(int(operator.id), operator.token))
    over_http = await simulate(driver, config, TruthLog())
    intended = await simulate(DryDriver(), config, TruthLog())

    assert over_http.as_dict() == intended.as_dict()
    assert over_http.disputes_for_buyer > 0
    assert await api.count(AftersaleRequest) == over_http.aftersale_requested
    assert await api.count(Dispute) == over_http.disputes_opened
    decided = Dispute.status == "decided"
    assert await _count(api, Dispute.id, decided) == over_http.disputes_for_buyer
    shipped_back = AftersaleRequest.return_shipped_at.is_not(None)
    assert await _count(api, AftersaleRequest.id, shipped_back) == over_http.returns_shipped
