"""Password hashing off the event loop: a small thread pool with a bounded queue.

argon2 is slow on purpose (tens of milliseconds and 64 MiB each); run on the event loop it stalls
every request of the process. Here each hash or check runs in a pool of its own, so it neither
blocks the loop nor queues behind other thread work; when more checks wait than the pool can
serve soon, the caller is told at once that the service is busy (503) instead of waiting.

An unknown user is checked against a dummy hash made with the same parameters, so a login costs
the same whether the username exists or not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher

from trustlive.kernel.auth import verify_password
from trustlive.kernel.errors import Overloaded

T = TypeVar("T")
_DUMMY_PASSWORD = "timing-equaliser"


class PasswordHashing:
    def __init__(self, hasher: PasswordHasher, *, workers: int = 2, max_waiting: int = 32) -> None:
        self.hasher = hasher
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password")
        self._capacity = workers + max_waiting
        self._in_flight = 0
        self._dummy_hash: str | None = None

    @property
    def in_flight(self) -> int:
        """Hashes and checks running or waiting for a thread now."""
        return self._in_flight

    async def hash(self, password: str) -> str:
        return await self._run(self.hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Whether `password` matches; `None` (no such user) costs the same and is never true."""
        if stored_hash is None:
            await self._run(verify_password, self.hasher, await self.dummy_hash(), password)
            return False
        return await self._run(verify_password, self.hasher, stored_hash, password)

    async def dummy_hash(self) -> str:
        """Made once, in the pool, with the parameters real hashes have."""
        if self._dummy_hash is None:
            self._dummy_hash = await self._run(self.hasher.hash, _DUMMY_PASSWORD)
        return self._dummy_hash

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._in_flight >= self._capacity:
            raise Overloaded("too many logins are being checked right now; retry in a moment")
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, fn, *args)
        finally:
            self._in_flight -= 1

    async def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
