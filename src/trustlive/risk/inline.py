"""The inline order check behind orders' port: velocity per buyer, device, address, payment and
phone, the shop's staff identifiers and banned identifiers decide allow / review / block before
the order commits. It records the order's identifiers (keyed digests) in the order's own
transaction; a review or block also joins the buyer's case.

An ordinary order costs no database round trip before its own writes: counts, the identifiers
staff used and banned identifiers are held in memory (see risk/velocity.py); only an identifier
another account shares asks the shop's staff table. What one process did not see (a staff login
served by another worker, older than a day) is left to the scheduled gang detector."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders, shops
from trustlive.kernel.clock import Clock
from trustlive.risk import cases
from trustlive.risk.domain import Detector, SubjectKind
from trustlive.risk.identifiers import order_digests
from trustlive.risk.models import BannedIdentifier, OrderIdentity
from trustlive.risk.policy import InlinePolicy
from trustlive.risk.velocity import (
    Signal,
    Velocity,
    banned_signals,
    decision,
    staff_signals,
    velocity_signals,
)

PERSONAL = ("device", "payment", "phone")  # identifiers one person (or household) holds


class BannedCache:
    """Banned identifiers, loaded from the database and reloaded every `refresh`; bans decided
    in this process are added at once."""

    def __init__(self, policy: InlinePolicy) -> None:
        self.refresh = policy.banned_refresh
        self.by_digest: dict[tuple[str, str], tuple[int, datetime | None]] = {}
        self.loaded_at: datetime | None = None

    async def matching(
        self, session: AsyncSession, digests: dict[str, str], now: datetime
    ) -> dict[str, int]:
        if self.loaded_at is None or now - self.loaded_at >= self.refresh:
            await self.reload(session, now)
        found: dict[str, int] = {}
        for kind, digest in digests.items():
            hit = self.by_digest.get((kind, digest))
            if hit is not None and (hit[1] is None or now < hit[1]):
                found[kind] = hit[0]
        return found

    async def reload(self, session: AsyncSession, now: datetime) -> None:
        rows = await session.execute(
            select(
                BannedIdentifier.kind,
                BannedIdentifier.digest,
                BannedIdentifier.account_id,
                BannedIdentifier.expires_at,
            )
        )
        self.by_digest = {(k, d): (a, e) for k, d, a, e in rows}
        self.loaded_at = now

    def add(self, kind: str, digest: str, account_id: int, expires_at: datetime | None) -> None:
        self.by_digest[(kind, digest)] = (account_id, expires_at)

    def remove(self, kind: str, digest: str) -> None:
        self.by_digest.pop((kind, digest), None)


async def _staff_among(
    session: AsyncSession, *, shop_id: int, seen: dict[str, set[int]]
) -> dict[str, set[int]]:
    """Which of the accounts seen on the order's identifiers are the shop's staff (one query,
    made only when another account shares an identifier: the unusual case)."""
    others = set().union(*seen.values()) if seen else set()
    if not others:
        return {}
    staff = await shops.users_with_permission(
        session, shop_id=shop_id, user_ids=others, permission=shops.Permission.VIEW_ORDERS
    )
    return {kind: accounts & staff for kind, accounts in seen.items() if accounts & staff}


class InlineOrderCheck:
    """orders.OrderCheck: the risk context's decision on every placed order."""

    def __init__(self, policy: InlinePolicy, key: bytes, clock: Clock) -> None:
        self.policy = policy
        self.key = key
        self.clock = clock
        self.velocity = Velocity(policy)
        self.banned = BannedCache(policy)

    def note_login(self, account_id: int, device: str | None, at: datetime) -> None:
        """A login's device, so the staff rule knows the devices staff use."""
        if device is not None:
            self.velocity.identifier.add(("login", device), at, account_id)

    def others_on(
        self, buyer_id: int, digests: dict[str, str], now: datetime
    ) -> dict[str, set[int]]:
        """Other accounts this process saw on the order's personal identifiers within the day
        (orders, and logins for devices)."""
        seen: dict[str, set[int]] = {}
        for kind in PERSONAL:
            digest = digests.get(kind)
            if digest is None:
                continue
            accounts = self.velocity.accounts_on(kind, digest, now)
            if kind == "device":
                accounts |= self.velocity.accounts_on("login", digest, now)
            accounts.discard(buyer_id)
            if accounts:
                seen[kind] = accounts
        return seen

    async def signals(
        self, session: AsyncSession, attempt: orders.OrderAttempt, digests: dict[str, str]
    ) -> list[Signal]:
        now = attempt.placed_at
        found = velocity_signals(
            self.velocity,
            buyer_id=attempt.buyer_id,
            shop_id=attempt.shop_id,
            digests=digests,
            now=now,
        )
        banned = await self.banned.matching(session, digests, now)
        found += banned_signals(banned, self.policy.banned_identifier_level)
        seen = self.others_on(attempt.buyer_id, digests, now)
        staff = await _staff_among(session, shop_id=attempt.shop_id, seen=seen)
        found += staff_signals(staff, self.policy.staff_identifier_level)
        return found

    async def check(
        self, session: AsyncSession, attempt: orders.OrderAttempt
    ) -> orders.CheckAnswer:
        digests = order_digests(
            self.key,
            shipping=attempt.shipping,
            device_id=attempt.client.device_id,
            client_address=attempt.client.address,
            payment_instrument=attempt.client.payment_instrument,
        )
        found = await self.signals(session, attempt, digests)
        level, first = decision(found)
        session.add(
            OrderIdentity(
                order_id=attempt.order_id,
                buyer_id=attempt.buyer_id,
                shop_id=attempt.shop_id,
                total_fen=attempt.total_fen,
                device=digests.get("device"),
                ip=digests.get("ip"),
                address=digests.get("address"),
                payment=digests.get("payment"),
                phone=digests.get("phone"),
                outcome=level,
                rule=first.rule if first else "",
                placed_at=attempt.placed_at,
            )
        )
        if level != "block":
            self.velocity.record(attempt.buyer_id, attempt.shop_id, digests, attempt.placed_at)
        if first is None:
            return orders.CheckAnswer(orders.Outcome.ALLOW)
        await _open_case(session, attempt, level, found)
        return orders.CheckAnswer(orders.Outcome(level), rule=first.rule, reason=first.reason)


async def _open_case(
    session: AsyncSession, attempt: orders.OrderAttempt, level: str, found: list[Signal]
) -> None:
    rules = sorted({s.rule for s in found})
    accounts = sorted({a for s in found for a in s.detail.get("accounts", ())} | {attempt.buyer_id})
    await cases.attach(
        session,
        kind=SubjectKind.ACCOUNT,
        subject_id=attempt.buyer_id,
        finding=cases.Finding(
            detector=Detector.INLINE,
            key=f"inline:{attempt.order_id}",
            summary=f"order check {level}: " + "; ".join(s.reason for s in found),
            detail={
                "outcome": level,
                "rules": rules,
                "order_id": str(attempt.order_id),
                "orders": [str(attempt.order_id)] if level != "block" else [],
                "shop_id": str(attempt.shop_id),
                "accounts": [str(a) for a in accounts],
                "total_fen": attempt.total_fen,
            },
        ),
        now=attempt.placed_at,
    )
