"""The Redis gate in front of a flash sale's database pool.

Per sale, Redis keeps the units left, each buyer's units and the idempotency keys that won them.
One script answers most attempts of a hot sale on its own — sold out, or this buyer's limit
reached — so they never touch the database; the rest go on to the database, which stays the
record: its conditional UPDATEs decide, so whatever Redis holds, no sale sells one unit more than
its quantity or lets a buyer past the limit. Redis can only be wrong towards refusing (after a
crash between a take and the commit); `reconcile` resets it from the database.

A buyer who holds units may be retrying the purchase that won them: its key is among the winners,
and such an attempt always goes on so the idempotency record can answer it with its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import redis.asyncio as aioredis

from trustlive.kernel.redis import redis_of
from trustlive.kernel.runtime import Runtime, Slot

LEFT = "tl:flash:{}:left"
HELD = "tl:flash:{}:held"  # buyer id -> units held (claims, as in flash_claims)
WINNERS = "tl:flash:{}:keys"  # "buyer:idempotency key" of every attempt that took units
LIMIT = "tl:flash:{}:limit"  # present only while WINNERS is complete (not after a reload)

DECIDE = """
local left = redis.call('GET', KEYS[1])
if not left then return {0, 0} end
if ARGV[3] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[1] .. ':' .. ARGV[3]) == 1 then
  return {0, 0}
end
local n = tonumber(ARGV[2])
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  local limit = redis.call('GET', KEYS[4])
  if not limit then return {0, 0} end
  if tonumber(held) + n > tonumber(limit) then return {2, tonumber(limit)} end
end
if tonumber(left) < n then return {1, 0} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {3, 0} end
return {0, 0}
"""
TAKE = """
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
if ARGV[3] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[2] .. ':' .. ARGV[3]) == 1 then
  return -3
end
local n = tonumber(ARGV[1])
if tonumber(left) < n then return -2 end
redis.call('HINCRBY', KEYS[2], ARGV[2], n)
if ARGV[3] ~= '' then redis.call('SADD', KEYS[3], ARGV[2] .. ':' .. ARGV[3]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return redis.call('DECRBY', KEYS[1], n)
"""
PUT_BACK = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[1]))
end
if ARGV[3] ~= '' then redis.call('SREM', KEYS[3], ARGV[2] .. ':' .. ARGV[3]) end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""
RELOAD = """
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ttl = tonumber(ARGV[1])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
if #ARGV >= 4 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
"""
MISSING, SHORT, ALREADY = -1, -2, -3  # ALREADY: this key took its units before (a retry)
KEEP_AFTER_END = timedelta(hours=1)


class Verdict(IntEnum):
    """What the gate can answer without the database."""

    GO_ON = 0  # the database decides (and the idempotency record may replay)
    SOLD_OUT = 1
    LIMIT_REACHED = 2
    NEW = 3  # the database decides, and no answer can be stored for this key: skip the lookup


@dataclass(frozen=True)
class Claim:
    """One attempt, as the gate sees it."""

    flash_sale_id: int
    buyer_id: int
    quantity: int
    key: str | None  # the attempt's Idempotency-Key
    taken: bool = True  # False: a retry riding on the units its key took before; gives none back

    def keys(self) -> list[str]:
        return list(_keys(self.flash_sale_id))

    def args(self) -> list[int | str]:
        return [self.buyer_id, self.quantity, self.key or ""]


@lru_cache(maxsize=256)
def _keys(flash_sale_id: int) -> tuple[str, ...]:
    """Built once per sale: every attempt on a hot sale needs them."""
    return tuple(k.format(flash_sale_id) for k in (LEFT, HELD, WINNERS, LIMIT))


def _ttl(ends_at: datetime, now: datetime) -> timedelta:
    """Counted on the injected clock, so simulated time and Redis agree."""
    return max(ends_at - now, timedelta(0)) + KEEP_AFTER_END


class FlashGate:
    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client
        self._decide = client.register_script(DECIDE)
        self._take = client.register_script(TAKE)
        self._put_back = client.register_script(PUT_BACK)
        self._reload = client.register_script(RELOAD)

    async def decide(self, claim: Claim) -> tuple[Verdict, int]:
        """One round trip, before the idempotency lookup: the hot path of a sold-out sale.
        With LIMIT_REACHED comes the sale's per-buyer limit, for the answer."""
        verdict, limit = await self._decide(keys=claim.keys(), args=claim.args())
        return Verdict(int(verdict)), int(limit)

    async def take(self, claim: Claim) -> int:
        """Units left after taking the claim's, or MISSING (not loaded), SHORT (not enough) or
        ALREADY (the claim's key took its units before: nothing more is taken)."""
        keys, (buyer, quantity, key) = claim.keys()[:3], claim.args()
        return int(await self._take(keys=keys, args=[quantity, buyer, key]))

    async def put_back(self, claim: Claim) -> None:
        """A taken claim whose order did not commit: units, the buyer's count and the key."""
        if not claim.taken:
            return
        keys, (buyer, quantity, key) = claim.keys()[:3], claim.args()
        await self._put_back(keys=keys, args=[quantity, buyer, key])

    async def give_back(self, flash_sale_id: int, quantity: int, *, buyer_id: int) -> None:
        """A cancelled order's units return; its key stays a winner (a retry gets that order).
        Only into a loaded counter: a missing one is reloaded from the database instead."""
        await self.put_back(Claim(flash_sale_id, buyer_id, quantity, None))

    async def load(
        self,
        flash_sale_id: int,
        left: int,
        *,
        per_buyer_limit: int,
        ends_at: datetime,
        now: datetime,
    ) -> None:
        """A new sale: nobody holds units yet, so the (empty) winners' list is complete."""
        ttl = _ttl(ends_at, now)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(LEFT.format(flash_sale_id), left, ex=ttl)
            pipe.set(LIMIT.format(flash_sale_id), per_buyer_limit, ex=ttl)
            pipe.delete(HELD.format(flash_sale_id), WINNERS.format(flash_sale_id))
            await pipe.execute()

    async def reload(
        self,
        flash_sale_id: int,
        left: int,
        held: dict[int, int],
        *,
        ends_at: datetime,
        now: datetime,
        only_if_missing: bool,
    ) -> bool:
        """Units left and buyers' units as the database has them. Which keys won is not known
        here, so the limit is not loaded and holders' attempts go on to the database."""
        ttl_ms = int(_ttl(ends_at, now).total_seconds() * 1000)
        pairs = [str(v) for buyer, units in held.items() for v in (buyer, units)]
        args = [ttl_ms, left, "1" if only_if_missing else "0", *pairs]
        keys = [LEFT.format(flash_sale_id), HELD.format(flash_sale_id)]
        return int(await self._reload(keys=keys, args=args)) == 1

    async def left(self, flash_sale_id: int) -> int | None:
        value = await self._redis.get(LEFT.format(flash_sale_id))
        return None if value is None else int(value)

    async def held(self, flash_sale_id: int) -> dict[int, int]:
        raw = await self._redis.hgetall(HELD.format(flash_sale_id))
        return {int(k): int(v) for k, v in raw.items()}


GATE: Slot[FlashGate] = Slot("live.flash_gate")


def gate_of(runtime: Runtime) -> FlashGate | None:
    """This process's gate (one per runtime) when REDIS_URL is set."""
    gate = GATE.get(runtime)
    if gate is None:
        client = redis_of(runtime)
        if client is None:
            return None
        gate = GATE.put(runtime, FlashGate(client))
    return gate
