"""a buyer's saved shipping addresses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trustlive.kernel.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_address",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("recipient", sa.String(length=20), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("province", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=120), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account_user.id"], name=op.f("fk_account_address_user_id_account_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_address")),
    )
    with op.batch_alter_table("account_address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_address_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_address_user_id"))
    op.drop_table("account_address")
