"""Media tables: each room's stream key (hashed) and the stream a media server takes in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class StreamKey(Base):
    """A room's secret stream key. Only its SHA-256 is kept: the anchor sees the key once, when
    it is issued (rotated), and a stolen database publishes into no room."""

    __tablename__ = "media_stream_key"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("live_room.id"), primary_key=True, autoincrement=False
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_hint: Mapped[str] = mapped_column(String(12))
    issued_by: Mapped[int]  # the anchor a publish with this key broadcasts as
    rotated_at: Mapped[datetime]


class Ingest(Base):
    """The stream a media server is taking in for a room (or took last)."""

    __tablename__ = "media_ingest"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("live_room.id"), primary_key=True, autoincrement=False
    )
    session_id: Mapped[int]
    state: Mapped[str] = mapped_column(String(12))  # IngestState
    client_id: Mapped[str] = mapped_column(String(40))  # the media server's connection id
    started_at: Mapped[datetime]
    position: Mapped[int | None] = mapped_column(default=None)  # newest fragment seen
    advanced_at: Mapped[datetime]  # when the playlist last advanced (or the publish began)
    state_changed_at: Mapped[datetime]

    __table_args__ = (Index("ix_media_ingest_state", "state"),)
