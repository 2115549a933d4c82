"""Short-lived one-use tickets: a credential that may travel in a URL where a token must not.

A browser cannot set headers on a WebSocket, and a query string ends up in access logs, proxies
and browser history. So a page trades its bearer token (over an authenticated POST) for a ticket
that names one user and one audience (e.g. one room's channel), lives seconds and opens one
socket. Tickets are HMAC-signed with the secret key, so any worker can check them; that a ticket
was already used is remembered until it expires (in Redis when configured, so across workers).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import redis.asyncio as aioredis

PREFIX = "tlt_"


@dataclass(frozen=True)
class TicketClaim:
    subject: int
    nonce: str
    expires_at: datetime


def _signature(secret: str, audience: str, payload: str) -> str:
    mac = hmac.new(secret.encode(), f"{audience}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def issue_ticket(
    secret: str, *, subject: int, audience: str, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    """A ticket for `subject` to present to `audience` before the returned expiry."""
    expires_at = now + ttl
    payload = f"{subject}.{int(expires_at.timestamp())}.{secrets.token_urlsafe(16)}"
    return f"{PREFIX}{payload}.{_signature(secret, audience, payload)}", expires_at


def read_ticket(secret: str, ticket: str, *, audience: str, now: datetime) -> TicketClaim | None:
    """The ticket's claim if it is genuine, meant for `audience` and not expired; else None."""
    if not ticket.startswith(PREFIX) or len(ticket) > 200:
        return None
    payload, _, signature = ticket[len(PREFIX) :].rpartition(".")
    if not hmac.compare_digest(signature, _signature(secret, audience, payload)):
        return None
    subject, expiry, nonce = payload.split(".", 2)
    expires_at = datetime.fromtimestamp(int(expiry), UTC)
    if now >= expires_at:
        return None
    return TicketClaim(int(subject), nonce, expires_at)


class SpentTickets(Protocol):
    async def spend(self, claim: TicketClaim, *, now: datetime) -> bool:
        """True the first time a ticket is spent, False ever after (until it expires)."""
        ...


class MemorySpentTickets:
    def __init__(self) -> None:
        self._spent: dict[str, datetime] = {}

    async def spend(self, claim: TicketClaim, *, now: datetime) -> bool:
        if len(self._spent) > 1000:
            self._spent = {n: at for n, at in self._spent.items() if at > now}
        if claim.nonce in self._spent:
            return False
        self._spent[claim.nonce] = claim.expires_at
        return True


class RedisSpentTickets:
    def __init__(self, client: aioredis.Redis, prefix: str = "tl:ticket:") -> None:
        self._client = client
        self._prefix = prefix

    async def spend(self, claim: TicketClaim, *, now: datetime) -> bool:
        ttl_ms = max(1, int((claim.expires_at - now).total_seconds() * 1000))
        first = await self._client.set(self._prefix + claim.nonce, 1, nx=True, px=ttl_ms)
        return bool(first)
