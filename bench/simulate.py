"""Benchmark of the simulator (in-process, SQLite): orders per second and SQL statements per order.

    .venv/bin/python bench/simulate.py                      # the issue's target configuration
    .venv/bin/python bench/simulate.py --days 5 --buyers 2000 --shops 40

Prints the configuration, the machine's load, wall time per phase, and the distance to the target
(100,000 orders with their reviews in under 3 minutes). Figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from trustlive.kernel.clock import FixedClock
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.runtime import Runtime
from trustlive.sim.launch import run_in_process, simulation_settings
from trustlive.sim.run import SimConfig
from trustlive.sim.sqlite_same_thread import same_thread_engine

TARGET_ORDERS = 100_000
TARGET_SECONDS = 180.0


async def measure(config: SimConfig, url: str, *, same_thread: bool) -> dict[str, Any]:
    clock = FixedClock(config.start)
    engine = same_thread_engine(url) if same_thread else None
    runtime = Runtime.build(simulation_settings(url), clock=clock, engine=engine)
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    try:
        summary, _ = await run_in_process(config, runtime, clock, phases=phases)
    finally:
        await runtime.close()
    seconds = time.perf_counter() - started
    return {"summary": summary, "seconds": seconds, "phases": phases, "statements": statements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--buyers", type=int, default=10_000)
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--aiosqlite",
        action="store_true",
        help="use the platform's aiosqlite engine instead of the simulator's same-thread one",
    )
    args = parser.parse_args()
    config = SimConfig(days=args.days, buyers=args.buyers, shops=args.shops, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        load_before = os.getloadavg()
        result = asyncio.run(measure(config, url, same_thread=not args.aiosqlite))
        load_after = os.getloadavg()
    summary, seconds, phases = result["summary"], result["seconds"], result["phases"]
    loop_seconds = seconds - phases.get("setup", 0.0)
    per_order = loop_seconds / max(1, summary.orders_placed)
    driver = "aiosqlite" if args.aiosqlite else "same-thread sqlite3"
    print(
        f"configuration: days={args.days} buyers={args.buyers} shops={args.shops} "
        f"seed={args.seed}, {driver}"
    )
    print(
        f"machine: {os.cpu_count()} cores, load {load_before[0]:.1f} → {load_after[0]:.1f}, "
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}"
    )
    print(
        f"orders placed {summary.orders_placed:,}, paid {summary.orders_paid:,}, "
        f"shipped {summary.orders_shipped:,}, receipts {summary.receipts_confirmed:,}, "
        f"reviews {summary.reviews:,}"
    )
    print(
        f"live sessions {summary.sessions_held:,}, viewers admitted {summary.viewers_admitted:,}, "
        f"room orders {summary.room_orders:,}, comments {summary.comments:,}"
    )
    print(
        f"after-sales requested {summary.aftersale_requested:,} "
        f"(before shipping {summary.refunds_before_shipping:,}), "
        f"accepted {summary.aftersale_accepted:,}, rejected {summary.aftersale_rejected:,}, "
        f"refunded {summary.aftersale_refunded:,}, disputes {summary.disputes_opened:,}, "
        f"settled by a guarantee {summary.aftersale_settled_by_guarantee:,}"
    )
    print(f"users {summary.buyers + summary.fake_buyers:,}, follows {summary.follows:,}")
    print(f"total {seconds:,.1f} s; " + ", ".join(f"{k} {v:,.1f} s" for k, v in phases.items()))
    print(f"orders placed per second (whole run): {summary.orders_placed / seconds:,.1f}")
    print(f"seconds per order in the simulated days (all its steps): {per_order * 1000:,.1f} ms")
    print(f"SQL statements: {result['statements']:,}")
    estimate = TARGET_ORDERS * per_order + phases.get("setup", 0.0)
    print(
        f"target: {TARGET_ORDERS:,} orders in {TARGET_SECONDS:.0f} s; at this rate "
        f"{TARGET_ORDERS:,} orders take ~{estimate:,.0f} s "
        f"({estimate / TARGET_SECONDS:.1f}× the target)"
    )


if __name__ == "__main__":
    main()
