"""Units coming back: from a cancelled flash order to its pool (or to SKU stock once the sale has
closed), and a closed sale's unsold units to SKU stock. Each happens exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog
from trustlive.kernel import sweeps
from trustlive.live.channel.hub import Channel
from trustlive.live.flash.gate import FlashGate
from trustlive.live.flash.sale import left_of, stock_event
from trustlive.live.models import FlashClaim, FlashOrder, FlashSale
from trustlive.live.wiring import announce

CLOSE_BATCH = 200


async def return_cancelled(
    session: AsyncSession,
    *,
    order_id: int,
    channel: Channel,
    gate: FlashGate | None,
    now: datetime,
) -> bool:
    """Called for every cancelled order; only flash orders not yet returned change anything."""
    marked = await session.execute(
        update(FlashOrder)
        .where(FlashOrder.order_id == order_id, FlashOrder.returned_at.is_(None))
        .values(returned_at=now)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        return False
    flash_order = await session.get(FlashOrder, order_id)
    assert flash_order is not None
    sale_id, quantity = flash_order.flash_sale_id, flash_order.quantity
    await session.execute(
        update(FlashClaim)
        .where(FlashClaim.flash_sale_id == sale_id, FlashClaim.buyer_id == flash_order.buyer_id)
        .values(quantity=FlashClaim.quantity - quantity)
    )
    back_to_pool = await session.execute(
        update(FlashSale)
        .where(FlashSale.id == sale_id, FlashSale.closed_at.is_(None))
        .values(sold=FlashSale.sold - quantity)
        .execution_options(synchronize_session=False)
    )
    sale = await session.get(FlashSale, sale_id)
    assert sale is not None
    await session.refresh(sale)
    if back_to_pool.rowcount != 1:  # type: ignore[attr-defined]
        await catalog.release_stock(session, sku_id=sale.sku_id, quantity=quantity)
        return True
    if gate is not None:  # an over-count here is safe: the database still decides
        await gate.give_back(sale.id, quantity, buyer_id=flash_order.buyer_id)
    announce(session, channel, sale.room_id, stock_event(sale.id, left_of(sale)))
    return True


async def close_ended(session: AsyncSession, *, channel: Channel, now: datetime) -> int:
    """Sales past their end close; their unsold units go back to SKU stock."""
    name = "live.close_ended_flash_sales"
    held = await sweeps.held_back_ids(session, name, now)
    due = (
        await session.scalars(
            select(FlashSale.id)
            .where(
                FlashSale.closed_at.is_(None), FlashSale.ends_at <= now, FlashSale.id.not_in(held)
            )
            .order_by(FlashSale.id)
            .limit(CLOSE_BATCH)
        )
    ).all()

    async def close(sale_id: int) -> None:
        done = await session.execute(
            update(FlashSale)
            .where(FlashSale.id == sale_id, FlashSale.closed_at.is_(None))
            .values(closed_at=now, returned_units=FlashSale.quantity - FlashSale.sold)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return
        sale = await session.get(FlashSale, sale_id)
        assert sale is not None
        await session.refresh(sale)
        if sale.returned_units:
            await catalog.release_stock(session, sku_id=sale.sku_id, quantity=sale.returned_units)
        announce(session, channel, sale.room_id, stock_event(sale.id, 0))

    return await sweeps.each_apart(session, due, close, job=name, key=int, now=now)


async def open_sales(session: AsyncSession) -> list[FlashSale]:
    return list(await session.scalars(select(FlashSale).where(FlashSale.closed_at.is_(None))))
