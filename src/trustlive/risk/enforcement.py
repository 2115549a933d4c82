"""Enforcement: an operator's action on a case (with reason, clause and expiry), its effects
through other contexts' facades, the subject's one appeal and its decision, and expiry.
Effects other contexts read through risk's facade (traffic factor, frozen settlement, banned
rooms) are read from the actions in force; flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, catalog
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.risk import cases
from trustlive.risk.domain import (
    ActionKind,
    ActionStatus,
    AppealFacts,
    CaseStatus,
    SubjectKind,
    check_action_fits,
    check_appealable,
    expiry,
    in_force,
)
from trustlive.risk.errors import RiskError
from trustlive.risk.inline import BannedCache
from trustlive.risk.models import (
    Action,
    BannedIdentifier,
    Case,
    Exclusion,
    LoginIdentity,
    OrderIdentity,
)
from trustlive.risk.policy import EnforcementPolicy

# One person's identifiers; shipping addresses, recipient phones and client addresses are shared by
# offices, campuses and carriers, so banning them would shut innocent buyers out.
BANNED_KINDS = ("device", "payment")


@dataclass(frozen=True)
class Decision:
    kind: ActionKind
    reason: str
    clause: str
    days: int | None = None  # None: the policy's default for the kind; 0: no expiry
    factor: float | None = None  # limit_traffic
    product_ids: tuple[int, ...] = ()  # remove_products
    room_id: int | None = None  # ban_room


def _targets(case: Case) -> tuple[str, list[int]]:
    if case.subject_kind == SubjectKind.SHOP:
        return "shop", [case.subject_id]
    return "account", sorted(
        set(case.members)
        | ({case.subject_id} if case.subject_kind == SubjectKind.ACCOUNT else set())
    )


def _params(decision: Decision) -> dict[str, Any]:
    if decision.kind == ActionKind.LIMIT_TRAFFIC:
        if decision.factor is None or not 0 <= decision.factor < 1:
            raise Problem(
                RiskError.BAD_ACTION_PARAMS,
                "limit_traffic needs a factor from 0 (no traffic) up to but not 1",
                status=422,
            )
        return {"factor": decision.factor}
    if decision.kind == ActionKind.REMOVE_PRODUCTS:
        if not decision.product_ids:
            raise Problem(RiskError.BAD_ACTION_PARAMS, "name the products to remove", status=422)
        return {"product_ids": [str(p) for p in decision.product_ids]}
    if decision.kind == ActionKind.BAN_ROOM:
        if decision.room_id is None:
            raise Problem(RiskError.BAD_ACTION_PARAMS, "name the room to ban", status=422)
        return {"room_id": str(decision.room_id)}
    return {}


async def _flagged_by_evidence(session: AsyncSession, case: Case) -> tuple[set[int], set[int]]:
    """The accounts and orders the case's evidence names (suspects, ring members, orders)."""
    found_accounts: set[int] = set(case.members)
    found_orders: set[int] = set()
    for evidence in await cases.evidence_of(session, case.id):
        found_accounts |= {int(a) for a in evidence.detail.get("accounts", ())}
        found_orders |= {int(o) for o in evidence.detail.get("orders", ())}
    return found_accounts, found_orders


