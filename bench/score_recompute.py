"""Benchmark: full score recompute over N generated orders, and incremental latency per event.

    .venv/bin/python bench/score_recompute.py --db sqlite --orders 1000000
    .venv/bin/python bench/score_recompute.py --db postgres --url postgresql+asyncpg://…/db

It writes a synthetic event history straight into the outbox (as already fanned out, as if it were
older than the trust handler), runs the full recompute (rebuild every counter from the history,
then score every shop, product and creator), and reports wall time and peak memory (ru_maxrss of
this process). Then it feeds fresh events one at a time through the live path (fold → counters →
rescore the subjects touched, one transaction each) and reports p50/p99 latency per event.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from trustlive import trust
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.ids import new_id
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.models import OutboxEvent
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings
from trustlive.trust import service
from trustlive.trust.ingest import apply_event
from trustlive.trust.jobs import recompute_all

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
REASONS = ["quality_problem", "not_as_described", "late_shipping", "no_reason_7_days"]


def order_events(
    rng: random.Random, n: int, args: argparse.Namespace
) -> list[tuple[str, dict[str, Any], datetime]]:
    """The events of order n: paid, shipped, received, and sometimes a review, after-sale, chat."""
    shop = rng.randrange(args.shops)
    buyer = 1_000_000 + rng.randrange(args.buyers)
    product = shop * args.products_per_shop + rng.randrange(args.products_per_shop)
    ids: dict[str, Any] = {"order_id": n + 1, "shop_id": shop + 1, "buyer_id": buyer}
    paid = NOW - timedelta(minutes=rng.randrange(args.days * 24 * 60))
    lines = [{"product_id": product + 1, "sku_id": product + 1, "quantity": 1}]
    room = shop + 1 if rng.random() < 0.5 else None
    out: list[tuple[str, dict[str, Any], datetime]] = [
        ("orders.order_paid", {**ids, "total_fen": 2990, "lines": lines, "room_id": room}, paid)
    ]
    shipped = paid + timedelta(hours=rng.choice([3, 20, 30, 60]))
    out.append(("orders.order_shipped", {**ids, "late": False}, shipped))
    received = shipped + timedelta(days=2)
    out.append(("orders.order_received", {**ids, "automatic": rng.random() < 0.3}, received))
    if rng.random() < 0.4:
        review = {
            **ids,
            "review_id": n + 1,
            "product_ids": [product + 1],
            "rating_described": rng.choice([1, 2, 4, 5, 5, 5, 5, 5, 5, 5]),
            "rating_service": rng.randint(3, 5),
            "rating_logistics": rng.randint(3, 5),
        }
        out.append(("reviews.review_created", review, received + timedelta(hours=3)))
    if rng.random() < 0.05:
        req = {**ids, "request_id": n + 1}
        reason = rng.choice(REASONS)
        opened = received + timedelta(hours=5)
        out.append(
            (
                "aftersale.request_opened",
                {
                    **req,
                    "kind": "refund_only",
                    "reason": reason,
                    "amount_fen": 2990,
                    "shipped": True,
                    "opened_at": opened.isoformat(),
                },
                opened,
            )
        )
        out.append(
            (
                "aftersale.refund_paid",
                {
                    **req,
                    "amount_fen": 2990,
                    "reason": reason,
                    "kind": "refund_only",
                    "instant": False,
                    "without_return": False,
                    "paid_at": "",
                    "resolve_seconds": 7200,
                },
                opened + timedelta(hours=2),
            )
        )
    if rng.random() < 0.1:
        who: dict[str, Any] = {"thread_id": n + 1, "shop_id": shop + 1, "buyer_id": buyer}
        out.append(("messaging.message_sent", {**who, "sender": "buyer", "sent_at": ""}, paid))
        out.append(
            (
                "messaging.message_sent",
                {**who, "sender": "shop", "sent_at": "", "first_reply_seconds": 90},
                paid + timedelta(seconds=90),
            )
        )
    return out


async def generate(runtime: Runtime, args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    batch: list[dict[str, Any]] = []
    total = 0
    async with runtime.engine.begin() as conn:
        for n in range(args.orders):
            for topic, payload, at in order_events(rng, n, args):
                batch.append(
                    {
                        "id": new_id(),
                        "topic": topic,
                        "payload": payload,
                        "created_at": at,
                        "fanned_out_at": at,
                    }
                )
            if len(batch) >= 20_000:
                await conn.execute(insert(OutboxEvent), batch)
                total += len(batch)
                batch.clear()
        if batch:
            await conn.execute(insert(OutboxEvent), batch)
            total += len(batch)
    return total


async def incremental(
    runtime: Runtime, ctx: trust.TrustContext, args: argparse.Namespace
) -> list[float]:
    rng = random.Random(args.seed + 1)
    events = []
    for n in range(args.orders, args.orders + args.live_orders):
        events += order_events(rng, n, args)
    latencies = []
    for topic, payload, at in events:
        payload = json.loads(json.dumps(payload))
        started = time.perf_counter()
        async with runtime.sessions() as session:
            subjects = await apply_event(session, topic, payload, at, ctx)
            await service.refresh(session, subjects, policy=ctx.policy, hooks=ctx.hooks, now=NOW)
            await session.commit()
        latencies.append(time.perf_counter() - started)
    return latencies


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(args: argparse.Namespace) -> None:
    url: str = args.url
    runtime = Runtime.build(
        Settings(database_url=url, run_background_jobs=False), clock=FixedClock(NOW)
    )
    if not url.startswith("sqlite"):
        async with runtime.engine.begin() as conn:
            await conn.execute(text("TRUNCATE outbox_event, outbox_delivery CASCADE"))
    ctx = trust.build_context(runtime.clock)
    print(
        f"config: db={url.split('@')[-1]} orders={args.orders:,} shops={args.shops:,} "
        f"products={args.shops * args.products_per_shop:,} buyers={args.buyers:,} "
        f"days={args.days} seed={args.seed} policy={ctx.policy.version}"
    )
    started = time.perf_counter()
    events = await generate(runtime, args)
    print(f"generated {events:,} events in {time.perf_counter() - started:.1f} s")
    rss_before = peak_mb()
    started = time.perf_counter()
    async with runtime.sessions() as session:
        folded, subjects = await recompute_all(session, ctx, NOW)
        await session.commit()
    elapsed = time.perf_counter() - started
    print(
        f"full recompute: {folded:,} events folded, {subjects:,} subjects scored "
        f"in {elapsed:.1f} s "
        f"({folded / elapsed:,.0f} events/s); peak RSS {peak_mb():,.0f} MB "
        f"(before recompute {rss_before:,.0f} MB)"
    )
    latencies = await incremental(runtime, ctx, args)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"incremental: {len(latencies):,} events, p50 {q[49] * 1000:.1f} ms, "
        f"p99 {q[98] * 1000:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms"
    )
    await runtime.close()


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--url", help="database URL (required for --db postgres)")
    p.add_argument("--sqlite-file", default="/tmp/trustlive-score-bench.db")
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--shops", type=int, default=2_000)
    p.add_argument("--products-per-shop", type=int, default=10)
    p.add_argument("--buyers", type=int, default=300_000)
    p.add_argument("--days", type=int, default=60, help="history spread over this many days")
    p.add_argument("--live-orders", type=int, default=300, help="orders fed through the live path")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.db == "postgres" and not args.url:
        p.error("--db postgres needs --url")
    return args


def database_url(args: argparse.Namespace) -> str:
    """Migrated (outside the event loop: migrations run their own)."""
    url: str = args.url or f"sqlite+aiosqlite:///{Path(args.sqlite_file).resolve()}"
    if url.startswith("sqlite"):
        Path(args.sqlite_file).unlink(missing_ok=True)
    upgrade(url)
    return url


if __name__ == "__main__":
    arguments = parse()
    arguments.url = database_url(arguments)
    asyncio.run(main(arguments))
