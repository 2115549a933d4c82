"""What media keeps per runtime: its policy from the settings, the playlist probe the watchdog
reads with (a port: tests plug in their own), the allowed callers of the hooks."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import httpx

from trustlive.kernel.runtime import Runtime, Slot
from trustlive.kernel.settings import Settings
from trustlive.media.domain import MediaPolicy, parse_networks
from trustlive.media.service import PlaylistProbe

PROBE_TIMEOUT_SECONDS = 1.0
PROBE: Slot[PlaylistProbe] = Slot("media.probe")


def policy_from(settings: Settings) -> MediaPolicy:
    return MediaPolicy(
        hls_url=settings.media_hls_url,
        rtmp_url=settings.media_rtmp_url,
        start_when_off_air=settings.media_publish_without_session == "start",
        stale_after=timedelta(seconds=settings.media_stale_after_seconds),
    )


def hook_networks(
    settings: Settings,
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return parse_networks(settings.media_hook_networks)


class HttpPlaylistProbe:
    """Fetches a playlist over HTTP(S) with a short timeout: works for nginx, SRS or a CDN."""

    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    async def __call__(self, url: str) -> str | None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS)
        try:
            answer = await self._client.get(url)
        except httpx.HTTPError:
            return None
        return answer.text if answer.status_code == 200 else None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def probe_of(runtime: Runtime) -> PlaylistProbe:
    probe = PROBE.get(runtime)
    if probe is None:
        http_probe = HttpPlaylistProbe()
        PROBE.put(runtime, http_probe)
        runtime.closers.append(http_probe.close)
        return http_probe
    return probe
