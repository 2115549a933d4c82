"""Benchmark: place + pay orders through the real HTTP app.

Starts the server (uvicorn, its own process) on a fresh database, sets up a merchant, a shop, a
listed product and one buyer per client through the HTTP API, then lets N concurrent clients
(aiohttp, in this process) each loop: POST /api/v1/orders, then POST /api/v1/orders/{id}/payments.

Run from the repository root:

    .venv/bin/python bench/order_placement.py --db sqlite|postgres [--workers 1] [--clients 64]
        [--seconds 30] [--warmup 3] [--json results.json]

PostgreSQL: a server on 127.0.0.1:5432, user postgres, trust auth; a throwaway database is made
and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import aiohttp

from cpu_usage import cpu_seconds, machine_busy

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
API = "/api/v1"
PASSWORD = "bench-password-1"
ADDRESS = {"recipient": "王小明", "phone": "13800138000", "province": "江西省", "city": "赣州市",
           "district": "章贡区", "detail": "红旗大道 88 号"}  # fmt: skip


@dataclass
class Stats:
    place_ms: list[float] = field(default_factory=list)
    pay_ms: list[float] = field(default_factory=list)
    pair_ms: list[float] = field(default_factory=list)
    errors: int = 0  # over the whole run, warm-up included
    elapsed: float = 0.0
    server_cpu_s: float = 0.0  # over the measured window, every server process together
    client_cpu_s: float = 0.0  # this process (the load generator), same window
    machine_busy: float = 0.0  # share of all cores busy over the measured window
    error_examples: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(text[:400])


def psql(sql: str) -> None:
    cmd = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql]
    subprocess.run(cmd, check=True, capture_output=True)


def make_database(kind: str, tmp: Path) -> tuple[str, str | None]:
    """Returns (DATABASE_URL, postgres database name to drop afterwards or None)."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / 'bench.db'}", None
    name = f"trustlive_bench_{uuid.uuid4().hex[:10]}"
    psql(f"CREATE DATABASE {name}")
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", name


