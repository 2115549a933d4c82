"""What accounts keeps per runtime: the login limiter and the spent tickets, each in Redis when
REDIS_URL is set (shared by every worker) and in this process's memory otherwise."""

from __future__ import annotations

import redis.asyncio as aioredis

from trustlive.kernel.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.tickets import MemorySpentTickets, RedisSpentTickets, SpentTickets

REDIS_CONNECTIONS = 16  # per process, for login counts and tickets
REDIS_WAIT_SECONDS = 2.0
_REDIS_KEY = "accounts.redis"
_LIMITER_KEY = "accounts.login_limiter"
_SPENT_KEY = "accounts.spent_tickets"


def login_limiter(runtime: Runtime) -> RateLimiter:
    limiter = runtime.extras.get(_LIMITER_KEY)
    if limiter is None:
        client = _redis(runtime)
        limiter = MemoryRateLimiter() if client is None else RedisRateLimiter(client)
        runtime.extras[_LIMITER_KEY] = limiter
    assert isinstance(limiter, MemoryRateLimiter | RedisRateLimiter)
    return limiter


def spent_tickets(runtime: Runtime) -> SpentTickets:
    spent = runtime.extras.get(_SPENT_KEY)
    if spent is None:
        client = _redis(runtime)
        spent = MemorySpentTickets() if client is None else RedisSpentTickets(client)
        runtime.extras[_SPENT_KEY] = spent
    assert isinstance(spent, MemorySpentTickets | RedisSpentTickets)
    return spent


def _redis(runtime: Runtime) -> aioredis.Redis | None:
    if not runtime.settings.redis_url:
        return None
    client = runtime.extras.get(_REDIS_KEY)
    if client is None:
        pool = aioredis.BlockingConnectionPool.from_url(
            runtime.settings.redis_url,
            max_connections=REDIS_CONNECTIONS,
            timeout=REDIS_WAIT_SECONDS,
        )
        client = aioredis.Redis.from_pool(pool)  # closing the client closes its pool
        runtime.extras[_REDIS_KEY] = client
        runtime.closers.append(client.aclose)
    assert isinstance(client, aioredis.Redis)
    return client
