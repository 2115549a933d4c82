"""The Redis gate in front of a flash sale's database pool.

A per-sale counter of units left, taken by an atomic decrement-if-enough script: most losing
attempts are answered "sold out" without touching the database, which stays the record (its
conditional UPDATE still decides). Units go back to the counter when a database step fails, so a
crash in between can only leave Redis under-counting; `reconcile` resets it from the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import redis.asyncio as aioredis

KEY = "tl:flash:{}:left"
BUYERS = "tl:flash:{}:buyers"  # who ever took units: only they can hold an answer to replay
TAKE = """
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
left = tonumber(left)
local n = tonumber(ARGV[1])
if left < n then return -2 end
redis.call('SADD', KEYS[2], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return redis.call('DECRBY', KEYS[1], n)
"""
SOLD_OUT_FOR = """
local left = redis.call('GET', KEYS[1])
if left == false or tonumber(left) > 0 then return 0 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
return 1
"""
GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return -1
"""
MISSING, SHORT = -1, -2
KEEP_AFTER_END = timedelta(hours=1)


def _keys(flash_sale_id: int) -> list[str]:
    return [KEY.format(flash_sale_id), BUYERS.format(flash_sale_id)]


def _ttl(ends_at: datetime, now: datetime) -> timedelta:
    """Counted on the injected clock, so simulated time and Redis agree."""
    return max(ends_at - now, timedelta(0)) + KEEP_AFTER_END


class FlashGate:
    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client
        self._take = client.register_script(TAKE)
        self._give_back = client.register_script(GIVE_BACK)
        self._sold_out_for = client.register_script(SOLD_OUT_FOR)

    async def take(self, flash_sale_id: int, quantity: int, *, buyer_id: int) -> int:
        """Units left after taking `quantity`, or MISSING (not loaded) or SHORT (not enough)."""
        return int(await self._take(keys=_keys(flash_sale_id), args=[quantity, buyer_id]))

    async def sold_out_for(self, flash_sale_id: int, buyer_id: int) -> bool:
        """Sold out, and this buyer never took a unit: the answer needs neither the database nor
        the idempotency record (a retry of a purchase that succeeded can only come from a buyer
        who took a unit). One round trip, the hot path of a sold-out sale."""
        return int(await self._sold_out_for(keys=_keys(flash_sale_id), args=[buyer_id])) == 1

    async def give_back(self, flash_sale_id: int, quantity: int) -> None:
        """Only into a loaded counter: a missing one is reloaded from the database instead."""
        await self._give_back(keys=[KEY.format(flash_sale_id)], args=[quantity])

    async def load(
        self, flash_sale_id: int, left: int, *, ends_at: datetime, now: datetime
    ) -> None:
        await self._redis.set(KEY.format(flash_sale_id), left, ex=_ttl(ends_at, now))

    async def load_if_missing(
        self, flash_sale_id: int, left: int, *, ends_at: datetime, now: datetime
    ) -> None:
        await self._redis.set(KEY.format(flash_sale_id), left, ex=_ttl(ends_at, now), nx=True)

    async def left(self, flash_sale_id: int) -> int | None:
        value = await self._redis.get(KEY.format(flash_sale_id))
        return None if value is None else int(value)
