"""Media rules: stream keys and their hashes, public stream names, who may call the publish
hooks, and the watchdog's reading of an HLS playlist. Pure: no I/O, `now` passed in."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

KEY_PREFIX = "tl_"
HINT_CHARS = 7  # the prefix and four characters: enough to tell two keys apart, not to guess one
STREAM_PREFIX = "room-"


class IngestState(StrEnum):
    PUBLISHING = "publishing"
    DROPPED = "dropped"  # publish_done arrived, or the playlist stopped advancing
    ENDED = "ended"  # the live session ended; nothing to watch


def hash_key(key: str) -> str:
    """Keys are 192 random bits, so one SHA-256 is enough (no stretching needed: there is
    nothing to guess) and the hash can be looked up by index on every publish."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_hint(key: str) -> str:
    return key[:HINT_CHARS]


def looks_like_key(name: str) -> bool:
    return name.startswith(KEY_PREFIX) and 16 <= len(name) <= 64


def stream_name(room_id: int) -> str:
    """The public name a room's stream is played under: `<hls url>/room-<id>.m3u8`."""
    return f"{STREAM_PREFIX}{room_id}"


def secret_matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def parse_networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip()) for part in spec.split(",") if part.strip())


def address_allowed(
    address: str | None, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in networks)


@dataclass(frozen=True)
class MediaPolicy:
    hls_url: str  # <hls_url>/<stream name>.m3u8
    rtmp_url: str  # where anchors publish
    start_when_off_air: bool
    stale_after: timedelta

    def playlist_url(self, room_id: int) -> str:
        return f"{self.hls_url.rstrip('/')}/{stream_name(room_id)}.m3u8"


_SEQUENCE = re.compile(r"^#EXT-X-MEDIA-SEQUENCE:(\d+)\s*$", re.MULTILINE)
_SEGMENT = re.compile(r"^#EXTINF:", re.MULTILINE)


def playlist_position(text: str) -> int | None:
    """The number of the newest fragment a live playlist lists (media sequence + fragments - 1);
    None when it is not a live playlist with fragments (ended, empty, or something else)."""
    if not text.startswith("#EXTM3U") or "#EXT-X-ENDLIST" in text:
        return None
    found = _SEQUENCE.search(text)
    segments = len(_SEGMENT.findall(text))
    if segments == 0:
        return None
    return (int(found.group(1)) if found else 0) + segments - 1


class Verdict(StrEnum):
    ADVANCED = "advanced"  # new video since the last look
    WAITING = "waiting"  # no new video yet, within the allowance
    STALE = "stale"  # no new video for longer than the allowance: dropped


def judge_playlist(
    *,
    last_position: int | None,
    position: int | None,
    advanced_at: datetime,
    now: datetime,
    stale_after: timedelta,
) -> Verdict:
    """A stream is alive while its playlist keeps getting new fragments; a playlist that cannot
    be read counts as not advancing (a media server that died answers nothing)."""
    if position is not None and (last_position is None or position > last_position):
        return Verdict.ADVANCED
    if now - advanced_at > stale_after:
        return Verdict.STALE
    return Verdict.WAITING
