"""The port through which a message is screened before it is sent. The risk context plugs its
private-deal checks in; by default everything passes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.runtime import Runtime

SCREEN_KEY = "messaging.screen"  # where the composition root installs a MessageScreen


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
    found = rt.extras.get(SCREEN_KEY)
    return found if found is not None else AllowAllMessages()  # type: ignore[return-value]
