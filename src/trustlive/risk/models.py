"""Risk tables: identifiers seen per login and order (keyed digests only), banned identifiers,
cases with their evidence, operators' actions and the subject's appeals, the audit trail,
buyers' reports, text violations and the accounts and orders excluded from scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base

Digest = String(32)  # kernel.fingerprint.DIGEST_CHARS


class LoginIdentity(Base):
    """A registration or login: the device and client address it came from."""

    __tablename__ = "risk_login_identity"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    account_id: Mapped[int] = mapped_column(index=True)
    event: Mapped[str] = mapped_column(String(10))  # register | login
    device: Mapped[str | None] = mapped_column(Digest, index=True)
    ip: Mapped[str | None] = mapped_column(Digest)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class OrderIdentity(Base):
    """An order the inline check saw, with the identifiers it came with and the decision.
    A blocked attempt keeps the id the order would have had; no order row exists for it."""

    __tablename__ = "risk_order_identity"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    buyer_id: Mapped[int] = mapped_column(index=True)
    shop_id: Mapped[int]
    total_fen: Mapped[int]
    # the staff rule looks orders up by device, payment instrument and phone
    device: Mapped[str | None] = mapped_column(Digest, index=True)
    ip: Mapped[str | None] = mapped_column(Digest)
    address: Mapped[str | None] = mapped_column(Digest)
    payment: Mapped[str | None] = mapped_column(Digest, index=True)
    phone: Mapped[str | None] = mapped_column(Digest, index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # allow | review | block
    rule: Mapped[str] = mapped_column(String(40))
    placed_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("ix_risk_order_identity_shop", "shop_id", "placed_at"),)


class BannedIdentifier(Base):
    """An identifier of a closed account: orders using it are blocked and new accounts that
    show it open a case."""

    __tablename__ = "risk_banned_identifier"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    digest: Mapped[str] = mapped_column(Digest, primary_key=True)
    account_id: Mapped[int]
    action_id: Mapped[int] = mapped_column(index=True)
    banned_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class Case(Base):
    """One per subject (an account, a shop, or a gang named by its first member)."""

    __tablename__ = "risk_case"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), index=True)
    members: Mapped[list[int]] = mapped_column(JSON)  # the accounts a gang case is about
    summary: Mapped[str] = mapped_column(String(300))
    evidence_count: Mapped[int]
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("subject_kind", "subject_id"),)


class Evidence(Base):
    """What a detector found. `key` names the finding, so a job that finds it again adds
    nothing."""

    __tablename__ = "risk_evidence"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(index=True)
    detector: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    found_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("case_id", "key"),)


class Action(Base):
    """An operator's decision on a case, with its reason, clause and expiry, and the subject's
    one appeal against it."""

    __tablename__ = "risk_action"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_kind: Mapped[str] = mapped_column(String(10))  # account | shop
    target_ids: Mapped[list[int]] = mapped_column(JSON)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500))
    clause: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    decided_by: Mapped[int]
    decided_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    appeal_text: Mapped[str | None] = mapped_column(String(1000), default=None)
    appealed_by: Mapped[int | None] = mapped_column(default=None)
    appealed_at: Mapped[datetime | None] = mapped_column(default=None)
    appeal_note: Mapped[str | None] = mapped_column(String(500), default=None)
    appeal_decided_by: Mapped[int | None] = mapped_column(default=None)
    appeal_decided_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_risk_action_kind", "kind", "status"),)


class AuditEntry(Base):
    """Every step of a case: opened, evidence added, action decided, appealed, appeal decided,
    expired."""

    __tablename__ = "risk_audit"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(index=True)
    actor_id: Mapped[int | None]  # None: the system
    step: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime]


class Report(Base):
    """A buyer's report of a room, product, comment or shop."""

    __tablename__ = "risk_report"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reporter_id: Mapped[int] = mapped_column(index=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    case_id: Mapped[int]
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("reporter_id", "target_kind", "target_id"),)


class TextViolation(Base):
    """A text check's finding against its author (an account, or a shop for product texts),
    blocked or reminded."""

    __tablename__ = "risk_text_violation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]
    place: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(40))
    clause: Mapped[str] = mapped_column(String(200))
    span: Mapped[str] = mapped_column(String(100))
    blocked: Mapped[bool]
    at: Mapped[datetime]

    __table_args__ = (Index("ix_risk_text_violation_subject", "subject_kind", "subject_id", "at"),)


class Exclusion(Base):
    """An account or order a verdict took out of every score (trust's RatingExclusion)."""

    __tablename__ = "risk_exclusion"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # account | order
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    action_id: Mapped[int] = mapped_column(index=True)
    at: Mapped[datetime]


class DetectorRun(Base):
    """The last window each scheduled graph detector covered (one run per period)."""

    __tablename__ = "risk_detector_run"

    detector: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    findings: Mapped[int]
    finished_at: Mapped[datetime]
