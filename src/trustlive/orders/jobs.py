"""The order timeouts, as scheduler jobs."""

from __future__ import annotations

from trustlive.kernel.scheduler import Scheduler
from trustlive.orders import service
from trustlive.orders.domain import OrderPolicy


def register(scheduler: Scheduler, policy: OrderPolicy) -> None:
    scheduler.add("orders.cancel_unpaid", service.cancel_unpaid)
    scheduler.add("orders.auto_receive", service.auto_receive(policy))
    scheduler.add("orders.complete_received", service.complete_received)
