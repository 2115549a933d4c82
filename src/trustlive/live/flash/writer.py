"""Flash-sale winners written in batches: many orders per transaction (group commit).

When a hot sale opens, hundreds of buyers win units within a second. Written one transaction per
request, each order costs ~15 ms of CPU (mostly ORM statements) and the last winner waits for all
the others. Here a winner's request, once Redis gave it units, hands its purchase to this process's
writer and waits; the writer takes everything queued meanwhile and writes it in one transaction —
claims, orders, idempotency records, then the sale's row, once, for the batch's total — and
answers each request only after that commit, so an answer is never given for an order that could
still be lost.

If the batch cannot commit as a whole (a concurrent retry used the same key, the database found
fewer units than Redis did, …), each purchase is written again on its own the ordinary way, so one
bad purchase cannot fail the others. A purchase refused for good gives its units back to Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from trustlive import orders
from trustlive.accounts import Principal
from trustlive.kernel import idempotency
from trustlive.kernel.errors import NotFound, Problem
from trustlive.kernel.runtime import Runtime, Slot
from trustlive.live.flash.gate import Claim, FlashGate, gate_of
from trustlive.live.flash.sale import (
    buy_in_database,
    claim_for_many,
    held_stock,
    limit_reached,
    sell,
    stock_event,
    take_units,
)
from trustlive.live.models import FlashOrder, FlashSale
from trustlive.live.wiring import announce, channel_of

log = logging.getLogger(__name__)
BATCH = 200  # purchases per transaction at most
SALE_SECONDS = 1.0  # how old the sale's row read for a winner may be
CLOSE_SECONDS = 10.0  # how long a closing writer may take to write what is queued


@dataclass(eq=False)
class Winner:
    """A purchase that took units in Redis, waiting to be written."""

    sale: FlashSale  # as read by the request (its terms do not change)
    buyer: Principal
    claim: Claim
    address: dict[str, str]
    scope: str  # the idempotency record's
    key: str
    body: dict[str, Any]
    answer: Callable[[orders.OrderView], dict[str, Any]]
    done: asyncio.Future[JSONResponse] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class FlashWriter:
    def __init__(self, runtime: Runtime, gate: FlashGate) -> None:
        self._runtime = runtime
        self.gate = gate
        self._queue: list[Winner] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sales: dict[int, tuple[FlashSale, float]] = {}
        self._idle = asyncio.Event()  # nothing queued and no batch being written
        self._idle.set()
        self._in_flight: dict[tuple[str, str], Winner] = {}  # (scope, key) -> queued or writing

    async def sale(self, session: AsyncSession, flash_sale_id: int, *, now: datetime) -> FlashSale:
        """The sale as read at most SALE_SECONDS ago (its terms do not change; units left and
        closing are decided by Redis and the batch's UPDATE), detached from any session."""
        cached = self._sales.get(flash_sale_id)
        clock = time.monotonic()
        if cached is not None and clock - cached[1] <= SALE_SECONDS:
            return cached[0]
        sale = await session.get(FlashSale, flash_sale_id)
        if sale is None:
            raise NotFound("flash sale", flash_sale_id)
        session.expunge(sale)
        self._sales[flash_sale_id] = (sale, clock)
        return sale

    async def write(self, winner: Winner) -> JSONResponse:
        """The answer for the winner, after its order committed (or the Problem refusing it).
        A retry of a purchase still being written here waits for that purchase's answer."""
        first = self._in_flight.get((winner.scope, winner.key))
        if first is not None:
            return await asyncio.shield(first.done)
        self._in_flight[(winner.scope, winner.key)] = winner
        winner.done.add_done_callback(
            lambda _: self._in_flight.pop((winner.scope, winner.key), None)
        )
        self._queue.append(winner)
        self._idle.clear()
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        # shielded: a client that goes away does not undo a purchase the writer already owns
        return await asyncio.shield(winner.done)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch, self._queue = _pick(self._queue)
                try:
                    await self._write(batch)
                except Exception as exc:  # never leave a request waiting
                    log.exception("writing %d flash-sale orders failed", len(batch))
                    for winner in batch:
                        if not winner.done.done():
                            winner.done.set_exception(exc)
            self._idle.set()

    async def _write(self, batch: list[Winner]) -> None:
        try:
            answers = await self._write_together(batch)
        except Exception as exc:
            log.info("a batch of %d flash orders is written one by one: %r", len(batch), exc)
            answers = [await self._write_alone(winner) for winner in batch]
        self._runtime.dispatcher.nudge()
        for winner, answer in zip(batch, answers, strict=True):
            if isinstance(answer, Problem):
                await self.gate.put_back(winner.claim)
                winner.done.set_exception(answer)
            else:
                winner.done.set_result(answer)

    async def _write_together(self, batch: list[Winner]) -> list[JSONResponse | Problem]:
        """A handful of statements whatever the batch's size: under load every statement is
        also a wait for the busy event loop, so their number, not the rows, sets the pace."""
        rt = self._runtime
        now = rt.clock.now()
        sales = {w.sale.id: w.sale for w in batch}
        async with rt.sessions() as session:
            prepared = await orders.prepare_held_orders(
                session,
                [_held_order(w) for w in batch],
                policy=orders.policy_from(rt.settings),
                now=now,
            )
            claimed: set[tuple[int, int]] = set()
            for sale_id, sale in sales.items():
                units = {
                    w.claim.buyer_id: w.claim.quantity
                    for w, view in zip(batch, prepared, strict=True)
                    if w.sale.id == sale_id and isinstance(view, orders.OrderView)
                }
                claimed |= {(sale_id, b) for b in await claim_for_many(session, sale, units)}
            decided: list[orders.OrderView | Problem] = [
                limit_reached(w.sale.per_buyer_limit)
                if isinstance(view, orders.OrderView)
                and (w.sale.id, w.claim.buyer_id) not in claimed
                else view
                for w, view in zip(batch, prepared, strict=True)
            ]
            kept = [view for view in decided if isinstance(view, orders.OrderView)]
            await orders.add_orders(session, kept, now=now)  # the answers show what was written
            answers = [
                view if isinstance(view, Problem) else self._record(session, w, view, now=now)
                for w, view in zip(batch, decided, strict=True)
            ]
            units_sold: dict[int, int] = {}
            for winner, answer in zip(batch, answers, strict=True):
                if not isinstance(answer, Problem):
                    units_sold[winner.sale.id] = (
                        units_sold.get(winner.sale.id, 0) + winner.claim.quantity
                    )
            sold: dict[int, int] = {}
            for sale_id, n in units_sold.items():
                sale = sales[sale_id]
                sold[sale_id] = await sell(session, sale, n)
                left = sale.quantity - sold[sale_id]
                announce(session, channel_of(rt), sale.room_id, stock_event(sale.id, left))
            await session.commit()
        for sale_id, now_sold in sold.items():  # the cached sale, as committed
            set_committed_value(sales[sale_id], "sold", now_sold)
        return answers

    def _record(
        self, session: AsyncSession, winner: Winner, view: orders.OrderView, *, now: datetime
    ) -> JSONResponse:
        claim = winner.claim
        session.add(
            FlashOrder(
                order_id=view.order.id,
                flash_sale_id=claim.flash_sale_id,
                buyer_id=claim.buyer_id,
                quantity=claim.quantity,
            )
        )
        body = winner.answer(view)
        idempotency.save_answer(
            session,
            scope=winner.scope,
            key=winner.key,
            fingerprint=idempotency.request_fingerprint(winner.body),
            status_code=201,
            body=body,
            now=now,
        )
        return JSONResponse(body, status_code=201)

    async def _write_alone(self, winner: Winner) -> JSONResponse | Problem:
        rt = self._runtime
        now = rt.clock.now()

        async def make() -> dict[str, Any]:
            sale = await session.get(FlashSale, winner.claim.flash_sale_id)
            assert sale is not None
            view = await buy_in_database(
                session,
                sale,
                winner.buyer,
                winner.claim.quantity,
                winner.address,
                orders.policy_from(rt.settings),
                channel_of(rt),
                now,
            )
            return winner.answer(view)

        try:
            async with rt.sessions() as session:
                answer = await idempotency.answer_once(
                    session,
                    scope=winner.scope,
                    key=winner.key,
                    body=winner.body,
                    make=make,
                    now=now,
                )
                await session.commit()
                return answer
        except Problem as refused:
            return refused

    async def close(self, wait: float = CLOSE_SECONDS) -> None:
        """A worker shutting down first writes and answers the winners it holds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), wait)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def buy(
    session: AsyncSession,
    writer: FlashWriter,
    *,
    flash_sale_id: int,
    buyer: Principal,
    quantity: int,
    address: dict[str, str],
    key: str,
    body: dict[str, Any],
    now: datetime,
    fresh: bool = False,
) -> JSONResponse:
    """buyFlashSale with the Redis gate: a replay, or units taken and the order batch-written.
    `fresh`: the gate knows no answer can be stored for this key, so none is looked up."""
    scope = f"buyFlashSale:{buyer.user_id}"
    if not fresh:
        fingerprint = idempotency.request_fingerprint(body)
        stored = await idempotency.find_answer(
            session, scope=scope, key=key, fingerprint=fingerprint
        )
        if stored is not None:
            return JSONResponse(stored.body, status_code=stored.status_code)
    sale = await writer.sale(session, flash_sale_id, now=now)
    claim = await take_units(
        session, writer.gate, sale, buyer_id=buyer.user_id, quantity=quantity, key=key, now=now
    )
    await session.rollback()  # reads only: the connection goes back to the pool meanwhile

    def answer(view: orders.OrderView) -> dict[str, Any]:
        return orders.order_out(view, buyer).model_dump(mode="json")

    winner = Winner(sale, buyer, claim, address, scope, key, body, answer)
    return await writer.write(winner)


def _pick(queue: list[Winner]) -> tuple[list[Winner], list[Winner]]:
    """Up to BATCH winners, each buyer once per sale (one row per claim in the batch's upsert);
    a buyer's second purchase waits for the next batch."""
    batch: list[Winner] = []
    rest: list[Winner] = []
    seen: set[tuple[int, int]] = set()
    for winner in queue:
        who = (winner.sale.id, winner.claim.buyer_id)
        if len(batch) < BATCH and who not in seen:
            seen.add(who)
            batch.append(winner)
        else:
            rest.append(winner)
    return batch, rest


def _held_order(winner: Winner) -> orders.HeldOrder:
    sale = winner.sale
    return orders.HeldOrder(
        buyer_id=winner.buyer.user_id,
        lines=[(sale.sku_id, winner.claim.quantity)],
        address=winner.address,
        source=orders.Source(sale.room_id, sale.session_id),
        held=held_stock(sale),
    )


WRITER: Slot[FlashWriter] = Slot("live.flash_writer")


def writer_of(runtime: Runtime) -> FlashWriter | None:
    """This process's batch writer of flash-sale winners (only with the Redis gate)."""
    writer = WRITER.get(runtime)
    if writer is None:
        gate = gate_of(runtime)
        if gate is None:
            return None
        writer = WRITER.put(runtime, FlashWriter(runtime, gate))
        runtime.closers.append(writer.close)
    return writer
