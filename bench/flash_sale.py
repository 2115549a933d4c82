"""Flash-sale benchmark: N units, many purchase attempts from many concurrent HTTP clients.

    .venv/bin/python bench/flash_sale.py --db sqlite|postgres [--redis]

The server runs in its own process (uvicorn, one worker); this process is the clients (aiohttp).
Prints the orders made (must equal the units), attempts/s, and p50/p99 answer times.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seed import ADDRESS, buyers, live_room
from _server import database, percentile, served
from cpu_usage import cpu_seconds, machine_busy

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


async def run(
    url: str, *, units: int, attempts: int, clients: int, rate: float | None
) -> dict[str, object]:
    connector = aiohttp.TCPConnector(limit=clients + 10, force_close=False)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        room = await live_room(http, url, stock=units + 100)
        now = datetime.now(UTC)
        async with http.post(
            f"{url}/api/v1/sessions/{room.session_id}/flash-sales",
            json={
                "pin_id": room.pin_id,
                "sku_id": room.sku_id,
                "price_fen": 990,
                "quantity": units,
                "starts_at": (now - timedelta(seconds=1)).isoformat(),
                "ends_at": (now + timedelta(hours=1)).isoformat(),
                "per_buyer_limit": 1,
            },
            headers={"Authorization": f"Bearer {room.owner_token}"},
        ) as r:
            sale = await r.json()
            assert r.status == 201, sale
        tokens = await buyers(http, url, clients)
        answers: Counter[str] = Counter()
        latencies: list[float] = []
        per_client = attempts // clients

        async def attempt(headers: dict[str, str], due: float | None = None) -> None:
            for _ in range(5):  # a connection reset is not an answer: try again, count it
                started = time.perf_counter()
                try:
                    async with http.post(
                        f"{url}/api/v1/flash-sales/{sale['id']}/orders",
                        json={"quantity": 1, "address": ADDRESS},
                        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                    ) as r:
                        body = await r.json(content_type=None)
                except TimeoutError:
                    answers["no answer in 120 s"] += 1
                    latencies.append(time.perf_counter() - (due or started))
                    return
                except aiohttp.ClientError:
                    answers["connection-error"] += 1
                    await asyncio.sleep(0.1)
                    continue
                latencies.append(time.perf_counter() - (due or started))
                kind = "order" if r.status == 201 else str(body.get("type", r.status))
                answers[kind.split("/")[-1]] += 1
                return

        async def client(token: str) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(per_client):
                await attempt(headers)

        warm = asyncio.Semaphore(100)

        async def connect(token: str) -> None:
            """Before the clock: open the keep-alive connections, and each buyer is known to the
            server as it would be after watching the room (with several workers, to one)."""
            headers = {"Authorization": f"Bearer {token}"}
            async with warm, http.get(f"{url}/api/v1/users/me", headers=headers) as r:
                await r.read()

        async def offered(rate: float) -> None:
            """Open loop: attempt i starts at i/rate s whatever the answers so far (each
            buyer in turn); its time counts from then, so a late start is the server's delay."""
            auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
            begin = time.perf_counter()
            running = []
            for i in range(per_client * clients):
                due = begin + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                running.append(asyncio.create_task(attempt(auth[i % clients], due)))
            await asyncio.gather(*running)

        await asyncio.gather(*(connect(t) for t in tokens))
        everyone0, machine0, client0 = cpu_seconds(os.getpid()), machine_busy(), time.process_time()
        started = time.perf_counter()
        if rate is None:
            await asyncio.gather(*(client(t) for t in tokens))
        else:
            await offered(rate)
        elapsed = time.perf_counter() - started
        everyone1, machine1, client1 = cpu_seconds(os.getpid()), machine_busy(), time.process_time()
        async with http.get(f"{url}/api/v1/rooms/{room.room_id}") as r:
            left = (await r.json())["flash_sales"][0]["left"]
    return {
        "answers": dict(answers),
        "elapsed_s": round(elapsed, 2),
        "attempts_per_s": round(per_client * clients / elapsed),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "left": left,
        # CPU over the attempts: this process (the clients), the server processes beneath it,
        # and how busy the whole machine was (PostgreSQL and Redis included)
        "cpu_s": {
            "clients": round(client1 - client0, 1),
            "server": round((everyone1 - everyone0) - (client1 - client0), 1),
            "machine_busy_pct": round(
                100 * (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]), 1
            ),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help=f"REDIS_URL={REDIS_URL}")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--attempts", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument(
        "--rate",
        type=float,
        help="open loop: offer this many attempts/s in all (default: closed loop, every client "
        "buys again as soon as it has its answer)",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here")
    parser.add_argument(
        "--worker-process",
        action="store_true",
        help="the event dispatcher and scheduler in their own `trustlive worker` process, as in "
        "production (default: inside the server, competing with the attempts for its CPU)",
    )
    args = parser.parse_args()
    with database(args.db) as db_url, tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        redis_url = REDIS_URL if args.redis else None
        with served(
            db_url,
            redis_url=redis_url,
            log=log,
            workers=args.workers,
            separate_worker=args.worker_process,
        ) as url:
            result = asyncio.run(
                run(
                    url,
                    units=args.units,
                    attempts=args.attempts,
                    clients=args.clients,
                    rate=args.rate,
                )
            )
            orders = asyncio.run(count_orders(db_url))
        print(
            f"flash sale: db={args.db} redis={args.redis} units={args.units} "
            f"attempts={args.attempts} clients={args.clients} "
            f"{f'offered {args.rate:g}/s' if args.rate else 'closed loop'} "
            f"({args.workers} uvicorn worker(s), dispatcher "
            f"{'in its own process' if args.worker_process else 'in the server'}, "
            f"clients in this process; {os.cpu_count()} cores, {platform.python_version()})"
        )
        print(f"  orders in the database: {orders} (must be {args.units}); left: {result['left']}")
        for key in ("answers", "elapsed_s", "attempts_per_s", "p50_ms", "p99_ms", "cpu_s"):
            print(f"  {key}: {result[key]}")
        if args.keep_log:
            args.keep_log.write_bytes(log.read_bytes())
        if orders != args.units:
            tail = log.read_text(errors="replace")[-3000:]
            print(tail)
            raise SystemExit("WRONG: orders differ from units")


async def count_orders(db_url: str) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from trustlive.orders.models import Order

    engine = create_async_engine(db_url)
    async with engine.connect() as conn:
        count = int(await conn.scalar(select(func.count()).select_from(Order)) or 0)
    await engine.dispose()
    return count


if __name__ == "__main__":
    main()
