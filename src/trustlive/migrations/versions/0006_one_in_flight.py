"""one payment in flight, one open after-sale request per order; refunded charges; job item failures

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:00:00

Rows written before these rules could break them; they are set aside first, so an installation
that met the races can upgrade: extra pending payments become `superseded` (no charge settled them),
extra open after-sale requests on one order close (the earliest stays open).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trustlive.kernel.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('pending', 'rejected', 'disputed', 'awaiting_return', 'return_shipped')"


def upgrade() -> None:
    op.execute(
        "UPDATE order_payment SET status = 'superseded' WHERE status = 'pending' AND id NOT IN "
        "(SELECT MIN(id) FROM order_payment WHERE status = 'pending' GROUP BY order_id)"
    )
    op.execute(
        "UPDATE order_payment SET status = 'orphaned' WHERE status = 'succeeded' AND id NOT IN "
        "(SELECT MIN(id) FROM order_payment WHERE status = 'succeeded' GROUP BY order_id)"
    )
    op.execute(
        f"UPDATE aftersale_request SET status = 'closed' WHERE {OPEN} AND id NOT IN "
        f"(SELECT MIN(id) FROM aftersale_request WHERE {OPEN} GROUP BY order_id)"
    )
    for name, status in (("pending", "pending"), ("succeeded", "succeeded")):
        op.create_index(
            f"uq_order_payment_{name}",
            "order_payment",
            ["order_id"],
            unique=True,
            sqlite_where=sa.text(f"status = '{status}'"),
            postgresql_where=sa.text(f"status = '{status}'"),
        )
    op.create_index(
        "uq_aftersale_request_open",
        "aftersale_request",
        ["order_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "order_charge_refund",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("charge_ref", sa.String(length=80), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("provider_ref", sa.String(length=80), nullable=False),
        sa.Column("created_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["order_payment.id"],
            name=op.f("fk_order_charge_refund_payment_id_order_payment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_charge_refund")),
        sa.UniqueConstraint("charge_ref", name=op.f("uq_order_charge_refund_charge_ref")),
    )
    op.create_index(
        op.f("ix_order_charge_refund_payment_id"), "order_charge_refund", ["payment_id"]
    )
    op.create_table(
        "job_item_failure",
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("item_key", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column(
            "first_failed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_failed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("retry_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "item_key", name=op.f("pk_job_item_failure")),
    )


def downgrade() -> None:
    op.drop_table("job_item_failure")
    op.drop_index(op.f("ix_order_charge_refund_payment_id"), table_name="order_charge_refund")
    op.drop_table("order_charge_refund")
    op.drop_index("uq_aftersale_request_open", table_name="aftersale_request")
    op.drop_index("uq_order_payment_succeeded", table_name="order_payment")
    op.drop_index("uq_order_payment_pending", table_name="order_payment")
