"""nginx with the RTMP module as the platform's media server: its configuration, rendered from
a few values (pure), and where Debian keeps the module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

RTMP_MODULE_PATHS = (
    Path("/usr/lib/nginx/modules/ngx_rtmp_module.so"),  # Debian/Ubuntu libnginx-mod-rtmp
    Path("/usr/lib64/nginx/modules/ngx_rtmp_module.so"),
)
APP = "live"  # rtmp://host:port/live/<stream key>
HLS_APP = "hls"  # internal: the stream under its public name, cut into HLS fragments
HOOK_PATH = "/media/hooks/nginx-rtmp"
# source: chosen: 1 s fragments and a 4 s playlist keep a viewer ~3-5 s behind the camera
# (hls.js holds about three fragments); the encoder must send a key frame every second.
FRAGMENT_SECONDS = 1
PLAYLIST_SECONDS = 4


@dataclass(frozen=True)
class NginxMedia:
    """What the configuration needs: where it lives, where it listens, whom it asks."""

    prefix: Path  # pid, logs, temp files and HLS fragments all live under it
    platform_url: str  # the platform as the media server reaches it (callbacks)
    hook_secret: str
    rtmp_port: int = 1935
    http_port: int = 8080
    listen_host: str = "127.0.0.1"
    module: Path | None = None  # ngx_rtmp_module.so; None: nginx has it built in
    user: str | None = None  # workers' user when nginx starts as root

    @property
    def hls_dir(self) -> Path:
        return self.prefix / "hls"

    @property
    def rtmp_url(self) -> str:
        return f"rtmp://{self.listen_host}:{self.rtmp_port}/{APP}"

    @property
    def hls_url(self) -> str:
        return f"http://{self.listen_host}:{self.http_port}/hls"


def find_rtmp_module() -> Path | None:
    return next((p for p in RTMP_MODULE_PATHS if p.exists()), None)


def hook_url(platform_url: str, call: str, secret: str) -> str:
    return f"{platform_url.rstrip('/')}{HOOK_PATH}/{call}?secret={quote(secret, safe='')}"


def render(media: NginxMedia) -> str:
    """nginx.conf: RTMP ingest on `rtmp_port` that asks the platform before and after every
    publish, and HLS out of `http_port` with short fragments. Playback over RTMP is off: viewers
    watch HLS, so a stream's key never has to leave the publisher."""
    p = media.prefix
    load = f"load_module {media.module};\n" if media.module else ""
    user = f"user {media.user};\n" if media.user else ""
    on_publish = hook_url(media.platform_url, "on_publish", media.hook_secret)
    on_done = hook_url(media.platform_url, "on_publish_done", media.hook_secret)
    return f"""# written by `trustlive media config`; edit the settings, not this file
{load}{user}worker_processes 1;  # live streams are shared inside one worker
daemon off;
pid {p}/nginx.pid;
error_log {p}/logs/error.log warn;
events {{ worker_connections 4096; }}

rtmp {{
  server {{
    listen {media.listen_host}:{media.rtmp_port};
    chunk_size 4096;
    notify_method post;
    # publishers' application: the platform checks the key and answers with the room's public
    # stream name (a redirect), under which the stream is pushed on to the HLS application, so
    # the key never appears in a playlist or fragment URL
    application {APP} {{
      live on;
      record off;
      deny play all;
      on_publish {on_publish};
      on_publish_done {on_done};
      push rtmp://127.0.0.1:{media.rtmp_port}/{HLS_APP};
    }}
    application {HLS_APP} {{
      live on;
      record off;
      allow publish 127.0.0.1;
      deny publish all;
      deny play all;
      hls on;
      hls_path {media.hls_dir};
      hls_fragment {FRAGMENT_SECONDS}s;
      hls_playlist_length {PLAYLIST_SECONDS}s;
      hls_fragment_naming sequential;
      hls_cleanup on;
    }}
  }}
}}

http {{
  access_log off;
  client_body_temp_path {p}/temp/body;
  proxy_temp_path {p}/temp/proxy;
  fastcgi_temp_path {p}/temp/fastcgi;
  uwsgi_temp_path {p}/temp/uwsgi;
  scgi_temp_path {p}/temp/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {{
    listen {media.listen_host}:{media.http_port};
    location /hls/ {{
      alias {media.hls_dir}/;
      types {{ application/vnd.apple.mpegurl m3u8; video/mp2t ts; }}
      add_header Cache-Control no-cache;
      add_header Access-Control-Allow-Origin *;
    }}
    location = /healthz {{ return 200 "ok\\n"; }}
  }}
}}
"""


def prepare(media: NginxMedia) -> Path:
    """Create the prefix's directories and write nginx.conf; returns its path."""
    for sub in ("logs", "temp", "hls"):
        (media.prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = media.prefix / "nginx.conf"
    conf.write_text(render(media))
    return conf
