"""Catalog reactions to other contexts' events.

Catalog is below orders (orders reads SKUs through catalog's facade), so it never imports
orders: its handler takes any event carrying paid lines, and the composition root subscribes it
to orders' `OrderPaid`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.catalog import service


class PaidLines(Protocol):
    """What catalog needs of a paid order: its lines (product id and quantity each)."""

    @property
    def lines(self) -> list[dict[str, Any]]: ...


async def count_paid_units_as_sold(session: AsyncSession, event: PaidLines) -> None:
    """The "已售 N" figure buyers see; exactly-once delivery keeps it exact."""
    sold: Counter[int] = Counter()
    for line in event.lines:
        sold[int(line["product_id"])] += int(line["quantity"])
    await service.count_sold(session, product_quantities=dict(sold))
