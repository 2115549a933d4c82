"""Count the SQL statements and commits one paid order costs on the request path.

Drives the real app in-process (httpx over ASGI, background jobs off, so the dispatcher's
deliveries are not counted) on a fresh database, warms up with a few orders, then counts what
placeOrder and payOrder each send to the database for one more order. Prints the statements by
kind so the next redesign knows where they go. Deterministic: run it anywhere.

    .venv/bin/python bench/order_statements.py [--db sqlite|postgres] [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from trustlive.app import create_app
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings

ADDRESS = {"recipient": "王小明", "phone": "13800138000", "province": "江西省", "city": "赣州市",
           "district": "章贡区", "detail": "红旗大道 88 号"}  # fmt: skip
PASSWORD = "bench-password-1"


class Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.commits = 0

    def reset(self) -> None:
        self.statements, self.commits = [], 0


def _kind(sql: str) -> str:
    words = sql.split()
    head = words[0].upper() if words else "?"
    table = next((w for w in words[1:8] if w.islower() or w.startswith('"')), "")
    if head == "SELECT" and " FROM " in sql:
        table = sql.split(" FROM ", 1)[1].split()[0]
    elif head in ("INSERT", "UPDATE", "DELETE"):
        table = words[2] if head != "UPDATE" else words[1]
    return f"{head} {table.strip(chr(34))}".strip()


async def _post(client: httpx.AsyncClient, path: str, body: Any, **headers: str) -> Any:
    r = await client.post(path, json=body, headers=headers)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def run(url: str, show: bool) -> None:
    settings = Settings(
        environment="test", database_url=url, password_hash_fast=True, run_background_jobs=False
    )
    runtime = Runtime.build(settings)
    recorder = Recorder()
    engine = runtime.engine.sync_engine

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            recorder.statements.append(statement)

    @event.listens_for(engine, "commit")
    def _commit(_c: Any) -> None:
        recorder.commits += 1

    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        api = "/api/v1"
        for name in ("merchant", "buyer"):
            await _post(client, f"{api}/users", {"username": name, "display_name": name,
                                                  "password": PASSWORD})  # fmt: skip
        tokens = {}
        for name in ("merchant", "buyer"):
            login = await _post(client, f"{api}/sessions", {"username": name, "password": PASSWORD})
            tokens[name] = {"Authorization": f"Bearer {login['token']}"}
        merchant = tokens["merchant"]
        shop = await client.post(f"{api}/shops", json={"name": "测试小店"}, headers=merchant)
        assert shop.status_code == 201, shop.text
        shop_id = shop.json()["id"]
        product = await client.post(
            f"{api}/shops/{shop_id}/products",
            json={"title": "纯棉T恤", "category": "apparel", "image_urls": ["https://img.example.com/t.jpg"],
                  "skus": [{"spec_name": "L", "price_fen": 9900, "stock": 1000}]},
            headers=tokens["merchant"],
        )  # fmt: skip
        product_id, sku_id = product.json()["id"], product.json()["skus"][0]["id"]
        listed = await client.post(f"{api}/products/{product_id}/list", headers=tokens["merchant"])
        assert listed.status_code == 200, listed.text
        body = {"lines": [{"sku_id": sku_id, "quantity": 1}], "address": ADDRESS}
        for _ in range(3):  # warm caches (tokens, compiled statements)
            order = await _post(client, f"{api}/orders", body, **tokens["buyer"],
                                **{"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
            await _post(client, f"{api}/orders/{order['id']}/payments", None, **tokens["buyer"])
        figures = {}
        recorder.reset()
        order = await _post(client, f"{api}/orders", body, **tokens["buyer"],
                            **{"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
        figures["placeOrder"] = (list(recorder.statements), recorder.commits)
        recorder.reset()
        await _post(client, f"{api}/orders/{order['id']}/payments", None, **tokens["buyer"])
        figures["payOrder"] = (list(recorder.statements), recorder.commits)
    await runtime.close()
    total_s = total_c = 0
    for operation, (statements, commits) in figures.items():
        total_s += len(statements)
        total_c += commits
        print(f"{operation}: {len(statements)} statements, {commits} commits")
        for kind, n in sorted(Counter(_kind(s) for s in statements).items()):
            print(f"  {n:>2} × {kind}")
        if show:
            for s in statements:
                print("     ", " ".join(s.split())[:160])
    print(f"paid order on the request path: {total_s} statements, {total_c} commits "
          f"(target ≤ 8 and ≤ 2)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--show", action="store_true", help="print every statement")
    args = parser.parse_args()
    if args.db == "sqlite":
        folder = Path(tempfile.mkdtemp())
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        upgrade(url)
        asyncio.run(run(url, args.show))
        return
    name = f"tl_statements_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-q", "postgresql://postgres@127.0.0.1:5432/postgres", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        upgrade(url)
        asyncio.run(run(url, args.show))
    finally:
        subprocess.run([*psql, f"DROP DATABASE {name} WITH (FORCE)"], check=True)


if __name__ == "__main__":
    main()
