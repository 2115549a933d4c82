"""Buying in the room: the order records the room and session it came from, which nobody can
claim through the generic checkout."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, orders
from trustlive.kernel.errors import NotFound, Problem
from trustlive.live.domain import require_live
from trustlive.live.errors import LiveError
from trustlive.live.models import LiveSession
from trustlive.live.pins import pinned


async def place_room_order(
    session: AsyncSession,
    *,
    session_id: int,
    buyer_id: int,
    lines: list[tuple[int, int]],
    address: dict[str, str],
    buyer_note: str,
    policy: orders.OrderPolicy,
    now: datetime,
    check: orders.OrderCheck = orders.ALLOW_ALL,
    client: orders.Client = orders.NO_CLIENT,
) -> orders.OrderView:
    live = await session.get(LiveSession, session_id)
    if live is None:
        raise NotFound("session", session_id)
    require_live(live.status)
    snapshots = await catalog.sku_snapshots(session, [sku_id for sku_id, _ in lines])
    pinned_products = {p.product_id for p in await pinned(session, live.id)}
    for sku_id, _ in lines:
        snap = snapshots.get(sku_id)
        if snap is not None and snap.product_id not in pinned_products:
            raise Problem(
                LiveError.NOT_PINNED,
                f"{snap.title} is not in this room's cart",
                status=422,
                sku_id=str(sku_id),
            )
    return await orders.place_order(
        session,
        buyer_id=buyer_id,
        lines=lines,
        address=address,
        buyer_note=buyer_note,
        source=orders.Source(live.room_id, live.id),
        policy=policy,
        now=now,
        check=check,
        client=client,
    )
