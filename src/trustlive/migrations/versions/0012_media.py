"""media: stream keys (hashed), the ingest each media server reports, a session's stream status

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trustlive.kernel.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_stream_key",
        sa.Column("room_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_hint", sa.String(length=12), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=False),
        sa.Column("rotated_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["live_room.id"], name=op.f("fk_media_stream_key_room_id_live_room")
        ),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_media_stream_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_media_stream_key_key_hash")),
    )
    op.create_table(
        "media_ingest",
        sa.Column("room_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("session_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("client_id", sa.String(length=40), nullable=False),
        sa.Column("started_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("advanced_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "state_changed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["live_room.id"], name=op.f("fk_media_ingest_room_id_live_room")
        ),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_media_ingest")),
    )
    op.create_index("ix_media_ingest_state", "media_ingest", ["state"], unique=False)
    with op.batch_alter_table("live_session") as batch:
        batch.add_column(sa.Column("stream_status", sa.String(length=12), nullable=True))
        batch.add_column(
            sa.Column(
                "stream_changed_at", trustlive.kernel.db.UtcDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("live_session") as batch:
        batch.drop_column("stream_changed_at")
        batch.drop_column("stream_status")
    op.drop_index("ix_media_ingest_state", table_name="media_ingest")
    op.drop_table("media_ingest")
    op.drop_table("media_stream_key")
