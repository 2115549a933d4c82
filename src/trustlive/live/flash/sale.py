"""Flash sales (秒杀): a pool carved out of SKU stock, sold with conditional updates.

Exactly `quantity` units are ever sold: the pool row's `sold + n <= quantity` UPDATE is the record,
the per-buyer claim row's `quantity + n <= limit` UPDATE keeps the limit, and both commit with the
order or not at all. Units come back to the pool when such an order is cancelled (exactly once, by
the flash order's `returned_at`), and unsold units go back to SKU stock when the sale closes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from trustlive import catalog, orders
from trustlive.accounts import Principal
from trustlive.kernel.db import insert_for
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.observability import FLASH_GATE_DECISIONS
from trustlive.live import domain
from trustlive.live.channel.hub import Channel
from trustlive.live.errors import LiveError
from trustlive.live.flash.gate import ALREADY, MISSING, SHORT, Claim, FlashGate, Verdict
from trustlive.live.models import FlashClaim, FlashOrder, FlashSale, Pin
from trustlive.live.rooms import live_session_for_staff
from trustlive.live.wiring import announce


@dataclass(frozen=True)
class FlashTerms:
    pin_id: int
    sku_id: int
    price_fen: int
    quantity: int
    per_buyer_limit: int
    starts_at: datetime
    ends_at: datetime


def left_of(sale: FlashSale) -> int:
    return 0 if sale.closed_at is not None else sale.quantity - sale.sold


def _window(sale: FlashSale) -> domain.FlashWindow:
    return domain.FlashWindow(sale.starts_at, sale.ends_at, sale.closed_at)


def stock_event(sale_id: int, left: int) -> dict[str, object]:
    return {"type": "flash_stock", "flash_sale_id": str(sale_id), "left": left}


async def create(
    session: AsyncSession,
    *,
    session_id: int,
    user_id: int,
    terms: FlashTerms,
    channel: Channel,
    gate: FlashGate | None,
    now: datetime,
) -> FlashSale:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    domain.check_flash_terms(
        price_fen=terms.price_fen,
        quantity=terms.quantity,
        per_buyer_limit=terms.per_buyer_limit,
        starts_at=terms.starts_at,
        ends_at=terms.ends_at,
        now=now,
    )
    pin = await session.get(Pin, terms.pin_id)
    if pin is None or pin.session_id != live.id or not pin.pinned:
        raise NotFound("pin", terms.pin_id)
    snapshot = (await catalog.sku_snapshots(session, [terms.sku_id])).get(terms.sku_id)
    if snapshot is None or snapshot.product_id != pin.product_id:
        raise Problem(LiveError.SKU_NOT_OF_PIN, "the SKU is not of the pinned product", status=422)
    if not await catalog.reserve_stock(session, sku_id=terms.sku_id, quantity=terms.quantity):
        left = await catalog.stock_of(session, terms.sku_id)
        raise Conflict(
            LiveError.FLASH_STOCK_SHORT,
            f"only {left} in stock; lower the flash-sale quantity or add stock",
            available=left,
        )
    sale = FlashSale(
        id=new_id(),
        session_id=live.id,
        room_id=room.id,
        pin_id=pin.id,
        sku_id=terms.sku_id,
        product_id=pin.product_id,
        price_fen=terms.price_fen,
        quantity=terms.quantity,
        sold=0,
        per_buyer_limit=terms.per_buyer_limit,
        starts_at=terms.starts_at,
        ends_at=terms.ends_at,
    )
    session.add(sale)
    await session.flush()
    if gate is not None:
        await gate.load(
            sale.id,
            sale.quantity,
            per_buyer_limit=sale.per_buyer_limit,
            ends_at=sale.ends_at,
            now=now,
        )
    announce(session, channel, room.id, stock_event(sale.id, sale.quantity))
    return sale


async def claim_units(session: AsyncSession, sale: FlashSale, buyer_id: int, quantity: int) -> None:
    """Add to the buyer's units in this sale, within the per-buyer limit, or refuse: one upsert
    whose update only happens within the limit (the same buyer's concurrent attempts queue on
    the row, and the second sees the first's units)."""
    if quantity > sale.per_buyer_limit:
        raise limit_reached(sale.per_buyer_limit)
    stmt = insert_for(session, FlashClaim).values(
        flash_sale_id=sale.id, buyer_id=buyer_id, quantity=quantity
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[FlashClaim.flash_sale_id, FlashClaim.buyer_id],
        set_={"quantity": FlashClaim.quantity + quantity},
        where=FlashClaim.quantity + quantity <= sale.per_buyer_limit,
    ).returning(FlashClaim.quantity)
    if (await session.execute(stmt)).first() is None:
        raise limit_reached(sale.per_buyer_limit)


async def claim_for_many(session: AsyncSession, sale: FlashSale, units: dict[int, int]) -> set[int]:
    """`claim_units` for many buyers (each once) in one statement: the buyers whose units fit
    within the limit; the others' rows are left as they were."""
    fits = {buyer: n for buyer, n in units.items() if n <= sale.per_buyer_limit}
    if not fits:
        return set()
    stmt = insert_for(session, FlashClaim).values(
        [{"flash_sale_id": sale.id, "buyer_id": b, "quantity": n} for b, n in fits.items()]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[FlashClaim.flash_sale_id, FlashClaim.buyer_id],
        set_={"quantity": FlashClaim.quantity + stmt.excluded.quantity},
        where=FlashClaim.quantity + stmt.excluded.quantity <= sale.per_buyer_limit,
    ).returning(FlashClaim.buyer_id)
    return set((await session.scalars(stmt)).all())


async def refuse_early(gate: FlashGate | None, claim: Claim) -> Verdict:
    """Before anything touches the database: most attempts on a hot sale end here. Otherwise
    the gate's verdict says whether an idempotency record could exist for the attempt's key."""
    if gate is None:
        return Verdict.GO_ON
    verdict, per_buyer_limit = await gate.decide(claim)
    FLASH_GATE_DECISIONS.labels(verdict.name.lower()).inc()
    if verdict is Verdict.SOLD_OUT:
        raise sold_out()
    if verdict is Verdict.LIMIT_REACHED:
        raise limit_reached(per_buyer_limit)
    return verdict


def limit_reached(per_buyer_limit: int) -> Conflict:
    return Conflict(
        LiveError.FLASH_LIMIT_REACHED,
        f"at most {per_buyer_limit} per buyer in this flash sale",
        per_buyer_limit=per_buyer_limit,
    )


def sold_out(left: int = 0) -> Conflict:
    return Conflict(LiveError.FLASH_SOLD_OUT, "sold out", left=left)


async def buy(
    session: AsyncSession,
    *,
    flash_sale_id: int,
    buyer: Principal,
    quantity: int,
    address: dict[str, str],
    policy: orders.OrderPolicy,
    channel: Channel,
    gate: FlashGate | None,
    now: datetime,
    key: str | None = None,
) -> orders.OrderView:
    """`key` is the attempt's Idempotency-Key: the gate remembers it among the winners."""
    sale = await _open_sale(session, flash_sale_id, quantity, now)
    claim = Claim(sale.id, buyer.user_id, quantity, key)
    if gate is not None:
        claim = await _take(session, gate, sale, claim, now)
    try:
        return await buy_in_database(session, sale, buyer, quantity, address, policy, channel, now)
    except BaseException:
        if gate is not None:
            await gate.put_back(claim)
        raise


async def take_units(
    session: AsyncSession,
    gate: FlashGate,
    sale: FlashSale,
    *,
    buyer_id: int,
    quantity: int,
    key: str,
    now: datetime,
) -> Claim:
    """Units taken in Redis for an order the batch writer will write (see flash_writer). `sale`
    may be a second old: Redis decides the units and the batch's UPDATE the rest."""
    _check_open(sale, quantity, now)
    return await _take(session, gate, sale, Claim(sale.id, buyer_id, quantity, key), now)


async def _open_sale(
    session: AsyncSession, flash_sale_id: int, quantity: int, now: datetime
) -> FlashSale:
    sale = await session.get(FlashSale, flash_sale_id)
    if sale is None:
        raise NotFound("flash sale", flash_sale_id)
    _check_open(sale, quantity, now)
    return sale


def _check_open(sale: FlashSale, quantity: int, now: datetime) -> None:
    if not _window(sale).is_active(now):
        raise Conflict(LiveError.FLASH_NOT_ACTIVE, "this flash sale is not on now")
    if left_of(sale) < quantity:  # as read: a unit returned this instant is sold next time
        raise sold_out(left_of(sale))


async def _take(
    session: AsyncSession, gate: FlashGate, sale: FlashSale, claim: Claim, now: datetime
) -> Claim:
    """The claim as taken. A retry whose key already won units takes none: it goes on with those
    (its first attempt may have died before writing; if that attempt was written, the
    idempotency record answers the retry with its order), never "sold out" by its own units."""
    taken = await gate.take(claim)
    if taken == MISSING:  # Redis lost the sale (restarted, or the key expired): reload
        await reload_gate(session, gate, sale, now=now, only_if_missing=True)
        taken = await gate.take(claim)
    if taken == ALREADY:
        return replace(claim, taken=False)
    if taken in (MISSING, SHORT):
        raise sold_out(max(0, await gate.left(sale.id) or 0))
    return claim


async def reload_gate(
    session: AsyncSession, gate: FlashGate, sale: FlashSale, *, now: datetime, only_if_missing: bool
) -> bool:
    """Put the database's units left and buyers' units into Redis."""
    held = await session.execute(
        select(FlashClaim.buyer_id, FlashClaim.quantity).where(FlashClaim.flash_sale_id == sale.id)
    )
    return await gate.reload(
        sale.id,
        left_of(sale),
        dict(held.all()),
        ends_at=sale.ends_at,
        now=now,
        only_if_missing=only_if_missing,
    )


async def buy_in_database(
    session: AsyncSession,
    sale: FlashSale,
    buyer: Principal,
    quantity: int,
    address: dict[str, str],
    policy: orders.OrderPolicy,
    channel: Channel,
    now: datetime,
) -> orders.OrderView:
    """The order is written first and the sale's row updated last: that UPDATE locks the one row
    every winner of the sale updates, until the commit, so everything done after it would hold
    the others back (under load each statement is a wait for the event loop as well)."""
    await claim_units(session, sale, buyer.user_id, quantity)
    view = await orders.place_order(
        session,
        buyer_id=buyer.user_id,
        lines=[(sale.sku_id, quantity)],
        address=address,
        buyer_note="",
        source=orders.Source(sale.room_id, sale.session_id),
        policy=policy,
        now=now,
        held=held_stock(sale),
    )
    session.add(
        FlashOrder(
            order_id=view.order.id, flash_sale_id=sale.id, buyer_id=buyer.user_id, quantity=quantity
        )
    )
    await session.flush()
    set_committed_value(sale, "sold", await sell(session, sale, quantity))  # or roll back
    announce(session, channel, sale.room_id, stock_event(sale.id, left_of(sale)))
    return view


def held_stock(sale: FlashSale) -> orders.HeldStock:
    """An order of this sale: its units come from the sale's pool, at the sale's price."""
    return orders.HeldStock(domain.FLASH_SALE_HELD_BY, {sale.sku_id: sale.price_fen})


async def sell(session: AsyncSession, sale: FlashSale, units: int) -> int:
    """Count `units` sold from the sale's pool, or raise sold out: the record that no more than
    the quantity is ever sold. Its row lock lasts until the commit, so callers do it last.
    Returns the units sold now."""
    sold = await session.scalar(
        update(FlashSale)
        .where(
            FlashSale.id == sale.id,
            FlashSale.closed_at.is_(None),
            FlashSale.sold + units <= FlashSale.quantity,
        )
        .values(sold=FlashSale.sold + units)
        .returning(FlashSale.sold)
        .execution_options(synchronize_session=False)
    )
    if sold is None:
        raise sold_out()
    return int(sold)
