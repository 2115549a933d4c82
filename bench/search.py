"""Search benchmark: build a large index, then query it at a fixed rate.

    .venv/bin/python bench/search.py --products 100000 [--rate 100] [--seconds 20]
    .venv/bin/python bench/search.py --url postgresql+asyncpg://…/db   (emptied first)

Prints the index build time (terms: segmentation and pinyin; rows: inserting them, FTS or GIN
maintained as they go), then p50/p99 of the shelf's search (the engine's best `candidates`,
facets, trust × exploration re-ranking, impressions logged: what /api/v1/search does, without
HTTP) at `--rate` queries/s, open loop (a late answer delays none of the next queries), and beside
it the raw engine on the same queries: the bare full-text match ordered by rank, first 20.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import percentile
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings
from trustlive.shelf import searching
from trustlive.shelf.policy import load_policy
from trustlive.shelf.search import DocKind, SearchDocument, SearchQuery, SqlSearchEngine
from trustlive.shelf.search.sql import FTS_TABLE
from trustlive.shelf.text import index_terms, query_terms

CONCURRENCY = 8
ORIGINS = ["赣南", "烟台", "新疆", "云南", "东北", "山东", "海南", "四川", "福建", "内蒙古"]
ADJECTIVES = ["新鲜", "有机", "现摘", "特级", "精选", "手工", "原味", "进口", "正宗", "纯棉"]
NOUNS = [
    "苹果", "脐橙", "猕猴桃", "大米", "牛肉干", "核桃", "红枣", "蜂蜜", "茶叶", "腊肉",
    "T恤", "卫衣", "运动鞋", "双肩包", "面膜", "口红", "保温杯", "炒锅", "蓝牙耳机", "充电宝",
    "翡翠手镯", "珍珠项链", "纸尿裤", "奶粉", "床单", "枕头", "零食礼包", "坚果", "酸奶", "咖啡",
]  # fmt: skip
SPECS = ["5斤装", "10斤装", "礼盒装", "家庭装", "500g", "1kg", "大号", "小号", "两件套", "包邮"]
CATEGORIES = ["fresh_food", "snacks", "apparel", "shoes_bags", "beauty", "home", "electronics"]
GUARANTEES = ["seven_day_return", "instant_refund", "fast_shipping", "counterfeit_tenfold"]
TIERS = ["gold", "silver", "basic", "basic", "basic", "restricted"]


def title(rng: random.Random) -> str:
    return " ".join(
        [rng.choice(ORIGINS), rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(SPECS)]
    )


def typed_queries(rng: random.Random, n: int) -> list[str]:
    """What buyers type: a word, its first character, its pinyin or initials, two words."""
    queries = []
    for _ in range(n):
        noun = rng.choice(NOUNS)
        shape = rng.randrange(5)
        if shape == 0:
            queries.append(noun)
        elif shape == 1:
            queries.append(noun[0])
        elif shape == 2:
            queries.append(next(t for t in index_terms(noun) if t.isascii())[:5])
        elif shape == 3:
            queries.append(index_terms(noun)[-1])  # the initials
        else:
            queries.append(f"{rng.choice(ORIGINS)} {noun}")
    return queries


async def build(runtime: Runtime, engine: SqlSearchEngine, products: int) -> tuple[float, float]:
    rng = random.Random(11)
    now = datetime.now(UTC)
    terms_seconds = rows_seconds = 0.0
    batch = 1000
    for start in range(0, products, batch):
        t0 = time.perf_counter()
        documents = []
        for i in range(start, min(products, start + batch)):
            name = title(rng)
            documents.append(
                SearchDocument(
                    id=10_000_000 + i,
                    kind=DocKind.PRODUCT,
                    title=name,
                    terms=index_terms(name),
                    updated_at=now,
                    shop_id=1_000 + i % 5_000,
                    category=rng.choice(CATEGORIES),
                    price_fen=rng.randrange(500, 50_000),
                    in_stock=rng.random() < 0.9,
                    sales=int(rng.paretovariate(1.2)),
                    score=round(rng.uniform(0, 5), 2),
                    tier=rng.choice(TIERS),
                    traffic_weight=1.0,
                    guarantees=tuple(g for g in GUARANTEES if rng.random() < 0.4),
                    listed_at=now - timedelta(days=rng.randrange(120)),
                )
            )
        t1 = time.perf_counter()
        async with unit_of_work(runtime.sessions) as session:
            await engine.upsert(session, documents)
        terms_seconds += t1 - t0
        rows_seconds += time.perf_counter() - t1
    return terms_seconds, rows_seconds


def query_of(rng: random.Random, typed: str) -> SearchQuery:
    """Half the queries carry a filter, as the search page's chips do."""
    filters: dict[str, object] = {}
    roll = rng.random()
    if roll < 0.2:
        filters["category"] = rng.choice(CATEGORIES)
    elif roll < 0.35:
        filters["in_stock"] = True
    elif roll < 0.5:
        filters["price_max_fen"] = 10_000
    return SearchQuery(terms=query_terms(typed), limit=20, facets=True, **filters)  # type: ignore[arg-type]


