"""The outbox and its dispatcher.

Events are rows written in the producer's transaction. The dispatcher fans each event out to one
delivery row per subscribed handler, then runs each delivery in its own transaction that also marks
it done, so a handler's writes and its "delivered" mark commit together or not at all: exactly once
per handler, even when a process dies mid-way (the uncommitted delivery simply runs again).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trustlive.kernel.clock import Clock
from trustlive.kernel.committed import after_commit
from trustlive.kernel.events import Event, event_class
from trustlive.kernel.ids import new_id
from trustlive.kernel.models import OutboxDelivery, OutboxEvent
from trustlive.kernel.observability import (
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    current_request_id,
    request_id_var,
)

log = logging.getLogger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[AsyncSession, Any], Awaitable[None]]
Listener = Callable[[Any], None]
MAX_ATTEMPTS = 8
REGISTRY_KEY = "outbox.registry"  # Session.info key: the registry whose listeners hear commits
_delivering_at: contextvars.ContextVar[datetime] = contextvars.ContextVar("delivering_at")


def event_recorded_at() -> datetime:
    """When the event a handler is being given was recorded (its producer's `now`).

    Handlers that file what happened by date use this rather than the delivery time, so replaying
    the outbox history yields the same dates as live delivery did.
    """
    return _delivering_at.get()


def record_event(session: AsyncSession, event: Event, *, now: datetime) -> OutboxEvent:
    """Add an event to the caller's transaction: delivered only if that transaction commits."""
    row = OutboxEvent(
        id=new_id(),
        topic=event.topic,
        payload=event.to_payload(),
        created_at=now,
        request_id=current_request_id(),
    )
    session.add(row)
    registry = session.info.get(REGISTRY_KEY)
    if isinstance(registry, HandlerRegistry):
        for listener in registry.listeners(event.topic):
            after_commit(session, partial(listener, event))
    return row


@dataclass(frozen=True)
class Subscription:
    name: str
    handler: Handler


class HandlerRegistry:
    """Which handlers react to which topics; names are stable: deliveries are keyed on them."""

    def __init__(self) -> None:
        self._by_topic: dict[str, list[Subscription]] = defaultdict(list)
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(
        self,
        event_type: type[E],
        handler: Callable[[AsyncSession, E], Awaitable[None]],
        *,
        name: str | None = None,
    ) -> None:
        sub_name = name or f"{handler.__module__}.{handler.__qualname__}"
        subs = self._by_topic[event_type.topic]
        if any(s.name == sub_name for s in subs):
            raise ValueError(f"{sub_name} already handles {event_type.topic}")
        subs.append(Subscription(sub_name, handler))

    def on_commit(self, event_type: type[E], listener: Callable[[E], None]) -> None:
        """Call `listener` in the producer's process right after the producer's transaction commits.

        For announcements that must be immediate (a purchase shown in its live room) where a
        delivery's own transaction and the dispatcher's polling would add seconds under load. A
        listener never writes and may be missed if the process dies at that instant: anything that
        must not be lost is a `subscribe`d handler as well.
        """
        self._listeners[event_type.topic].append(listener)

    def listeners(self, topic: str) -> list[Listener]:
        return self._listeners.get(topic, [])

    def for_topic(self, topic: str) -> list[Subscription]:
        return self._by_topic.get(topic, [])

    def handler(self, topic: str, name: str) -> Handler | None:
        return next((s.handler for s in self.for_topic(topic) if s.name == name), None)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class Dispatcher:
    """Delivers outbox events to handlers: in the app, in a worker process, or stepped by tests."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], registry: HandlerRegistry, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._clock = clock
        self._wake = asyncio.Event()

    def nudge(self) -> None:
        """Something committed events: look now rather than at the next poll."""
        self._wake.set()

    async def fan_out(self, limit: int = 500) -> int:
        async with self._sessions() as session:
            now = self._clock.now()
            events = (
                await session.scalars(
                    select(OutboxEvent)
                    .where(OutboxEvent.fanned_out_at.is_(None))
                    .order_by(OutboxEvent.id)
                    .limit(limit)
                    # a second dispatcher skips events the first is fanning out (PostgreSQL;
                    # SQLite serialises writers anyway)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for event in events:
                for sub in self._registry.for_topic(event.topic):
                    session.add(
                        OutboxDelivery(
                            id=new_id(),
                            event_id=event.id,
                            handler=sub.name,
                            status="pending",
                            attempts=0,
                            next_attempt_at=now,
                        )
                    )
                event.fanned_out_at = now
            await session.commit()
            return len(events)

    async def deliver_due(self, limit: int = 200) -> int:
        async with self._sessions() as session:
            due = (
                await session.execute(
                    select(
                        OutboxDelivery.id,
                        OutboxDelivery.handler,
                        OutboxEvent.topic,
                        OutboxEvent.payload,
                        OutboxEvent.created_at,
                        OutboxEvent.request_id,
                    )
                    .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
                    .where(
                        OutboxDelivery.status == "pending",
                        OutboxDelivery.next_attempt_at <= self._clock.now(),
                    )
                    .order_by(OutboxDelivery.event_id, OutboxDelivery.id)
                    .limit(limit)
                )
            ).all()
        delivered = 0
        for delivery_id, handler_name, topic, payload, created_at, request_id in due:
            token = _delivering_at.set(created_at)
            request = request_id_var.set(request_id)  # the handler's log lines name the request
            try:
                delivered += await self._deliver(delivery_id, handler_name, topic, payload)
            finally:
                request_id_var.reset(request)
                _delivering_at.reset(token)
        return delivered

    async def _deliver(
        self, delivery_id: int, handler_name: str, topic: str, payload: dict[str, Any]
    ) -> int:
        handler = self._registry.handler(topic, handler_name)
        cls = event_class(topic)
        if handler is None or cls is None:
            return 0  # unsubscribed since fan-out; stays pending until a process knows it again
        try:
            async with self._sessions() as session:
                await handler(session, cls.from_payload(payload))
                claimed = await session.execute(
                    update(OutboxDelivery)
                    .where(OutboxDelivery.id == delivery_id, OutboxDelivery.status == "pending")
                    .values(
                        status="done",
                        delivered_at=self._clock.now(),
                        attempts=OutboxDelivery.attempts + 1,
                    )
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    await session.rollback()  # another dispatcher delivered it first
                    return 0
                await session.commit()
                OUTBOX_DELIVERED.labels(handler_name).inc()
                return 1
        except Exception as exc:
            OUTBOX_FAILED.labels(handler_name).inc()
            log.warning("handler %s failed on %s: %r", handler_name, topic, exc)
            await self._record_failure(delivery_id, exc)
            return 0

    async def _record_failure(self, delivery_id: int, exc: Exception) -> None:
        async with self._sessions() as session:
            row = await session.get(OutboxDelivery, delivery_id)
            if row is None or row.status != "pending":
                return
            row.attempts += 1
            row.last_error = repr(exc)[:2000]
            row.next_attempt_at = self._clock.now() + backoff(row.attempts)
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "dead"
            await session.commit()

    async def run_once(self) -> int:
        """Fan out and deliver until nothing is due; returns deliveries made."""
        total = 0
        while True:
            fanned = await self.fan_out()
            delivered = await self.deliver_due()
            total += delivered
            if not fanned and not delivered:
                return total

    async def run_forever(self, interval: float, stop: asyncio.Event | None = None) -> None:
        """Until `stop` is set (then nudge, to end the wait): a pass is never cut short, so no
        transaction is left open by a cancellation (on SQLite one would hold the write lock)."""
        while stop is None or not stop.is_set():
            self._wake.clear()  # before the pass: a nudge that arrives during it is not lost
            try:
                await self.run_once()
            except Exception:
                log.exception("dispatcher pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
