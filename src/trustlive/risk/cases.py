"""Cases: every detection opens its subject's case or joins it, with its evidence; every step
is audited. Flush only: the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.errors import NotFound
from trustlive.kernel.ids import new_id
from trustlive.risk.domain import CaseStatus, Detector, SubjectKind, reopened
from trustlive.risk.models import AuditEntry, Case, Evidence


@dataclass(frozen=True)
class Finding:
    """A detection, ready to attach: `key` names it so finding it again adds nothing."""

    detector: Detector
    key: str
    summary: str
    detail: Mapping[str, Any]


def audit(
    session: AsyncSession,
    *,
    case_id: int,
    actor_id: int | None,
    step: str,
    detail: Mapping[str, Any],
    now: datetime,
) -> None:
    session.add(
        AuditEntry(
            id=new_id(), case_id=case_id, actor_id=actor_id, step=step, detail=dict(detail), at=now
        )
    )


async def _case_of(session: AsyncSession, kind: SubjectKind, subject_id: int) -> Case | None:
    return await session.scalar(
        select(Case).where(Case.subject_kind == kind, Case.subject_id == subject_id)
    )


async def case_for(
    session: AsyncSession,
    *,
    kind: SubjectKind,
    subject_id: int,
    members: Collection[int] = (),
    now: datetime,
) -> Case:
    """The subject's case, opened if it has none (one per subject, even when two detections
    race: the unique subject refuses the second and it joins the first)."""
    found = await _case_of(session, kind, subject_id)
    if found is not None:
        if members and not set(members) <= set(found.members):
            found.members = sorted(set(found.members) | set(members))
        return found
    case = Case(
        id=new_id(),
        subject_kind=kind,
        subject_id=subject_id,
        status=CaseStatus.OPEN,
        members=sorted(set(members) | ({subject_id} if kind == SubjectKind.ACCOUNT else set())),
        summary="",
        evidence_count=0,
        opened_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(case)
            await session.flush()
    except IntegrityError:
        found = await _case_of(session, kind, subject_id)
        if found is None:
            raise
        return found
    audit(session, case_id=case.id, actor_id=None, step="opened", detail={}, now=now)
    return case


async def attach(
    session: AsyncSession,
    *,
    kind: SubjectKind,
    subject_id: int,
    finding: Finding,
    members: Collection[int] = (),
    now: datetime,
) -> tuple[Case, bool]:
    """Open or join the subject's case and attach the finding; (case, whether it was new).
    A finding already attached changes nothing."""
    case = await case_for(session, kind=kind, subject_id=subject_id, members=members, now=now)
    known = await session.scalar(
        select(Evidence.id).where(Evidence.case_id == case.id, Evidence.key == finding.key)
    )
    if known is not None:
        return case, False
    session.add(
        Evidence(
            id=new_id(),
            case_id=case.id,
            detector=finding.detector,
            key=finding.key,
            summary=finding.summary[:300],
            detail=dict(finding.detail),
            found_at=now,
        )
    )
    case.evidence_count += 1
    case.summary = finding.summary[:300]
    case.status = reopened(case.status)
    case.updated_at = now
    audit(
        session,
        case_id=case.id,
        actor_id=None,
        step="evidence",
        detail={"detector": str(finding.detector), "key": finding.key},
        now=now,
    )
    await session.flush()
    return case, True


async def get_case(session: AsyncSession, case_id: int) -> Case:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    return case


async def list_cases(
    session: AsyncSession, *, status: CaseStatus, before: int | None, limit: int
) -> list[Case]:
    """The queue, most recently touched first (keyset paging on the id)."""
    query = select(Case).where(Case.status == status).order_by(Case.id.desc()).limit(limit)
    if before is not None:
        query = query.where(Case.id < before)
    return list(await session.scalars(query))


async def evidence_of(session: AsyncSession, case_id: int) -> list[Evidence]:
    return list(
        await session.scalars(
            select(Evidence).where(Evidence.case_id == case_id).order_by(Evidence.id)
        )
    )


async def audit_of(session: AsyncSession, case_id: int) -> list[AuditEntry]:
    return list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
        )
    )


async def dismiss(
    session: AsyncSession, *, case_id: int, operator_id: int, note: str, now: datetime
) -> Case:
    """An operator found no violation: the case leaves the queue until new evidence comes."""
    case = await get_case(session, case_id)
    case.status = CaseStatus.DISMISSED
    case.updated_at = now
    audit(
        session,
        case_id=case.id,
        actor_id=operator_id,
        step="dismissed",
        detail={"note": note},
        now=now,
    )
    await session.flush()
    return case
