"""Media HTTP schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from trustlive.kernel.http import Id


class StreamKeyOut(BaseModel):
    room_id: Id
    ingest_url: str = Field(description="OBS: Server; ffmpeg: publish to <ingest_url>/<key>")
    hint: str | None = Field(description="the key's first characters; null: no key issued yet")
    rotated_at: datetime | None
    key: str | None = Field(
        None,
        description="the key itself, only in the answer that issued it: the platform keeps its "
        "hash alone, so copy it now (rotate again if it is lost)",
    )
    playback_url: str = Field(description="the HLS playlist viewers play while the room is on air")
