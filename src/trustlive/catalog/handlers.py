"""Catalog reactions to other contexts' events."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.catalog import service
from trustlive.kernel.outbox import HandlerRegistry


async def count_paid_units_as_sold(session: AsyncSession, event: orders.OrderPaid) -> None:
    """The "已售 N" figure buyers see; exactly-once delivery keeps it exact."""
    sold: Counter[int] = Counter()
    for line in event.lines:
        sold[int(line["product_id"])] += int(line["quantity"])
    await service.count_sold(session, product_quantities=dict(sold))


def register(registry: HandlerRegistry) -> None:
    registry.subscribe(orders.OrderPaid, count_paid_units_as_sold)