async def _identifiers_of(session: AsyncSession, account_ids: list[int]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    logins = await session.scalars(
        select(LoginIdentity.device).where(
            LoginIdentity.account_id.in_(account_ids), LoginIdentity.device.is_not(None)
        )
    )
    found |= {("device", d) for d in logins if d}
    for kind in BANNED_KINDS:
        column = getattr(OrderIdentity, kind)
        values = await session.scalars(
            select(column)
            .where(OrderIdentity.buyer_id.in_(account_ids), column.is_not(None))
            .distinct()
        )
        found |= {(kind, v) for v in values if v}
    return found


async def _apply(
    session: AsyncSession, action: Action, case: Case, banned: BannedCache, now: datetime
) -> dict[str, Any]:
    """Carry out the action; returns what it did, for the audit."""
    kind = ActionKind(action.kind)
    if kind == ActionKind.REMOVE_PRODUCTS:
        removed = []
        for product_id in (int(p) for p in action.params["product_ids"]):
            facts = await catalog.product_facts(session, product_id)
            if facts.shop_id != case.subject_id:
                raise Problem(
                    RiskError.BAD_ACTION_PARAMS,
                    f"product {product_id} is not this shop's",
                    status=422,
                )
            if await catalog.delist_by_platform(session, product_id=product_id, now=now):
                removed.append(str(product_id))
        return {"removed": removed}
    if kind == ActionKind.CLOSE_ACCOUNT:
        closed = [
            str(a)
            for a in action.target_ids
            if await accounts.close_account(session, user_id=a, now=now)
        ]
        ids = await _identifiers_of(session, action.target_ids)
        for id_kind, digest in sorted(ids):
            existing = await session.get(BannedIdentifier, (id_kind, digest))
            if existing is None:
                session.add(
                    BannedIdentifier(
                        kind=id_kind,
                        digest=digest,
                        account_id=action.target_ids[0],
                        action_id=action.id,
                        banned_at=now,
                        expires_at=action.expires_at,
                    )
                )
            banned.add(id_kind, digest, action.target_ids[0], action.expires_at)
        return {"closed": closed, "banned_identifiers": len(ids)}
    if kind == ActionKind.EXCLUDE_FROM_SCORES:
        flagged_accounts, flagged_orders = await _flagged_by_evidence(session, case)
        if case.subject_kind == SubjectKind.SHOP:
            flagged_accounts.discard(case.subject_id)  # a shop id is no account
        rows = [("account", a) for a in flagged_accounts] + [("order", o) for o in flagged_orders]
        for row_kind, subject_id in rows:
            if await session.get(Exclusion, (row_kind, subject_id)) is None:
                session.add(
                    Exclusion(kind=row_kind, subject_id=subject_id, action_id=action.id, at=now)
                )
        return {"accounts": len(flagged_accounts), "orders": len(flagged_orders)}
    return {}


async def decide(
    session: AsyncSession,
    *,
    case_id: int,
    operator_id: int,
    decision: Decision,
    policy: EnforcementPolicy,
    banned: BannedCache,
    now: datetime,
) -> Action:
    case = await cases.get_case(session, case_id)
    check_action_fits(decision.kind, SubjectKind(case.subject_kind))
    target_kind, target_ids = _targets(case)
    action = Action(
        id=new_id(),
        case_id=case.id,
        kind=decision.kind,
        target_kind=target_kind,
        target_ids=target_ids,
        params=_params(decision),
        reason=decision.reason,
        clause=decision.clause,
        status=ActionStatus.IN_FORCE,
        decided_by=operator_id,
        decided_at=now,
        expires_at=expiry(decision.kind, days=decision.days, defaults=policy.default_days, now=now),
    )
    session.add(action)
    await session.flush()
    done = await _apply(session, action, case, banned, now)
    case.status = CaseStatus.ACTIONED
    case.updated_at = now
    cases.audit(
        session,
        case_id=case.id,
        actor_id=operator_id,
        step=f"action.{decision.kind}",
        detail={
            "action_id": str(action.id),
            "reason": decision.reason,
            "clause": decision.clause,
            **done,
        },
        now=now,
    )
    await session.flush()
    return action


async def get_action(session: AsyncSession, action_id: int) -> Action:
    action = await session.get(Action, action_id)
    if action is None:
        raise NotFound("decision", action_id)
    return action


async def actions_of_case(session: AsyncSession, case_id: int) -> list[Action]:
    return list(
        await session.scalars(select(Action).where(Action.case_id == case_id).order_by(Action.id))
    )


async def appeal(
    session: AsyncSession,
    *,
    action: Action,
    user_id: int,
    text: str,
    policy: EnforcementPolicy,
    now: datetime,
) -> Action:
    """The subject's one appeal (the caller checked the user may speak for the subject)."""
    check_appealable(
        AppealFacts(action.status, action.decided_at, action.appealed_at),
        window=policy.appeal_window,
        now=now,
    )
    action.appeal_text = text
    action.appealed_by = user_id
    action.appealed_at = now
    case = await cases.get_case(session, action.case_id)
    case.status = CaseStatus.OPEN  # back in the queue, for the appeal
    case.updated_at = now
    cases.audit(
        session,
        case_id=action.case_id,
        actor_id=user_id,
        step="appealed",
        detail={"action_id": str(action.id)},
        now=now,
    )
    await session.flush()
    return action


async def _undo(session: AsyncSession, action: Action, banned: BannedCache) -> None:
    kind = ActionKind(action.kind)
    if kind == ActionKind.CLOSE_ACCOUNT:
        for account in action.target_ids:
            await accounts.reopen_account(session, user_id=account)
        rows = await session.scalars(
            select(BannedIdentifier).where(BannedIdentifier.action_id == action.id)
        )
        for row in rows:
            banned.remove(row.kind, row.digest)
        await session.execute(
            delete(BannedIdentifier).where(BannedIdentifier.action_id == action.id)
        )
    elif kind == ActionKind.EXCLUDE_FROM_SCORES:
        await session.execute(delete(Exclusion).where(Exclusion.action_id == action.id))


async def decide_appeal(
    session: AsyncSession,
    *,
    action_id: int,
    operator_id: int,
    overturn: bool,
    note: str,
    banned: BannedCache,
    now: datetime,
) -> Action:
    action = await get_action(session, action_id)
    if action.appealed_at is None or action.appeal_decided_at is not None:
        raise Conflict(RiskError.APPEAL_NOT_PENDING, "this decision has no appeal waiting")
    action.appeal_note = note
    action.appeal_decided_by = operator_id
    action.appeal_decided_at = now
    if overturn:
        action.status = ActionStatus.OVERTURNED
        await _undo(session, action, banned)
    case = await cases.get_case(session, action.case_id)
    case.status = CaseStatus.ACTIONED
    case.updated_at = now
    cases.audit(
        session,
        case_id=action.case_id,
        actor_id=operator_id,
        step="appeal.overturned" if overturn else "appeal.upheld",
        detail={"action_id": str(action.id), "note": note},
        now=now,
    )
    await session.flush()
    return action


async def lift_expired(session: AsyncSession, *, banned: BannedCache, now: datetime) -> int:
    """Actions past their expiry are lifted (closed accounts reopen, bans end); audited."""
    due = list(
        await session.scalars(
            select(Action).where(
                Action.status == ActionStatus.IN_FORCE,
                Action.expires_at.is_not(None),
                Action.expires_at <= now,
            )
        )
    )
    for action in due:
        action.status = ActionStatus.LIFTED
        await _undo(session, action, banned)
        cases.audit(
            session,
            case_id=action.case_id,
            actor_id=None,
            step="expired",
            detail={"action_id": str(action.id)},
            now=now,
        )
    await session.flush()
    return len(due)


async def _in_force(
    session: AsyncSession, kind: ActionKind, target_kind: str, now: datetime
) -> list[Action]:
    rows = await session.scalars(
        select(Action).where(
            Action.kind == kind,
            Action.status == ActionStatus.IN_FORCE,
            Action.target_kind == target_kind,
        )
    )
    return [a for a in rows if in_force(a.status, a.expires_at, now)]


async def traffic_factor(session: AsyncSession, *, shop_id: int, now: datetime) -> float:
    """What the shelf multiplies a shop's traffic weight by: 1.0 unless a limit is in force."""
    limits = [
        float(a.params["factor"])
        for a in await _in_force(session, ActionKind.LIMIT_TRAFFIC, "shop", now)
        if shop_id in a.target_ids
    ]
    return min(limits, default=1.0)


async def settlement_frozen(
    session: AsyncSession,
    *,
    shop_id: int | None = None,
    account_id: int | None = None,
    now: datetime,
) -> bool:
    """Whether pay-outs to the shop (merchant settlement) or the account (creator commission)
    are held by a freeze in force."""
    for target_kind, target in (("shop", shop_id), ("account", account_id)):
        if target is None:
            continue
        for action in await _in_force(session, ActionKind.FREEZE_SETTLEMENT, target_kind, now):
            if target in action.target_ids:
                return True
    return False


async def room_banned(session: AsyncSession, *, room_id: int, now: datetime) -> bool:
    for target_kind in ("shop", "account"):
        for action in await _in_force(session, ActionKind.BAN_ROOM, target_kind, now):
            if action.params.get("room_id") == str(room_id):
                return True
    return False


class ExclusionByVerdict:
    """trust.RatingExclusion: the accounts and orders verdicts took out of every score."""

    async def excluded_accounts(self, session: AsyncSession) -> set[int]:
        return set(
            await session.scalars(select(Exclusion.subject_id).where(Exclusion.kind == "account"))
        )

    async def excluded_orders(self, session: AsyncSession) -> set[int]:
        return set(
            await session.scalars(select(Exclusion.subject_id).where(Exclusion.kind == "order"))
        )
