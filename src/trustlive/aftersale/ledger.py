"""Deposits and the guarantee pay-out ledger.

A pay-out from the merchant's deposit always reaches the buyer: when the balance is short the
platform advances the difference, the balance goes negative (what the shop owes the platform), the
ledger row records how much was advanced, and the shop's next top-ups pay that back first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders, shops
from trustlive.aftersale.domain import Guarantee, Payer
from trustlive.aftersale.errors import AftersaleError
from trustlive.aftersale.events import GuaranteePaid
from trustlive.aftersale.models import DepositAccount, DepositEntry, GuaranteePayout
from trustlive.aftersale.policy import Policy, load_policy
from trustlive.kernel.errors import Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.kernel.settings import Settings


@dataclass(frozen=True)
class Config:
    """What after-sales needs besides the session: its policy and the payment provider's secret."""

    policy: Policy
    payment_secret: str


def config_from(settings: Settings) -> Config:
    """The packaged policy and this installation's payment secret."""
    return Config(load_policy(), settings.sandbox_payment_secret)


@dataclass(frozen=True)
class PayoutOrder:
    guarantee: Guarantee
    payer: Payer
    buyer_id: int
    shop_id: int
    order_id: int
    request_id: int | None
    amount_fen: int
    reason: str
    dedupe_key: str
    provider_ref: str | None = None  # set when the money already moved (a refund)


async def _account(session: AsyncSession, shop_id: int, now: datetime) -> DepositAccount:
    account = await session.scalar(
        select(DepositAccount).where(DepositAccount.shop_id == shop_id).with_for_update()
    )
    if account is not None:
        return account
    try:  # two first pay-outs of a shop at once: one creates the account, the other reuses it
        async with session.begin_nested():
            session.add(DepositAccount(shop_id=shop_id, balance_fen=0, updated_at=now))
    except IntegrityError:
        pass
    found = await session.scalar(
        select(DepositAccount).where(DepositAccount.shop_id == shop_id).with_for_update()
    )
    assert found is not None
    return found


async def _debit(
    session: AsyncSession, *, shop_id: int, amount_fen: int, payout_id: int, now: datetime
) -> int:
    """Take the pay-out from the deposit; returns how much the platform advanced."""
    account = await _account(session, shop_id, now)
    before = account.balance_fen
    advanced = max(0, amount_fen - max(before, 0))
    await session.execute(
        update(DepositAccount)
        .where(DepositAccount.shop_id == shop_id)
        .values(balance_fen=DepositAccount.balance_fen - amount_fen, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(account)
    session.add(
        DepositEntry(
            id=new_id(),
            shop_id=shop_id,
            kind="debit",
            amount_fen=-amount_fen,
            balance_after_fen=account.balance_fen,
            payout_id=payout_id,
            note=f"guarantee pay-out {payout_id}",
            created_at=now,
        )
    )
    return advanced


async def pay_guarantee(
    session: AsyncSession, order: PayoutOrder, *, cfg: Config, now: datetime
) -> GuaranteePayout:
    """Execute one guarantee once (by its dedupe key): move the money, debit, record, publish."""
    existing = await session.scalar(
        select(GuaranteePayout).where(GuaranteePayout.dedupe_key == order.dedupe_key)
    )
    if existing is not None:
        return existing
    payout_id = new_id()
    provider_ref = order.provider_ref or orders.pay_out_to_buyer(
        payout_id=payout_id,
        buyer_id=order.buyer_id,
        amount_fen=order.amount_fen,
        secret=cfg.payment_secret,
        now=now,
    )
    advanced = 0
    if order.payer == Payer.MERCHANT_DEPOSIT:
        advanced = await _debit(
            session,
            shop_id=order.shop_id,
            amount_fen=order.amount_fen,
            payout_id=payout_id,
            now=now,
        )
    row = GuaranteePayout(
        id=payout_id,
        dedupe_key=order.dedupe_key,
        guarantee=order.guarantee,
        payer=order.payer,
        buyer_id=order.buyer_id,
        shop_id=order.shop_id,
        order_id=order.order_id,
        request_id=order.request_id,
        amount_fen=order.amount_fen,
        platform_advanced_fen=advanced,
        provider_ref=provider_ref,
        reason=order.reason[:200],
        policy_version=cfg.policy.version,
        created_at=now,
    )
    session.add(row)
    record_event(
        session,
        GuaranteePaid(
            payout_id=payout_id,
            guarantee=order.guarantee,
            order_id=order.order_id,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            amount_fen=order.amount_fen,
            payer=order.payer,
        ),
        now=now,
    )
    await session.flush()
    return row


async def top_up(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    amount_fen: int,
    policy: Policy,
    now: datetime,
) -> DepositAccount:
    """The shop pays into its deposit (sandbox money arrives at once); debts are repaid first."""
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.MANAGE_SHOP
    )
    if amount_fen > policy.max_top_up_fen:
        raise Problem(
            AftersaleError.TOP_UP_TOO_LARGE,
            f"top up at most {policy.max_top_up_fen} fen at once",
            status=422,
        )
    account = await _account(session, shop_id, now)
    await session.execute(
        update(DepositAccount)
        .where(DepositAccount.shop_id == shop_id)
        .values(balance_fen=DepositAccount.balance_fen + amount_fen, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(account)
    session.add(
        DepositEntry(
            id=new_id(),
            shop_id=shop_id,
            kind="top_up",
            amount_fen=amount_fen,
            balance_after_fen=account.balance_fen,
            note="top-up",
            created_at=now,
        )
    )
    await session.flush()
    return account


async def owes_platform(session: AsyncSession, shop_id: int) -> bool:
    """A negative deposit: pay-outs the platform advanced and the shop has not topped up yet."""
    account = await session.get(DepositAccount, shop_id, populate_existing=True)
    return account is not None and account.balance_fen < 0


async def deposit_of(
    session: AsyncSession, *, shop_id: int, actor_id: int, now: datetime
) -> tuple[int, list[DepositEntry]]:
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.MANAGE_SHOP
    )
    account = await session.get(DepositAccount, shop_id)
    entries = await session.scalars(
        select(DepositEntry)
        .where(DepositEntry.shop_id == shop_id)
        .order_by(DepositEntry.id.desc())
        .limit(100)
    )
    return (account.balance_fen if account else 0), list(entries)


async def list_payouts(
    session: AsyncSession,
    *,
    shop_id: int | None,
    buyer_id: int | None,
    guarantee: str | None,
    before: int | None,
    limit: int,
) -> list[GuaranteePayout]:
    query = select(GuaranteePayout)
    if guarantee is not None:
        query = query.where(GuaranteePayout.guarantee == guarantee)
    if shop_id is not None:
        query = query.where(GuaranteePayout.shop_id == shop_id)
    if buyer_id is not None:
        query = query.where(GuaranteePayout.buyer_id == buyer_id)
    if before is not None:
        query = query.where(GuaranteePayout.id < before)
    return list(await session.scalars(query.order_by(GuaranteePayout.id.desc()).limit(limit)))
