"""Risk HTTP schemas: cases, evidence, actions and appeals, reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id
from trustlive.risk.domain import ActionKind, ReportTarget

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    detector: str
    summary: str
    detail: dict[str, Any]
    found_at: datetime


class ActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    case_id: Id
    kind: str
    target_kind: str
    target_ids: list[Id]
    params: dict[str, Any]
    reason: str
    clause: str
    status: str
    decided_at: datetime
    expires_at: datetime | None
    appeal_text: str | None
    appealed_at: datetime | None
    appeal_note: str | None
    appeal_decided_at: datetime | None


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    actor_id: Id | None
    step: str
    detail: dict[str, Any]
    at: datetime


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    subject_kind: str
    subject_id: Id
    status: str
    members: list[Id]
    summary: str
    evidence_count: int
    opened_at: datetime
    updated_at: datetime


class CasePage(BaseModel):
    items: list[CaseOut]
    next_before: Id | None


class CaseDetailOut(CaseOut):
    evidence: list[EvidenceOut]
    actions: list[ActionOut]
    audit: list[AuditOut]


class ActionIn(InputModel):
    kind: ActionKind
    reason: Text
    clause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    days: Annotated[int | None, Field(ge=0, le=3650)] = None
    factor: Annotated[float | None, Field(ge=0, lt=1)] = None
    product_ids: Annotated[list[Id], Field(default_factory=list, max_length=100)]
    room_id: Id | None = None


class DismissIn(InputModel):
    note: Text


class AppealIn(InputModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]


class AppealDecisionIn(InputModel):
    overturn: bool
    note: Text


class DecisionsOut(BaseModel):
    items: list[ActionOut]


class ReportIn(InputModel):
    target: ReportTarget
    target_id: Id
    reason: Annotated[
        str,
        StringConstraints(pattern=r"^(private_deal|false_claim|counterfeit|brushing|abuse|other)$"),
    ]
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    target_kind: str
    target_id: Id
    reason: str
    created_at: datetime
