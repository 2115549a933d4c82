"""Messaging use cases: a buyer writes to a shop, the shop's staff answer, both read the thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import shops
from trustlive.accounts import Principal
from trustlive.kernel.errors import NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.messaging.domain import Sender, after_message
from trustlive.messaging.errors import MessagingError
from trustlive.messaging.events import MessageSent
from trustlive.messaging.models import Message, MessageThread
from trustlive.messaging.screening import AllowAllMessages, MessageScreen


@dataclass(frozen=True)
class ThreadView:
    thread: MessageThread
    messages: list[Message]


async def _staff(session: AsyncSession, shop_id: int, user_id: int) -> bool:
    return await shops.has_permission(
        session, shop_id=shop_id, user_id=user_id, permission=shops.Permission.HANDLE_AFTERSALE
    )


async def _thread_of(session: AsyncSession, shop_id: int, buyer_id: int) -> MessageThread | None:
    return await session.scalar(
        select(MessageThread)
        .where(MessageThread.shop_id == shop_id, MessageThread.buyer_id == buyer_id)
        .with_for_update()
    )


async def _open_thread(
    session: AsyncSession, shop_id: int, buyer_id: int, now: datetime
) -> MessageThread:
    """One thread per buyer and shop: an upsert on the unique pair, not check-then-insert."""
    thread = await _thread_of(session, shop_id, buyer_id)
    if thread is not None:
        return thread
    thread = MessageThread(
        id=new_id(), shop_id=shop_id, buyer_id=buyer_id, created_at=now, last_message_at=now
    )
    try:
        async with session.begin_nested():
            session.add(thread)
    except IntegrityError:  # the buyer's other message created it a moment ago
        found = await _thread_of(session, shop_id, buyer_id)
        assert found is not None
        return found
    return thread


async def send(
    session: AsyncSession,
    *,
    shop_id: int,
    author_id: int,
    buyer_id: int | None,
    text: str,
    now: datetime,
    screen: MessageScreen | None = None,
) -> Message:
    """Without buyer_id the author writes as a buyer; with it, as the shop's staff to that buyer.
    A message the screen refuses is not sent (422, naming the rule)."""
    await shops.get_shop(session, shop_id)
    if buyer_id is None:
        if await shops.has_permission(
            session, shop_id=shop_id, user_id=author_id, permission=shops.Permission.VIEW_ORDERS
        ):
            raise Problem(MessagingError.OWN_SHOP, "staff answer buyers; name the buyer_id")
        sender, buyer_id = Sender.BUYER, author_id
        thread = await _open_thread(session, shop_id, buyer_id, now)
    else:
        if not await _staff(session, shop_id, author_id):
            raise NotFound("shop", shop_id)
        sender = Sender.SHOP
        found = await _thread_of(session, shop_id, buyer_id)
        if found is None:
            raise Problem(MessagingError.NO_THREAD, "the buyer has not written yet", status=404)
        thread = found
    refusal = await (screen or AllowAllMessages()).screen(
        session, thread_key=f"shop:{shop_id}:buyer:{buyer_id}", author_id=author_id, text=text
    )
    if refusal is not None:
        raise Problem(
            MessagingError.MESSAGE_REFUSED,
            f"this message breaks a rule: {refusal.reason}",
            status=422,
            rule=refusal.rule,
            clause=refusal.clause,
            span=refusal.span,
        )
    clock = after_message(sender, thread.waiting_since, now)
    thread.waiting_since = clock.waiting_since
    thread.last_message_at = now
    message = Message(
        id=new_id(),
        thread_id=thread.id,
        sender=sender,
        author_id=author_id,
        text=text,
        sent_at=now,
        first_reply_seconds=clock.first_reply_seconds,
    )
    session.add(message)
    record_event(
        session,
        MessageSent(
            thread_id=thread.id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            sender=sender,
            sent_at=now.isoformat(),
            first_reply_seconds=clock.first_reply_seconds,
        ),
        now=now,
    )
    await session.flush()
    return message


async def get_thread(session: AsyncSession, *, thread_id: int, viewer: Principal) -> ThreadView:
    thread = await session.get(MessageThread, thread_id)
    visible = thread is not None and (
        thread.buyer_id == viewer.user_id or await _staff(session, thread.shop_id, viewer.user_id)
    )
    if thread is None or not visible:
        raise NotFound("message thread", thread_id)
    messages = await session.scalars(
        select(Message).where(Message.thread_id == thread_id).order_by(Message.id).limit(500)
    )
    return ThreadView(thread, list(messages))


async def list_threads(
    session: AsyncSession, *, viewer_id: int, shop_id: int | None, limit: int
) -> list[MessageThread]:
    """A shop's threads for its staff, or the caller's own threads as a buyer."""
    query = select(MessageThread)
    if shop_id is not None:
        await shops.require_permission(
            session,
            shop_id=shop_id,
            user_id=viewer_id,
            permission=shops.Permission.HANDLE_AFTERSALE,
        )
        query = query.where(MessageThread.shop_id == shop_id)
    else:
        query = query.where(MessageThread.buyer_id == viewer_id)
    query = query.order_by(MessageThread.last_message_at.desc(), MessageThread.id.desc())
    return list(await session.scalars(query.limit(limit)))
