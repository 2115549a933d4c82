"""Logging in: the one use case that owns two short transactions instead of one.

A password check takes tens of milliseconds of CPU. Inside a transaction it would hold a
connection (and on SQLite the database's only write lock) all that time, so the credentials are
read in one transaction, checked off the event loop with none open, and the token is written in
a second. Failed attempts are rate limited per username and per client address (sliding window,
in Redis when configured so every worker shares the counts); an attempt over the limit is
refused before any password is checked, with the seconds to wait.
"""

from __future__ import annotations

import math
from datetime import timedelta

import redis.asyncio as aioredis

from trustlive.accounts import domain, service
from trustlive.accounts.errors import AccountError
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Problem, TooManyRequests
from trustlive.kernel.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from trustlive.kernel.runtime import Runtime

_LIMITER_KEY = "accounts.login_limiter"
REDIS_CONNECTIONS = 16  # per process, for login counts
REDIS_WAIT_SECONDS = 2.0


async def log_in(
    runtime: Runtime, *, username: str, password: str, address: str
) -> service.IssuedToken:
    settings = runtime.settings
    limits = domain.login_limits(
        username=username,
        address=address,
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window=timedelta(seconds=settings.login_failure_window_seconds),
    )
    limiter = login_limiter(runtime)
    admission = await limiter.hit(limits, now=runtime.clock.now())
    if not admission.admitted:
        raise TooManyRequests(
            "too many failed logins; wait before trying again",
            retry_after_seconds=math.ceil(admission.retry_after.total_seconds()),
            code=AccountError.TOO_MANY_LOGIN_ATTEMPTS,
        )
    try:
        async with runtime.sessions() as session:  # read only; ends before the slow check
            found = await service.credentials_of(session, username)
        matches = await runtime.passwords.verify(found[1] if found else None, password)
    except Exception:  # busy or broken, not a wrong password: it does not count
        await limiter.forget(limits, admission.entry)
        raise
    if found is None or not matches:  # the attempt stays counted as a failure
        raise Problem(AccountError.BAD_CREDENTIALS, "wrong username or password", status=401)
    await limiter.forget(limits, admission.entry)
    async with unit_of_work(runtime.sessions) as session:
        return await service.issue_token(
            session,
            user_id=found[0],
            ttl_seconds=settings.token_ttl_seconds,
            now=runtime.clock.now(),
        )


def login_limiter(runtime: Runtime) -> RateLimiter:
    """This runtime's limiter: Redis when REDIS_URL is set, else this process's memory."""
    limiter = runtime.extras.get(_LIMITER_KEY)
    if limiter is None:
        limiter = _build_limiter(runtime)
        runtime.extras[_LIMITER_KEY] = limiter
    assert isinstance(limiter, MemoryRateLimiter | RedisRateLimiter)
    return limiter


def _build_limiter(runtime: Runtime) -> RateLimiter:
    if not runtime.settings.redis_url:
        return MemoryRateLimiter()
    pool = aioredis.BlockingConnectionPool.from_url(
        runtime.settings.redis_url, max_connections=REDIS_CONNECTIONS, timeout=REDIS_WAIT_SECONDS
    )
    client = aioredis.Redis.from_pool(pool)
    runtime.closers.append(client.aclose)
    return RedisRateLimiter(client)
