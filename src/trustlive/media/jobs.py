"""The media watchdog as a scheduler job: every pass reads the playlists of streams on air."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import live
from trustlive.kernel.runtime import Runtime
from trustlive.media.service import watch_streams
from trustlive.media.wiring import policy_from, probe_of

WATCH_LEASE = timedelta(seconds=30)  # a pass reads each playlist with a 1 s timeout


def register(runtime: Runtime) -> None:
    policy = policy_from(runtime.settings)

    async def watch_media_streams(session: AsyncSession, now: datetime) -> int:
        return await watch_streams(
            session,
            probe=probe_of(runtime),
            policy=policy,
            channel=live.channel_of(runtime),
            now=now,
        )

    runtime.scheduler.add("media.watch_streams", watch_media_streams, lease=WATCH_LEASE)
