"""One-use tickets that open a WebSocket without the bearer token in its URL (see
kernel.tickets): issued to a signed-in caller, redeemed once by the socket's endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.accounts.domain import Principal
from trustlive.accounts.service import get_user, principal_of
from trustlive.accounts.shared_state import spent_tickets
from trustlive.kernel.errors import NotFound, Unauthenticated
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.tickets import issue_ticket, read_ticket

REFUSED = "the ticket is unknown, expired or already used; ask for a new one"


def issue_socket_ticket(
    runtime: Runtime, principal: Principal, *, audience: str
) -> tuple[str, datetime]:
    return issue_ticket(
        runtime.settings.secret_key,
        subject=principal.user_id,
        audience=audience,
        now=runtime.clock.now(),
        ttl=timedelta(seconds=runtime.settings.channel_ticket_seconds),
    )


async def redeem_socket_ticket(
    runtime: Runtime, session: AsyncSession, ticket: str, *, audience: str
) -> Principal:
    """Who the ticket was issued to; raises Unauthenticated if it cannot be used (again)."""
    now = runtime.clock.now()
    claim = read_ticket(runtime.settings.secret_key, ticket, audience=audience, now=now)
    if claim is None or not await spent_tickets(runtime).spend(claim, now=now):
        raise Unauthenticated(REFUSED)
    try:
        return principal_of(await get_user(session, claim.subject))
    except NotFound as exc:
        raise Unauthenticated(REFUSED) from exc