def start_server(
    url: str, port: int, args: argparse.Namespace, log: Path
) -> subprocess.Popen[bytes]:
    """Migrate with `trustlive db upgrade`, then start uvicorn; the caller waits for /healthz."""
    env = {**os.environ, "DATABASE_URL": url, "PASSWORD_HASH_FAST": "true"}
    env |= {"RUN_BACKGROUND_JOBS": "true", "ENVIRONMENT": "development"}
    subprocess.run([str(VENV_BIN / "trustlive"), "db", "upgrade"], env=env, check=True, cwd=ROOT)
    cmd = [
        str(VENV_BIN / "python"), "-m", "uvicorn", "trustlive.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def wait_healthy(http: aiohttp.ClientSession, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            async with http.get("/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not answer /healthz within 60 s")


async def call(
    http: aiohttp.ClientSession, path: str, body: Any = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(API + path, json=body, headers=headers) as resp:
        text = await resp.text()
        if not 200 <= resp.status < 300:
            raise RuntimeError(f"setup: POST {path}: HTTP {resp.status}: {text[:300]}")
        return cast(dict[str, Any], json.loads(text))


async def user_token(http: aiohttp.ClientSession, name: str) -> str:
    await call(http, "/users", {"username": name, "display_name": name, "password": PASSWORD})
    login = await call(http, "/sessions", {"username": name, "password": PASSWORD})
    return str(login["token"])


async def setup(http: aiohttp.ClientSession, clients: int) -> tuple[list[str], list[str]]:
    """Merchant, shop, a listed product with 8 SKUs; returns (sku ids, buyer tokens)."""
    run = uuid.uuid4().hex[:6]
    merchant = await user_token(http, f"m_{run}")
    shop = await call(http, "/shops", {"name": f"果园 {run}"}, merchant)
    skus = [{"spec_name": f"{n}斤装", "price_fen": 990 + n, "stock": 1_000_000} for n in range(8)]
    product_in = {"title": "赣南脐橙 压测", "category": "fresh_food", "skus": skus,
                  "image_urls": ["https://img.example.com/a.jpg"]}  # fmt: skip
    product = await call(http, f"/shops/{shop['id']}/products", product_in, merchant)
    await call(http, f"/products/{product['id']}/list", None, merchant)
    tokens = await asyncio.gather(*(user_token(http, f"b_{run}_{i}") for i in range(clients)))
    return [str(s["id"]) for s in product["skus"]], list(tokens)


async def client(
    http: aiohttp.ClientSession, token: str, skus: list[str],
    measure_from: float, stop_at: float, stats: Stats,
) -> None:  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    while (t0 := time.perf_counter()) < stop_at:
        counted = t0 >= measure_from
        body = {"lines": [{"sku_id": random.choice(skus), "quantity": 1}], "address": ADDRESS}
        headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
        try:
            async with http.post(f"{API}/orders", json=body, headers=headers) as resp:
                text = await resp.text()
                placed = resp.status == 201
            t1 = time.perf_counter()
            if not placed:
                stats.error(f"placeOrder {resp.status}: {text}")
                continue
            order_id = json.loads(text)["id"]
            async with http.post(f"{API}/orders/{order_id}/payments", headers=auth) as resp:
                text = await resp.text()
                paid = resp.status == 200 and json.loads(text)["order"]["status"] == "paid"
            t2 = time.perf_counter()
        except (TimeoutError, aiohttp.ClientError, ValueError, KeyError) as exc:
            stats.error(f"client error: {exc!r}")
            continue
        if not counted:
            continue
        stats.place_ms.append((t1 - t0) * 1000)
        if not paid:
            stats.error(f"payOrder {resp.status}: {text}")
            continue
        stats.pay_ms.append((t2 - t1) * 1000)
        stats.pair_ms.append((t2 - t0) * 1000)


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": round(ordered[-1], 1)}


async def run_load(base: str, args: argparse.Namespace, proc: subprocess.Popen[bytes]) -> Stats:
    connector = aiohttp.TCPConnector(limit=args.clients + 4)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:
        await wait_healthy(http, proc)
        skus, tokens = await setup(http, args.clients)
        stats = Stats()
        measure_from = time.perf_counter() + args.warmup
        stop_at = measure_from + args.seconds
        load = asyncio.gather(
            *(client(http, t, skus, measure_from, stop_at, stats) for t in tokens)
        )
        await asyncio.sleep(args.warmup)
        server0, machine0, client0 = cpu_seconds(proc.pid), machine_busy(), time.process_time()
        await load
        stats.elapsed = time.perf_counter() - measure_from
        server1, machine1, client1 = cpu_seconds(proc.pid), machine_busy(), time.process_time()
    stats.server_cpu_s, stats.client_cpu_s = server1 - server0, client1 - client0
    stats.machine_busy = (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    return stats


def summary(stats: Stats) -> dict[str, Any]:
    paid, elapsed = len(stats.pair_ms), stats.elapsed
    return {
        "paid_orders": paid,
        "elapsed_s": round(elapsed, 2),
        "paid_orders_per_s": round(paid / elapsed, 1),
        "requests_per_s": round((len(stats.place_ms) + len(stats.pay_ms)) / elapsed, 1),
        "latency_ms": {
            "placeOrder": percentiles(stats.place_ms),
            "payOrder": percentiles(stats.pay_ms),
            "place+pay": percentiles(stats.pair_ms),
        },
        "server_cpu_cores": round(stats.server_cpu_s / elapsed, 2),
        "server_cpu_ms_per_paid_order": round(1000 * stats.server_cpu_s / max(1, paid), 1),
        "client_cpu_cores": round(stats.client_cpu_s / elapsed, 2),
        "machine_cpu_busy_pct": round(100 * stats.machine_busy, 1),
        "errors": stats.errors,
        "error_examples": stats.error_examples,
    }


def configuration(args: argparse.Namespace) -> dict[str, Any]:
    git = ["git", "describe", "--always", "--dirty"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True, check=False).stdout
    return {
        "db": args.db,
        "server_workers": args.workers,
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "loadavg_1m_before": round(os.getloadavg()[0], 2),
        "git_commit": commit.strip() or "unknown",
    }


def report(config: dict[str, Any], results: dict[str, Any]) -> None:
    print("configuration:")
    for key, value in config.items():
        print(f"  {key:15} {value}")
    print(f"paid orders/s   {results['paid_orders_per_s']}  ({results['paid_orders']} in "
          f"{results['elapsed_s']} s)")  # fmt: skip
    print(f"requests/s      {results['requests_per_s']}")
    print(f"server CPU      {results['server_cpu_cores']} cores, "
          f"{results['server_cpu_ms_per_paid_order']} ms per paid order")  # fmt: skip
    print(f"load generator  {results['client_cpu_cores']} cores")
    print(f"machine busy    {results['machine_cpu_busy_pct']}% of all cores (everything running)")
    print(f"errors          {results['errors']}")
    print(f"{'latency ms':15} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    for name, pct in results["latency_ms"].items():
        print(f"  {name:13} " + " ".join(f"{pct.get(k, float('nan')):8.1f}" for k in pct))
    for example in results["error_examples"]:
        print(f"  error example: {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=30, help="measured duration")
    parser.add_argument("--warmup", type=float, default=3, help="uncounted warm-up seconds")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    config = configuration(args)
    tmp = Path(tempfile.mkdtemp(prefix="trustlive-bench-"))
    url, pg_name = make_database(args.db, tmp)
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = tmp / "server.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        proc = start_server(url, port, args, log)
        print(f"server pid {proc.pid} on port {port}; log {log}", flush=True)
        results = summary(asyncio.run(run_load(f"http://127.0.0.1:{port}", args, proc)))
    except (RuntimeError, aiohttp.ClientError, subprocess.CalledProcessError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        print(log.read_text(errors="replace")[-3000:] if log.exists() else "", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            stop_server(proc)
        if pg_name is not None:
            psql(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
    report(config, results)
    if args.json:
        args.json.write_text(json.dumps({"config": config, "results": results}, indent=2) + "\n")
        shutil.copy(log, args.json.with_suffix(".server.log"))
    server_log = log.read_text(errors="replace")
    if server_log.strip():
        print(f"server log ({len(server_log.splitlines())} lines), tail:\n{server_log[-1500:]}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
