"""Trust reacts to orders, reviews, after-sales and messaging events: counters, then scores."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import aftersale, messaging, orders, reviews
from trustlive.kernel.events import Event
from trustlive.kernel.outbox import HandlerRegistry, event_recorded_at
from trustlive.trust import service
from trustlive.trust.context import HANDLER_NAME, TrustContext
from trustlive.trust.ingest import apply_event

EVENT_TYPES: tuple[type[Event], ...] = (
    orders.OrderPlaced,
    orders.OrderPaid,
    orders.OrderShipped,
    orders.OrderReceived,
    orders.OrderCancelled,
    reviews.ReviewCreated,
    aftersale.AftersaleRequestOpened,
    aftersale.AftersaleRequestDecided,
    aftersale.RefundPaid,
    aftersale.DisputeOpened,
    aftersale.DisputeDecided,
    aftersale.GuaranteePaid,
    messaging.MessageSent,
)
TOPICS = frozenset(t.topic for t in EVENT_TYPES)


def on_event(ctx: TrustContext) -> Callable[[AsyncSession, Event], Awaitable[None]]:
    async def update_scores(session: AsyncSession, event: Event) -> None:
        at = event_recorded_at()
        subjects = await apply_event(session, event.topic, event.to_payload(), at, ctx)
        await service.refresh(
            session, subjects, policy=ctx.policy, hooks=ctx.hooks, now=ctx.clock.now()
        )

    return update_scores


def register(registry: HandlerRegistry, ctx: TrustContext) -> None:
    handler = on_event(ctx)
    for event_type in EVENT_TYPES:
        registry.subscribe(event_type, handler, name=HANDLER_NAME)
