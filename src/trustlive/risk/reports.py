"""Buyers' reports of a room, product, comment or shop: each joins the case of whoever answers
for the target (a shop, or a creator's or commenter's account)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, live, shops
from trustlive.kernel.errors import Conflict
from trustlive.kernel.ids import new_id
from trustlive.risk import cases
from trustlive.risk.domain import Detector, ReportTarget, SubjectKind
from trustlive.risk.errors import RiskError
from trustlive.risk.models import Report


async def subject_of(
    session: AsyncSession, target: ReportTarget, target_id: int
) -> tuple[SubjectKind, int, dict[str, str]]:
    """Who answers for the target (404 when it does not exist), and what to show of it."""
    if target == ReportTarget.SHOP:
        await shops.get_shop(session, target_id)
        return SubjectKind.SHOP, target_id, {}
    if target == ReportTarget.PRODUCT:
        facts = await catalog.product_facts(session, target_id)
        return SubjectKind.SHOP, facts.shop_id, {}
    if target == ReportTarget.ROOM:
        owner = await live.room_owner(session, target_id)
        if owner.shop_id is not None:
            return SubjectKind.SHOP, owner.shop_id, {}
        return SubjectKind.ACCOUNT, owner.user_id, {}
    comment = await live.comment_facts(session, target_id)
    return SubjectKind.ACCOUNT, comment.author_id, {"comment_text": comment.text}


async def report(
    session: AsyncSession,
    *,
    reporter_id: int,
    target: ReportTarget,
    target_id: int,
    reason: str,
    text: str,
    now: datetime,
) -> Report:
    """One report per reporter and target; a second is refused (409)."""
    known = await session.scalar(
        select(Report.id).where(
            Report.reporter_id == reporter_id,
            Report.target_kind == target,
            Report.target_id == target_id,
        )
    )
    if known is not None:
        raise Conflict(RiskError.ALREADY_REPORTED, "you already reported this; we are on it")
    kind, subject_id, shown = await subject_of(session, target, target_id)
    report_id = new_id()
    case, _ = await cases.attach(
        session,
        kind=kind,
        subject_id=subject_id,
        finding=cases.Finding(
            detector=Detector.REPORT,
            key=f"report:{report_id}",
            summary=f"a buyer reported a {target}: {reason}",
            detail={
                "target": str(target),
                "target_id": str(target_id),
                "reason": reason,
                "text": text,
                "reporter_id": str(reporter_id),
                **shown,
            },
        ),
        now=now,
    )
    row = Report(
        id=report_id,
        reporter_id=reporter_id,
        target_kind=target,
        target_id=target_id,
        reason=reason,
        text=text,
        case_id=case.id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row
