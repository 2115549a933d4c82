"""The runtime every entry point builds once (app, CLI, simulator, tests) and hands around."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trustlive.kernel import ids
from trustlive.kernel.auth import make_password_hasher
from trustlive.kernel.clock import Clock, SystemClock
from trustlive.kernel.db import make_engine, make_sessionmaker
from trustlive.kernel.outbox import REGISTRY_KEY, Dispatcher, HandlerRegistry
from trustlive.kernel.passwords import PasswordHashing
from trustlive.kernel.scheduler import Scheduler
from trustlive.kernel.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    registry: HandlerRegistry
    dispatcher: Dispatcher
    scheduler: Scheduler
    password_hasher: PasswordHasher
    passwords: PasswordHashing
    extras: dict[object, object] = field(default_factory=dict)  # reach them through a Slot
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @classmethod
    def build(
        cls, settings: Settings, clock: Clock | None = None, engine: AsyncEngine | None = None
    ) -> Runtime:
        """`engine` replaces the one the settings describe (the simulator brings its own)."""
        clock = clock or SystemClock()
        worker = settings.worker_id if settings.worker_id is not None else os.getpid() % 1024
        ids.configure(worker)  # one number per process: two uvicorn workers never share ids
        engine = engine or make_engine(settings.database_url, pool_size=settings.database_pool_size)
        registry = HandlerRegistry()
        sessions = make_sessionmaker(engine, info={REGISTRY_KEY: registry})
        dispatcher = Dispatcher(sessions, registry, clock)
        scheduler = Scheduler(sessions, clock, after_commit=dispatcher.nudge)
        hasher = make_password_hasher(fast=settings.password_hash_fast)
        passwords = PasswordHashing(
            hasher,
            workers=settings.password_hash_workers,
            max_waiting=settings.password_hash_queue,
        )
        runtime = cls(
            settings, clock, engine, sessions, registry, dispatcher, scheduler, hasher, passwords
        )
        runtime.closers.append(passwords.close)
        return runtime

    async def close(self) -> None:
        """Close what contexts opened (latest first: channels, Redis clients), then the engine."""
        while self.closers:
            await self.closers.pop()()
        await self.engine.dispose()


T = TypeVar("T")


class Slot(Generic[T]):
    """A typed place in the runtime for what a context builds once per process (a channel, a
    gate, a port's implementation): `SLOT.get(rt)` is a `T`, not an `object` to check."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def get(self, runtime: Runtime) -> T | None:
        return cast("T | None", runtime.extras.get(self))

    def put(self, runtime: Runtime, value: T) -> T:
        runtime.extras[self] = value
        return value

    def get_or_make(self, runtime: Runtime, make: Callable[[], T]) -> T:
        found = self.get(runtime)
        return found if found is not None else self.put(runtime, make())
