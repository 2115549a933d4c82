"""Inline order check: the time it adds to placing an order, p50 / p99 of
InlineOrderCheck.check plus the flush of the identity row it adds, against a database that
already holds `--prior` checked orders (2 % of them from a ring of 100 devices and cards shared
by many accounts: those are reviewed or blocked and open cases, the expensive path).

    .venv/bin/python bench/risk_inline.py [--db sqlite|postgres] [--prior 20000] [--checks 3000]
    (postgres: TRUSTLIVE_BENCH_DATABASE_URL, an empty database this empties)

Target (issue 15, item 1): p99 ≤ 1 ms of added time. One check at a time, in this process."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from trustlive import orders
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import Base, make_engine, make_sessionmaker
from trustlive.kernel.fingerprint import identifier_key
from trustlive.kernel.migrations import upgrade
from trustlive.models_registry import import_all_models
from trustlive.risk.inline import InlineOrderCheck
from trustlive.risk.policy import load_policy

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SHIPPING = {"recipient": "王小明", "phone": "13800138000", "province": "江西省",
            "city": "赣州市", "district": "章贡区", "detail": "红旗大道 88 号"}  # fmt: skip


def _attempt(rng: random.Random, n: int, at: datetime) -> orders.OrderAttempt:
    buyer = rng.randrange(1, 5000)
    shared = rng.random() < 0.02
    device = f"dev-{rng.randrange(100) if shared else n}"
    card = f"card-{rng.randrange(100) if shared else n}"
    shipping = {**SHIPPING, "detail": f"红旗大道 {rng.randrange(1, 10**6)} 号",
                "phone": f"138{rng.randrange(10**8):08d}"}  # fmt: skip
    return orders.OrderAttempt(
        order_id=10**9 + n,
        buyer_id=buyer,
        shop_id=rng.randrange(1, 200),
        total_fen=2990,
        shipping=shipping,
        client=orders.Client(
            device_id=device, address=f"10.0.{n % 250}.1", payment_instrument=card
        ),
        placed_at=at,
    )


async def run(url: str, prior: int, checks: int) -> tuple[list[float], list[float], list[float]]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name.startswith("risk_"):
                await conn.execute(text(f'DELETE FROM "{table.name}"'))
    clock = FixedClock(START)
    check = InlineOrderCheck(load_policy().inline, identifier_key("bench"), clock)
    rng = random.Random(7)
    async with sessions() as session:  # prior orders, written in batches
        for n in range(prior):
            at = START + timedelta(milliseconds=10 * n)  # 100 orders a second
            await check.check(session, _attempt(rng, n, at))
            if n % 1000 == 999:
                await session.commit()
        await session.commit()
    timings: list[float] = []
    allowed: list[float] = []
    decided: list[float] = []
    for n in range(prior, prior + checks):
        at = START + timedelta(milliseconds=10 * n)  # 100 orders a second
        async with sessions() as session:
            await session.execute(text("SELECT 1"))  # the order's transaction is already open
            began = time.perf_counter()
            answer = await check.check(session, _attempt(rng, n, at))
            decided.append((time.perf_counter() - began) * 1000)
            await session.flush()
            took = (time.perf_counter() - began) * 1000
            timings.append(took)
            if answer.outcome == orders.Outcome.ALLOW:
                allowed.append(took)
            await session.rollback()  # the order's own writes are not what is measured
    await engine.dispose()
    return timings, allowed, decided


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--prior", type=int, default=20000)
    parser.add_argument("--checks", type=int, default=3000)
    args = parser.parse_args()
    if args.db == "postgres":
        url = os.environ["TRUSTLIVE_BENCH_DATABASE_URL"]
    else:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/risk_inline.db"
    upgrade(url)
    import_all_models()
    timings, allowed, decided = asyncio.run(run(url, args.prior, args.checks))
    d = statistics.quantiles(decided, n=100)
    q = statistics.quantiles(timings, n=100)
    a = statistics.quantiles(allowed, n=100)
    print(f"inline order check, {args.db}, {args.prior} prior orders, {args.checks} checks, "
          f"Python {platform.python_version()}, {os.cpu_count()} cores")  # fmt: skip
    print(f"  added time per order: p50 {q[49]:.3f} ms  p99 {q[98]:.3f} ms  "
          f"max {max(timings):.3f} ms  (target p99 <= 1 ms)")  # fmt: skip
    print(f"  allowed orders ({len(allowed)}): p50 {a[49]:.3f} ms  p99 {a[98]:.3f} ms; "
          f"reviewed or blocked: {len(timings) - len(allowed)}")  # fmt: skip
    print(f"  the decision alone (before its row is flushed): p50 {d[49]:.3f} ms  "
          f"p99 {d[98]:.3f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
