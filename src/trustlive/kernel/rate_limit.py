"""Sliding-window rate limits: at most `max_events` per key within any `window`.

A sliding log: every admitted attempt is a timestamped entry that counts until it is `window`
old; nothing is ever locked for longer. `hit` checks all the given limits and records the attempt
under each of them in one atomic step, so concurrent attempts cannot slip past together; `forget`
takes an attempt back (a login that succeeded is no failure). Time comes from the caller (`now`),
so tests move a clock instead of sleeping.

Two stores behind one interface: this process's memory (the default, one process), or Redis
(sorted sets and a Lua script) so every worker sees the same counts.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import redis.asyncio as aioredis


@dataclass(frozen=True)
class Limit:
    key: str
    max_events: int
    window: timedelta


@dataclass(frozen=True)
class Admission:
    """`entry` names the recorded attempt (for `forget`); `retry_after` is zero when admitted."""

    admitted: bool
    retry_after: timedelta
    entry: str


class RateLimiter(Protocol):
    async def hit(self, limits: list[Limit], *, now: datetime) -> Admission: ...

    async def forget(self, limits: list[Limit], entry: str) -> None: ...


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class MemoryRateLimiter:
    """One process's counts; at most `max_keys` keys are kept (the least recently hit go first)."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._max_keys = max_keys
        self._logs: OrderedDict[str, deque[tuple[int, str]]] = OrderedDict()

    async def hit(self, limits: list[Limit], *, now: datetime) -> Admission:
        now_ms = _ms(now)
        wait_ms = 0
        for limit in limits:
            log = self._live_log(limit, now_ms)
            if len(log) >= limit.max_events:
                frees_at = log[len(log) - limit.max_events][0] + _window_ms(limit)
                wait_ms = max(wait_ms, frees_at - now_ms)
        if wait_ms > 0:
            return Admission(False, timedelta(milliseconds=wait_ms), "")
        entry = secrets.token_hex(8)
        for limit in limits:
            self._live_log(limit, now_ms).append((now_ms, entry))
        while len(self._logs) > self._max_keys:
            self._logs.popitem(last=False)
        return Admission(True, timedelta(0), entry)

    async def forget(self, limits: list[Limit], entry: str) -> None:
        for limit in limits:
            log = self._logs.get(limit.key)
            if log is not None:
                self._logs[limit.key] = deque(e for e in log if e[1] != entry)

    def _live_log(self, limit: Limit, now_ms: int) -> deque[tuple[int, str]]:
        log = self._logs.setdefault(limit.key, deque())
        self._logs.move_to_end(limit.key)
        while log and log[0][0] <= now_ms - _window_ms(limit):
            log.popleft()
        return log


def _window_ms(limit: Limit) -> int:
    return int(limit.window.total_seconds() * 1000)


# KEYS: one sorted set per limit. ARGV: now_ms, entry, then max_events and window_ms per key.
# Returns 0 when admitted (the entry is recorded under every key), else the milliseconds to wait.
_HIT = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= max then
    local oldest = redis.call('ZRANGE', key, count - max, count - max, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return 0
"""


class RedisRateLimiter:
    """Counts shared by every process that uses the same Redis database."""

    def __init__(self, client: aioredis.Redis, prefix: str = "tl:rate:") -> None:
        self._client = client
        self._prefix = prefix
        self._script = client.register_script(_HIT)

    async def hit(self, limits: list[Limit], *, now: datetime) -> Admission:
        entry = secrets.token_hex(8)
        args: list[int | str] = [_ms(now), entry]
        for limit in limits:
            args += [limit.max_events, _window_ms(limit)]
        wait_ms = int(await self._script(keys=[self._prefix + x.key for x in limits], args=args))
        if wait_ms > 0:
            return Admission(False, timedelta(milliseconds=wait_ms), "")
        return Admission(True, timedelta(0), entry)

    async def forget(self, limits: list[Limit], entry: str) -> None:
        async with self._client.pipeline(transaction=False) as pipe:
            for limit in limits:
                pipe.zrem(self._prefix + limit.key, entry)
            await pipe.execute()
