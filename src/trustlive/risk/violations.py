"""Text violations on their way to cases. A blocked comment, message or product text rolls its
own transaction back, so the text screens note findings here, in memory, and a job writes them
down every scheduler tick and opens a case for an author who reached the policy's count.
Findings noted in the last tick before a crash are lost; the blocks themselves are not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.ids import new_id
from trustlive.risk import cases
from trustlive.risk.domain import Detector, SubjectKind
from trustlive.risk.models import TextViolation
from trustlive.risk.policy import CasePolicy
from trustlive.risk.text import Finding

MAX_PENDING = 100_000  # past this (a stalled job) the oldest notes go first


@dataclass(frozen=True, slots=True)
class Noted:
    subject_kind: SubjectKind
    subject_id: int
    place: str
    rule: str
    clause: str
    span: str
    blocked: bool
    at: datetime


class ViolationLog:
    def __init__(self) -> None:
        self.pending: list[Noted] = []

    def note(
        self,
        kind: SubjectKind,
        subject_id: int,
        place: str,
        findings: tuple[Finding, ...],
        *,
        blocked: bool,
        at: datetime,
    ) -> None:
        for f in findings:
            self.pending.append(
                Noted(kind, subject_id, place, str(f.rule), f.clause, f.span[:100], blocked, at)
            )
        if len(self.pending) > MAX_PENDING:
            del self.pending[: len(self.pending) - MAX_PENDING]

    def take(self) -> list[Noted]:
        taken, self.pending = self.pending, []
        return taken


async def write_down(
    session: AsyncSession, log: ViolationLog, policy: CasePolicy, now: datetime
) -> int:
    """Record the noted findings; authors at the policy's count within its window get a case
    with their findings attached. Returns how many findings were written."""
    noted = log.take()
    for n in noted:
        session.add(
            TextViolation(
                id=new_id(),
                subject_kind=n.subject_kind,
                subject_id=n.subject_id,
                place=n.place[:60],
                rule=n.rule,
                clause=n.clause[:200],
                span=n.span,
                blocked=n.blocked,
                at=n.at,
            )
        )
    await session.flush()
    since = now - policy.text_violation_window
    for kind, subject_id in sorted({(n.subject_kind, n.subject_id) for n in noted}):
        rows = list(
            await session.scalars(
                select(TextViolation)
                .where(
                    TextViolation.subject_kind == kind,
                    TextViolation.subject_id == subject_id,
                    TextViolation.at > since,
                )
                .order_by(TextViolation.at)
            )
        )
        if len(rows) < policy.text_violations_for_case:
            continue
        await cases.attach(
            session,
            kind=kind,
            subject_id=subject_id,
            finding=cases.Finding(
                detector=Detector.TEXT,
                key=f"text:{rows[-1].id}",
                summary=f"{len(rows)} text violations within "
                f"{policy.text_violation_window.days} days",
                detail={
                    "findings": [
                        {
                            "rule": r.rule,
                            "clause": r.clause,
                            "span": r.span,
                            "place": r.place,
                            "blocked": r.blocked,
                            "at": r.at.isoformat(),
                        }
                        for r in rows
                    ],
                },
            ),
            now=now,
        )
    return len(noted)


async def count_for(session: AsyncSession, kind: SubjectKind, subject_id: int) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(TextViolation)
        .where(TextViolation.subject_kind == kind, TextViolation.subject_id == subject_id)
    )
    return int(found or 0)