async def raw_query(runtime: Runtime, engine: SqlSearchEngine, q: SearchQuery) -> None:
    """The engine alone: match, order by its rank, first 20 (the anchor)."""
    async with runtime.sessions() as session:
        if engine.postgres:
            expression = " & ".join(f"'{t}':*" for t in q.terms)
            await session.execute(
                text(
                    "SELECT id FROM shelf_search_doc WHERE terms_vector @@ CAST(:q AS tsquery) "
                    "ORDER BY ts_rank(terms_vector, CAST(:q AS tsquery)) DESC LIMIT 20"
                ),
                {"q": expression},
            )
        else:
            expression = " AND ".join(f'"{t}"*' for t in q.terms)
            await session.execute(
                text(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                    f"ORDER BY bm25({FTS_TABLE}) LIMIT 20"
                ),
                {"q": expression},
            )


async def shelf_query(runtime: Runtime, engine: SqlSearchEngine, q: SearchQuery) -> None:
    async with unit_of_work(runtime.sessions) as session:
        await searching.search(
            session,
            engine,
            q,
            viewer_id=None,
            surface="search",
            policy=load_policy(),
            now=datetime.now(UTC),
        )


async def at_rate(call: object, queries: list[SearchQuery], rate: float) -> list[float]:
    """Open loop: query i is due at i / rate and its latency counts from then; at most
    CONCURRENCY run at once (the pool's size), the rest wait in line, on the clock."""
    assert callable(call)
    latencies: list[float] = []
    gate = asyncio.Semaphore(CONCURRENCY)
    started = time.perf_counter()

    async def one(i: int, q: SearchQuery) -> None:
        due = started + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with gate:
            await call(q)
        latencies.append(time.perf_counter() - due)

    await asyncio.gather(*(one(i, q) for i, q in enumerate(queries)))
    return latencies


async def one_at_a_time(call: object, queries: list[SearchQuery]) -> list[float]:
    """Service time: each query alone."""
    assert callable(call)
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        await call(q)
        latencies.append(time.perf_counter() - t0)
    return latencies


async def main(args: argparse.Namespace, url: str) -> None:
    if True:
        settings = Settings(environment="test", database_url=url, database_pool_size=CONCURRENCY)
        runtime = Runtime.build(settings)
        engine = SqlSearchEngine("postgresql" if url.startswith("postgresql") else "sqlite")
        try:
            async with unit_of_work(runtime.sessions) as session:
                await engine.clear(session)
                await session.execute(text("DELETE FROM shelf_impression"))
                await session.execute(text("DELETE FROM shelf_arm"))
                await session.execute(text("DELETE FROM shelf_daily_delivery"))
            t0 = time.perf_counter()
            terms_s, rows_s = await build(runtime, engine, args.products)
            total = time.perf_counter() - t0
            if engine.postgres:
                async with runtime.engine.begin() as conn:
                    await conn.execute(text("ANALYZE shelf_search_doc"))
            rng = random.Random(5)
            count = int(args.rate * args.seconds)
            queries = [query_of(rng, t) for t in typed_queries(rng, count)]
            for q in queries[:50]:  # warm caches
                await raw_query(runtime, engine, q)
            serial_raw = await one_at_a_time(lambda q: raw_query(runtime, engine, q), queries[:200])
            serial_shelf = await one_at_a_time(
                lambda q: shelf_query(runtime, engine, q), queries[:200]
            )
            raw = await at_rate(lambda q: raw_query(runtime, engine, q), queries, args.rate)
            shelf_rate = args.shelf_rate or args.rate
            shelf = await at_rate(lambda q: shelf_query(runtime, engine, q), queries, shelf_rate)
        finally:
            await runtime.close()
    ms = 1000
    print(
        f"machine: {platform.machine()}, {platform.python_version()}; database: {url.split(':')[0]}"
    )
    print(f"index: {args.products:,} products built in {total:.1f} s "
          f"(terms {terms_s:.1f} s, rows {rows_s:.1f} s; "
          f"{args.products / total:,.0f}/s)")  # fmt: skip
    print(f"queries: {count:,} at {args.rate:g}/s open loop, half with a filter, facets on")
    if shelf_rate != args.rate:
        print(f"shelf search at {shelf_rate:g}/s (--shelf-rate): the same queries, slower")
    for name, lat in (
        ("raw engine, one at a time", serial_raw),
        ("shelf search, one at a time", serial_shelf),
        ("raw engine (match, rank, 20)", raw),
        ("shelf search", shelf),
    ):
        print(f"{name:30} p50 {percentile(lat, 0.5) * ms:7.1f} ms  "
              f"p99 {percentile(lat, 0.99) * ms:7.1f} ms  max {max(lat) * ms:7.1f} ms")  # fmt: skip
    print(f"ratio shelf/raw at p99: {percentile(shelf, 0.99) / percentile(raw, 0.99):.1f}×")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--shelf-rate", type=float, default=None, help="default: --rate")
    parser.add_argument("--url", default=None, help="a database to use (its shelf is emptied)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = arguments.url or f"sqlite+aiosqlite:///{Path(tmp) / 'search.db'}"
        upgrade(database_url)  # alembic runs its own event loop: before ours
        asyncio.run(main(arguments, database_url))
