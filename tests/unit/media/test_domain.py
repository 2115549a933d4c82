"""Media rules: key hashes, who may call the hooks, the watchdog's reading of a playlist, and the
nginx configuration the platform writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trustlive.media.domain import (
    Verdict,
    address_allowed,
    hash_key,
    judge_playlist,
    key_hint,
    parse_networks,
    playlist_position,
    secret_matches,
    stream_name,
)
from trustlive.media.nginx import NginxMedia, render

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
LOCAL = parse_networks("127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16")
PLAYLIST = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-MEDIA-SEQUENCE:41
#EXT-X-TARGETDURATION:1
#EXTINF:1.000,
room-7-41.ts
#EXTINF:1.000,
room-7-42.ts
#EXTINF:0.667,
room-7-43.ts
"""


def test_a_key_is_kept_as_its_sha256_and_shown_by_its_first_characters() -> None:
    key = "tl_AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    assert hash_key(key) == hash_key(key)
    assert len(hash_key(key)) == 64
    assert hash_key(key) != hash_key(key + "x")
    assert key_hint(key) == "tl_AbCd"
    assert stream_name(42) == "room-42"


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.5.9", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("203.0.113.7", False),
        ("8.8.8.8", False),
        ("2001:db8::1", False),
        ("not-an-address", False),
        (None, False),
    ],
)
def test_only_the_media_network_may_call_the_hooks(address: str | None, allowed: bool) -> None:
    assert address_allowed(address, LOCAL) is allowed


def test_the_hook_secret_must_match_exactly() -> None:
    assert secret_matches("s3cret", "s3cret")
    assert not secret_matches("s3cret ", "s3cret")
    assert not secret_matches("", "s3cret")
    assert not secret_matches(None, "s3cret")


def test_the_newest_fragment_of_a_live_playlist() -> None:
    assert playlist_position(PLAYLIST) == 43
    assert playlist_position(PLAYLIST + "#EXT-X-ENDLIST\n") is None  # the stream ended
    assert playlist_position("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n") is None  # no fragments
    assert playlist_position("<html>404</html>") is None


def test_a_playlist_that_stops_advancing_is_stale_after_the_allowance() -> None:
    allowance = timedelta(seconds=6)
    since = NOW - timedelta(seconds=5)

    def judge(last: int | None, now_pos: int | None, now: datetime) -> Verdict:
        return judge_playlist(
            last_position=last, position=now_pos, advanced_at=since, now=now, stale_after=allowance
        )

    assert judge(None, 43, NOW) == Verdict.ADVANCED
    assert judge(42, 43, NOW) == Verdict.ADVANCED
    assert judge(43, 43, NOW) == Verdict.WAITING
    assert judge(43, None, NOW) == Verdict.WAITING  # unreadable, but not for long yet
    assert judge(43, 43, NOW + timedelta(seconds=1, microseconds=1)) == Verdict.STALE
    assert judge(43, None, NOW + timedelta(seconds=2)) == Verdict.STALE  # the server died


def test_the_nginx_configuration_keeps_everything_in_its_prefix_and_asks_the_platform() -> None:
    media = NginxMedia(
        prefix=Path("/tmp/tl-media"),
        platform_url="http://127.0.0.1:8000/",
        hook_secret="a b&c",
        rtmp_port=19350,
        http_port=18080,
        module=Path("/usr/lib/nginx/modules/ngx_rtmp_module.so"),
    )
    conf = render(media)
    assert "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;" in conf
    assert "pid /tmp/tl-media/nginx.pid;" in conf
    assert "error_log /tmp/tl-media/logs/error.log warn;" in conf
    assert "client_body_temp_path /tmp/tl-media/temp/body;" in conf
    assert "listen 127.0.0.1:19350;" in conf
    assert "listen 127.0.0.1:18080;" in conf
    assert (
        "on_publish http://127.0.0.1:8000/media/hooks/nginx-rtmp/on_publish?secret=a%20b%26c;"
        in conf
    )
    assert "on_publish_done http://127.0.0.1:8000/media/hooks/nginx-rtmp/on_publish_done?" in conf
    assert "push rtmp://127.0.0.1:19350/hls;" in conf
    assert "hls_fragment 1s;" in conf
    assert "hls_path /tmp/tl-media/hls;" in conf
    assert conf.count("deny play all;") == 2  # viewers watch HLS only
    assert media.rtmp_url == "rtmp://127.0.0.1:19350/live"
    assert media.hls_url == "http://127.0.0.1:18080/hls"
