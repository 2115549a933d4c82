"""Messaging HTTP API."""

from __future__ import annotations

from fastapi import APIRouter, status

from trustlive.accounts import CurrentUser
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit
from trustlive.messaging import schemas, service
from trustlive.messaging.screening import screen_of

router = APIRouter(tags=["messaging"])


@router.post(
    "/shops/{shop_id}/messages",
    operation_id="sendMessage",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.MessageOut,
)
async def send_message(
    shop_id: Id, body: schemas.MessageIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.MessageOut:
    """A buyer writes to the shop; the shop's staff answer by naming buyer_id."""
    message = await service.send(
        tx,
        shop_id=shop_id,
        author_id=me.user_id,
        buyer_id=body.buyer_id,
        text=body.text,
        now=rt.clock.now(),
        screen=screen_of(rt),
    )
    return schemas.MessageOut.model_validate(message)


@router.get(
    "/message-threads", operation_id="listMessageThreads", response_model=schemas.ThreadList
)
async def list_threads(
    me: CurrentUser,
    tx: Tx,
    shop_id: Id | None = None,
    limit: Limit = 20,
) -> schemas.ThreadList:
    rows = await service.list_threads(tx, viewer_id=me.user_id, shop_id=shop_id, limit=limit)
    return schemas.ThreadList(items=[schemas.ThreadOut.model_validate(t) for t in rows])


@router.get(
    "/message-threads/{thread_id}",
    operation_id="getMessageThread",
    response_model=schemas.ThreadOut,
)
async def get_thread(thread_id: Id, me: CurrentUser, tx: Tx) -> schemas.ThreadOut:
    view = await service.get_thread(tx, thread_id=thread_id, viewer=me)
    out = schemas.ThreadOut.model_validate(view.thread)
    out.messages = [schemas.MessageOut.model_validate(m) for m in view.messages]
    return out
