"""The order timeouts, as scheduler jobs."""

from __future__ import annotations

from trustlive.kernel.scheduler import Scheduler
from trustlive.orders import timeouts
from trustlive.orders.domain import OrderPolicy


def register(scheduler: Scheduler, policy: OrderPolicy) -> None:
    scheduler.add("orders.cancel_unpaid", timeouts.cancel_unpaid)
    scheduler.add("orders.auto_receive", timeouts.auto_receive(policy))
    scheduler.add("orders.complete_received", timeouts.complete_received)
