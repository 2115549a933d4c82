"""The Redis gate in front of flash sales: what it answers alone, and how it recovers when Redis and
the database part ways (a crash between a take and the commit, or Redis losing the sale). Needs
REDIS_URL (CI's PostgreSQL + Redis run); without Redis the database answers everything and the
flash-sale tests beside this one cover it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from tests.support.api import ADDRESS, Api, User
from tests.support.live import flash_sale, live_room
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.redis import redis_of
from trustlive.live import jobs as live_jobs
from trustlive.live.flash.gate import HELD, LEFT, LIMIT, WINNERS, Claim, gate_of
from trustlive.orders.models import Order

pytestmark = pytest.mark.skipif(
    "not __import__('os').environ.get('REDIS_URL')", reason="the gate exists only with Redis"
)


async def _buy(api: Api, buyer: User, sale_id: str, key: str | None = None) -> Any:
    return await api.client.post(
        f"/api/v1/flash-sales/{sale_id}/orders",
        json={"quantity": 1, "address": ADDRESS},
        headers={**buyer.auth, "Idempotency-Key": key or str(uuid.uuid4())},
    )


def _kind(answer: Any) -> str:
    return "order" if answer.status_code == 201 else str(answer.json()["type"]).split("/")[-1]


async def test_a_winner_asking_again_is_refused_by_the_gate_alone_but_its_retry_replays(
    api: Api,
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=5, per_buyer_limit=1)
    winner = await api.user()
    await api.client.get("/api/v1/users/me", headers=winner.auth)  # the token is known now
    key = str(uuid.uuid4())
    statements: list[str] = []
    engine = api.runtime.engine.sync_engine
    listen = lambda *args: statements.append(str(args[2]))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        won = await _buy(api, winner, sale["id"], key)
        winning, statements[:] = list(statements), []
        again = await _buy(api, winner, sale["id"])
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    retry = await _buy(api, winner, sale["id"], key)

    assert _kind(won) == "order"
    assert (_kind(again), again.json()["per_buyer_limit"]) == ("flash-sale-limit-reached", 1)
    assert statements == []  # no idempotency lookup, no database
    # a new key the gate has never seen: no answer can be stored for it, none is looked up
    assert not [q for q in winning if q.startswith("SELECT") and "idempotency_record" in q]
    assert (_kind(retry), retry.json()["id"]) == ("order", won.json()["id"])
    assert await api.count(Order) == 1


async def test_units_left_taken_by_a_crash_before_the_commit_are_reconciled(
    api: Api, clock: FixedClock
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1, per_buyer_limit=1)
    crashed, other = await api.user(), await api.user()
    gate = gate_of(api.runtime)
    assert gate is not None
    # the crashed worker took the last unit in Redis and died before its order committed
    await gate.take(Claim(int(sale["id"]), int(crashed.id), 1, "lost"))

    before = await _buy(api, other, sale["id"])
    passes = []
    for _ in range(3):  # apart, the same for 20 s and then for 40 s: a leftover, not in flight
        passes.append((await api.runtime.scheduler.run_due())["live.reconcile_flash_gates"])
        clock.advance(timedelta(seconds=20))
    after = await _buy(api, crashed, sale["id"])

    assert _kind(before) == "flash-sale-sold-out"
    assert passes == [0, 0, 1]
    assert _kind(after) == "order"  # the unit, and the buyer's limit, were given back
    assert await gate.left(int(sale["id"])) == 0
    assert await api.count(Order) == 1


async def test_when_redis_loses_a_sale_it_is_reloaded_and_holders_are_answered_by_the_database(
    api: Api,
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=3, per_buyer_limit=1)
    winner, stranger = await api.user(), await api.user()
    key = str(uuid.uuid4())
    won = await _buy(api, winner, sale["id"], key)
    client = redis_of(api.runtime)
    assert client is not None
    await client.delete(*(k.format(sale["id"]) for k in (LEFT, HELD, WINNERS, LIMIT)))

    retry = await _buy(api, winner, sale["id"], key)
    again = await _buy(api, winner, sale["id"])
    bought = await _buy(api, stranger, sale["id"])
    gate = gate_of(api.runtime)
    assert gate is not None

    assert (_kind(retry), retry.json()["id"]) == ("order", won.json()["id"])
    assert _kind(again) == "flash-sale-limit-reached"
    assert _kind(bought) == "order"
    assert await gate.left(int(sale["id"])) == 1
    assert await gate.held(int(sale["id"])) == {int(winner.id): 1, int(stranger.id): 1}
    assert await api.count(Order) == 2


async def test_a_server_that_starts_reconciles_what_a_dead_process_left_in_redis(
    api: Api,
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1, per_buyer_limit=1)
    crashed, other = await api.user(), await api.user()
    gate = gate_of(api.runtime)
    assert gate is not None
    await gate.take(Claim(int(sale["id"]), int(crashed.id), 1, "lost"))  # then the process died
    assert await gate.left(int(sale["id"])) == 0

    await live_jobs.on_start(api.runtime)  # a server starting: no 30 s of "sold out"
    bought = await _buy(api, other, sale["id"])

    assert _kind(bought) == "order"
    assert await gate.held(int(sale["id"])) == {int(other.id): 1}
    assert await api.count(Order) == 1


async def test_a_retry_with_the_key_of_an_attempt_that_died_gets_its_units_not_sold_out(
    api: Api,
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1, per_buyer_limit=1)
    buyer = await api.user()
    gate = gate_of(api.runtime)
    assert gate is not None
    await gate.take(Claim(int(sale["id"]), int(buyer.id), 1, "k-died"))  # took, never wrote

    retry = await _buy(api, buyer, sale["id"], "k-died")
    again = await _buy(api, buyer, sale["id"], "k-died")

    assert _kind(retry) == "order"
    assert (_kind(again), again.json()["id"]) == ("order", retry.json()["id"])
    assert await gate.left(int(sale["id"])) == 0
    assert await gate.held(int(sale["id"])) == {int(buyer.id): 1}
    assert await api.count(Order) == 1


async def test_concurrent_retries_with_one_key_get_one_order(api: Api) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=3, per_buyer_limit=1)
    buyer = await api.user()

    answers = await asyncio.gather(*(_buy(api, buyer, sale["id"], "same") for _ in range(6)))

    assert [_kind(a) for a in answers] == ["order"] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    gate = gate_of(api.runtime)
    assert gate is not None
    assert await gate.left(int(sale["id"])) == 2
    assert await api.count(Order) == 1
