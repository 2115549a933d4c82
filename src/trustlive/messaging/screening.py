"""The port through which a message is screened before it is sent. The risk context plugs its
private-deal checks in; by default everything passes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.runtime import Runtime, Slot

SCREEN_KEY: Slot[MessageScreen] = Slot("messaging.screen")  # the composition root fills it


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str
    clause: str
    span: str  # what matched (normalised)


class MessageScreen(Protocol):
    async def screen(
        self, session: AsyncSession, *, thread_key: str, author_id: int, text: str
    ) -> Refusal | None: ...


class AllowAllMessages:
    async def screen(
        self, session: AsyncSession, *, thread_key: str, author_id: int, text: str
    ) -> Refusal | None:
        return None


def screen_of(rt: Runtime) -> MessageScreen:
    return SCREEN_KEY.get(rt) or AllowAllMessages()
