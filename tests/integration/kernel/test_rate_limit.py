"""The sliding-window limiter, in memory and in Redis (when REDIS_URL is set), on a moved clock."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from trustlive.kernel.rate_limit import Limit, MemoryRateLimiter, RateLimiter, RedisRateLimiter

REDIS_URL = os.environ.get("REDIS_URL")
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    if not REDIS_URL:
        pytest.skip("the Redis limiter needs REDIS_URL")
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        yield RedisRateLimiter(client, prefix=f"test:{uuid.uuid4().hex}:")
    finally:
        await client.aclose()


def _limit(key: str = "k", max_events: int = 3) -> Limit:
    return Limit(key, max_events, WINDOW)


async def test_the_window_slides_past_each_attempt(limiter: RateLimiter) -> None:
    limits = [_limit()]
    admitted = [
        (await limiter.hit(limits, now=T0 + timedelta(minutes=m))).admitted for m in (0, 1, 2)
    ]
    refused = await limiter.hit(limits, now=T0 + timedelta(minutes=3))
    just_before = await limiter.hit(limits, now=T0 + WINDOW - timedelta(milliseconds=1))
    freed_one = await limiter.hit(limits, now=T0 + WINDOW)
    refused_again = await limiter.hit(limits, now=T0 + WINDOW)

    assert admitted == [True, True, True]
    assert (refused.admitted, refused.retry_after) == (False, timedelta(minutes=12))
    assert (just_before.admitted, just_before.retry_after) == (False, timedelta(milliseconds=1))
    assert freed_one.admitted
    assert (refused_again.admitted, refused_again.retry_after) == (False, timedelta(minutes=1))


async def test_an_attempt_refused_by_one_limit_is_counted_by_none(limiter: RateLimiter) -> None:
    tight, loose = _limit("tight", 1), _limit("loose", 5)
    await limiter.hit([tight], now=T0)
    refused = await limiter.hit([tight, loose], now=T0)
    loose_alone = [(await limiter.hit([loose], now=T0)).admitted for _ in range(6)]

    assert not refused.admitted
    assert loose_alone == [True] * 5 + [False]


async def test_a_forgotten_attempt_no_longer_counts(limiter: RateLimiter) -> None:
    limits = [_limit(max_events=1)]
    first = await limiter.hit(limits, now=T0)
    await limiter.forget(limits, first.entry)
    second = await limiter.hit(limits, now=T0)

    assert second.admitted


async def test_concurrent_attempts_cannot_slip_past_together(limiter: RateLimiter) -> None:
    limits = [_limit(max_events=3)]
    results = await asyncio.gather(*(limiter.hit(limits, now=T0) for _ in range(20)))

    assert sum(r.admitted for r in results) == 3


async def test_memory_keeps_at_most_max_keys() -> None:
    limiter = MemoryRateLimiter(max_keys=2)
    for key in ("a", "b", "c"):
        await limiter.hit([_limit(key, 1)], now=T0)

    again_a = await limiter.hit([_limit("a", 1)], now=T0)  # "a" was evicted
    again_c = await limiter.hit([_limit("c", 1)], now=T0)

    assert (again_a.admitted, again_c.admitted) == (True, False)
