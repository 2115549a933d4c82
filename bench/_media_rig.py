"""A media rig for the video benchmarks: nginx-rtmp from a temporary prefix, a stand-in for the
platform's publish hook (every key is let through as `bench-1`), and one ffmpeg test pattern."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from trustlive.media.devserver import INSTALL_HINT, NginxProcess, media_for, missing_tools
from trustlive.media.nginx import NginxMedia
from trustlive.media.testpattern import Publisher, ffmpeg_command

STREAM = "bench-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if "on_publish_done" in self.path:
            self.send_response(204)
        else:
            self.send_response(302)
            self.send_header("Location", STREAM)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


@dataclass(frozen=True)
class Rig:
    media: NginxMedia
    nginx: NginxProcess

    @property
    def playlist_url(self) -> str:
        return f"{self.media.hls_url}/{STREAM}.m3u8"


@contextlib.contextmanager
def media_rig(*, clock_bars: bool = False) -> Iterator[Rig]:
    missing = missing_tools()
    if missing:
        sys.exit(f"needs {', '.join(missing)}: {INSTALL_HINT}")
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    prefix = Path(tempfile.mkdtemp(prefix="trustlive-bench-media-"))
    media = media_for(
        prefix,
        platform_url=f"http://127.0.0.1:{hook.server_address[1]}",
        hook_secret="bench",
        rtmp_port=free_port(),
        http_port=free_port(),
    )
    nginx = NginxProcess(media)
    nginx.start()
    command = ffmpeg_command(f"{media.rtmp_url}/key", title="bench", clock_bars=clock_bars)
    publisher = Publisher(command, log=prefix / "logs" / "ffmpeg.log").start()
    rig = Rig(media, nginx)
    try:
        _wait_for_fragments(rig.playlist_url, 3)
        yield rig
    finally:
        publisher.stop()
        nginx.stop()
        hook.shutdown()
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_for_fragments(url: str, count: int) -> None:
    for _ in range(300):
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(url, timeout=1)
            if answer.status_code == 200 and answer.text.count("#EXTINF") >= count:
                return
        time.sleep(0.1)
    raise RuntimeError(f"no playlist at {url}")
