"""One attempt to buy from a flash sale, from the route to its answer.

The gate refuses what it can alone (sold out, limit reached). With Redis, the units are taken there
and the order goes to this process's batch writer; without it, the database decides the attempt in
the request's own transaction. Either way a retry with the same Idempotency-Key gets its first
answer.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.accounts import Principal
from trustlive.kernel import idempotency
from trustlive.kernel.runtime import Runtime
from trustlive.live.flash import sale, writer
from trustlive.live.flash.gate import Claim, Verdict, gate_of
from trustlive.live.wiring import channel_of


async def buy(
    session: AsyncSession,
    runtime: Runtime,
    *,
    flash_sale_id: int,
    buyer: Principal,
    quantity: int,
    address: dict[str, str],
    key: str | None,
) -> JSONResponse:
    """The answer to buyFlashSale: 201 with the order, or the Problem that refuses it."""
    checked = idempotency.check_key(key)
    gate = gate_of(runtime)
    verdict = await sale.refuse_early(gate, Claim(flash_sale_id, buyer.user_id, quantity, checked))
    request: dict[str, Any] = {"flash_sale_id": flash_sale_id, "quantity": quantity}
    request["address"] = address
    now = runtime.clock.now()
    batch_writer = writer.writer_of(runtime)
    if batch_writer is not None:  # with the Redis gate: winners are written in batches
        return await writer.buy(
            session, batch_writer, flash_sale_id=flash_sale_id, buyer=buyer, quantity=quantity,
            address=address, key=checked, body=request, now=now, fresh=verdict is Verdict.NEW,
        )  # fmt: skip

    async def make() -> dict[str, Any]:
        view = await sale.buy(
            session, flash_sale_id=flash_sale_id, buyer=buyer, quantity=quantity,
            address=address, policy=orders.policy_from(runtime.settings),
            channel=channel_of(runtime), gate=gate, now=now, key=checked,
        )  # fmt: skip
        return orders.order_out(view, buyer).model_dump(mode="json")

    return await idempotency.answer_once(
        session,
        scope=f"buyFlashSale:{buyer.user_id}",
        key=checked,
        body=request,
        make=make,
        now=now,
    )
