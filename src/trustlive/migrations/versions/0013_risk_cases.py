"""risk: identifiers per login and order, banned identifiers, cases, evidence, actions and
appeals, audit, reports, text violations, score exclusions; accounts can be closed
Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:09:43.893287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trustlive.kernel.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_action",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_ids", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("appeal_text", sa.String(length=1000), nullable=True),
        sa.Column("appealed_by", sa.BigInteger(), nullable=True),
        sa.Column("appealed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("appeal_note", sa.String(length=500), nullable=True),
        sa.Column("appeal_decided_by", sa.BigInteger(), nullable=True),
        sa.Column(
            "appeal_decided_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_action")),
    )
    with op.batch_alter_table("risk_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_action_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_risk_action_kind", ["kind", "status"], unique=False)

    op.create_table(
        "risk_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_audit")),
    )
    with op.batch_alter_table("risk_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_audit_case_id"), ["case_id"], unique=False)

    op.create_table(
        "risk_banned_identifier",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("banned_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "digest", name=op.f("pk_risk_banned_identifier")),
    )
    with op.batch_alter_table("risk_banned_identifier", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_banned_identifier_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "risk_case",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("evidence_count", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_case")),
        sa.UniqueConstraint(
            "subject_kind", "subject_id", name=op.f("uq_risk_case_subject_kind_subject_id")
        ),
    )
    with op.batch_alter_table("risk_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_case_status"), ["status"], unique=False)

    op.create_table(
        "risk_detector_run",
        sa.Column("detector", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("findings", sa.BigInteger(), nullable=False),
        sa.Column("finished_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("detector", "period", name=op.f("pk_risk_detector_run")),
    )
    op.create_table(
        "risk_evidence",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("detector", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("found_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_evidence")),
        sa.UniqueConstraint("case_id", "key", name=op.f("uq_risk_evidence_case_id_key")),
    )
    with op.batch_alter_table("risk_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_evidence_case_id"), ["case_id"], unique=False)

    op.create_table(
        "risk_exclusion",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject_id", name=op.f("pk_risk_exclusion")),
    )
    with op.batch_alter_table("risk_exclusion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_exclusion_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "risk_login_identity",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("device", sa.String(length=32), nullable=True),
        sa.Column("ip", sa.String(length=32), nullable=True),
        sa.Column("seen_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_login_identity")),
    )
    with op.batch_alter_table("risk_login_identity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_login_identity_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_risk_login_identity_device"), ["device"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_risk_login_identity_seen_at"), ["seen_at"], unique=False
        )

    op.create_table(
        "risk_order_identity",
        sa.Column("order_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("buyer_id", sa.BigInteger(), nullable=False),
        sa.Column("shop_id", sa.BigInteger(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(length=32), nullable=True),
        sa.Column("ip", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=32), nullable=True),
        sa.Column("payment", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("placed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_risk_order_identity")),
    )
    with op.batch_alter_table("risk_order_identity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_order_identity_buyer_id"), ["buyer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_order_identity_placed_at"), ["placed_at"], unique=False
        )
        batch_op.create_index("ix_risk_order_identity_shop", ["shop_id", "placed_at"], unique=False)
        for column in ("device", "payment", "phone"):
            batch_op.create_index(f"ix_risk_order_identity_{column}", [column], unique=False)

    op.create_table(
        "risk_report",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_report")),
        sa.UniqueConstraint(
            "reporter_id",
            "target_kind",
            "target_id",
            name=op.f("uq_risk_report_reporter_id_target_kind_target_id"),
        ),
    )
    with op.batch_alter_table("risk_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_report_reporter_id"), ["reporter_id"], unique=False
        )

    op.create_table(
        "risk_text_violation",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("place", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=False),
        sa.Column("span", sa.String(length=100), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_text_violation")),
    )
    with op.batch_alter_table("risk_text_violation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_risk_text_violation_subject", ["subject_kind", "subject_id", "at"], unique=False
        )

    with op.batch_alter_table("account_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("account_user", schema=None) as batch_op:
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("risk_text_violation", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_text_violation_subject")

    op.drop_table("risk_text_violation")
    with op.batch_alter_table("risk_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_report_reporter_id"))

    op.drop_table("risk_report")
    with op.batch_alter_table("risk_order_identity", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_order_identity_shop")
        for column in ("device", "payment", "phone"):
            batch_op.drop_index(f"ix_risk_order_identity_{column}")
        batch_op.drop_index(batch_op.f("ix_risk_order_identity_placed_at"))
        batch_op.drop_index(batch_op.f("ix_risk_order_identity_buyer_id"))

    op.drop_table("risk_order_identity")
    with op.batch_alter_table("risk_login_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_login_identity_seen_at"))
        batch_op.drop_index(batch_op.f("ix_risk_login_identity_device"))
        batch_op.drop_index(batch_op.f("ix_risk_login_identity_account_id"))

    op.drop_table("risk_login_identity")
    with op.batch_alter_table("risk_exclusion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_exclusion_action_id"))

    op.drop_table("risk_exclusion")
    with op.batch_alter_table("risk_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_evidence_case_id"))

    op.drop_table("risk_evidence")
    op.drop_table("risk_detector_run")
    with op.batch_alter_table("risk_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_case_status"))

    op.drop_table("risk_case")
    with op.batch_alter_table("risk_banned_identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_banned_identifier_action_id"))

    op.drop_table("risk_banned_identifier")
    with op.batch_alter_table("risk_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_audit_case_id"))

    op.drop_table("risk_audit")
    with op.batch_alter_table("risk_action", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_action_kind")
        batch_op.drop_index(batch_op.f("ix_risk_action_case_id"))

    op.drop_table("risk_action")
