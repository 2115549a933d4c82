"""Messaging HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id


class MessageIn(InputModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    buyer_id: Id | None = None


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    thread_id: Id
    sender: str
    author_id: Id
    text: str
    sent_at: datetime
    first_reply_seconds: int | None


class ThreadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    shop_id: Id
    buyer_id: Id
    created_at: datetime
    last_message_at: datetime
    waiting_since: datetime | None
    messages: list[MessageOut] = []


class ThreadList(BaseModel):
    items: list[ThreadOut]
