"""address reveals (audited views of a buyer's address by shop staff); guarantees a tier lets a
shop choose

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trustlive.kernel.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aftersale_guarantee_unlock",
        sa.Column("shop_id", sa.BigInteger(), nullable=False),
        sa.Column("guarantee", sa.String(length=30), nullable=False),
        sa.Column("since", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shop.id"], name=op.f("fk_aftersale_guarantee_unlock_shop_id_shop")
        ),
        sa.PrimaryKeyConstraint("shop_id", "guarantee", name=op.f("pk_aftersale_guarantee_unlock")),
    )
    op.create_table(
        "order_address_reveal",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("shop_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("revealed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order_header.id"],
            name=op.f("fk_order_address_reveal_order_id_order_header"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shop.id"], name=op.f("fk_order_address_reveal_shop_id_shop")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account_user.id"],
            name=op.f("fk_order_address_reveal_user_id_account_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_address_reveal")),
    )
    with op.batch_alter_table("order_address_reveal", schema=None) as batch_op:
        batch_op.create_index("ix_order_address_reveal_shop", ["shop_id", "id"], unique=False)
        batch_op.create_index(
            "ix_order_address_reveal_user", ["user_id", "revealed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("order_address_reveal", schema=None) as batch_op:
        batch_op.drop_index("ix_order_address_reveal_user")
        batch_op.drop_index("ix_order_address_reveal_shop")
    op.drop_table("order_address_reveal")
    op.drop_table("aftersale_guarantee_unlock")
