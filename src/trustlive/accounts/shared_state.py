"""What accounts keeps per runtime: the login limiter and the spent tickets, each in Redis when
REDIS_URL is set (shared by every worker) and in this process's memory otherwise."""

from __future__ import annotations

from trustlive.kernel.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from trustlive.kernel.redis import redis_of
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.tickets import MemorySpentTickets, RedisSpentTickets, SpentTickets

_LIMITER_KEY = "accounts.login_limiter"
_SPENT_KEY = "accounts.spent_tickets"


def login_limiter(runtime: Runtime) -> RateLimiter:
    limiter = runtime.extras.get(_LIMITER_KEY)
    if limiter is None:
        client = redis_of(runtime)
        limiter = MemoryRateLimiter() if client is None else RedisRateLimiter(client)
        runtime.extras[_LIMITER_KEY] = limiter
    assert isinstance(limiter, MemoryRateLimiter | RedisRateLimiter)
    return limiter


def spent_tickets(runtime: Runtime) -> SpentTickets:
    spent = runtime.extras.get(_SPENT_KEY)
    if spent is None:
        client = redis_of(runtime)
        spent = MemorySpentTickets() if client is None else RedisSpentTickets(client)
        runtime.extras[_SPENT_KEY] = spent
    assert isinstance(spent, MemorySpentTickets | RedisSpentTickets)
    return spent
