"""The process's one Redis client, when REDIS_URL is set: flash-sale gates, room events across
workers, login failure counts and used channel tickets all share its bounded pool."""

from __future__ import annotations

import redis.asyncio as aioredis

from trustlive.kernel.runtime import Runtime, Slot

REDIS_CONNECTIONS = 256  # per process; a request waits up to REDIS_WAIT_SECONDS for one, then 503
REDIS_WAIT_SECONDS = 2.0
REDIS: Slot[aioredis.Redis] = Slot("kernel.redis")


def redis_of(runtime: Runtime) -> aioredis.Redis | None:
    """The shared asyncio Redis client, or None without REDIS_URL."""
    if not runtime.settings.redis_url:
        return None
    client = REDIS.get(runtime)
    if client is None:
        pool = aioredis.BlockingConnectionPool.from_url(
            runtime.settings.redis_url,
            max_connections=REDIS_CONNECTIONS,
            timeout=REDIS_WAIT_SECONDS,
        )
        client = REDIS.put(runtime, aioredis.Redis.from_pool(pool))  # closing it closes the pool
        runtime.closers.append(client.aclose)
    return client
