"""nginx-rtmp for development and the demo: started from a prefix directory with the platform's
configuration, no root and no system paths needed (pid, logs, temp files and fragments all in
the prefix), and stopped with its process."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from trustlive.media.nginx import NginxMedia, find_rtmp_module, prepare

NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
INSTALL_HINT = "apt-get install nginx libnginx-mod-rtmp ffmpeg"
READY_SECONDS = 10.0


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in NGINX_PATHS if Path(p).exists()), None)


def missing_tools() -> list[str]:
    """What video needs and this machine lacks (empty: all there)."""
    missing = []
    if nginx_binary() is None:
        missing.append("nginx")
    if find_rtmp_module() is None and not _rtmp_built_in():
        missing.append("the nginx RTMP module (libnginx-mod-rtmp)")
    if shutil.which("ffmpeg") is None:
        missing.append("ffmpeg")
    return missing


def _rtmp_built_in() -> bool:
    binary = nginx_binary()
    if binary is None:
        return False
    answer = subprocess.run([binary, "-V"], capture_output=True, text=True, check=False)
    return "rtmp" in answer.stderr


def media_for(
    prefix: Path,
    *,
    platform_url: str,
    hook_secret: str,
    rtmp_port: int,
    http_port: int,
    listen_host: str = "127.0.0.1",
) -> NginxMedia:
    """The configuration for this machine: Debian's module, and when started as root, workers
    that drop to `nobody` and may write to the prefix."""
    user = None
    if os.geteuid() == 0:
        user = "nobody nogroup" if _group_exists("nogroup") else "nobody"
        if not _others_may_enter(prefix):  # e.g. under a 0700 temp dir: nobody cannot write
            user = "root root"
    return NginxMedia(
        prefix=prefix,
        platform_url=platform_url,
        hook_secret=hook_secret,
        rtmp_port=rtmp_port,
        http_port=http_port,
        listen_host=listen_host,
        module=find_rtmp_module(),
        user=user,
    )


def _others_may_enter(path: Path) -> bool:
    """Whether every existing ancestor of `path` lets any user pass through (o+x)."""
    for parent in path.resolve().parents:
        if parent.exists() and not parent.stat().st_mode & 0o001:
            return False
    return True


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def write_config(media: NginxMedia) -> Path:
    conf = prepare(media)
    if media.user is not None and not media.user.startswith("root"):
        # started as root: the workers (nobody) write fragments and temp files
        nobody = pwd.getpwnam(media.user.split()[0])
        media.prefix.chmod(0o755)
        for sub in ("hls", "temp"):
            os.chown(media.prefix / sub, nobody.pw_uid, nobody.pw_gid)
    return conf


class NginxProcess:
    """One nginx master in the foreground (`daemon off`), stopped with `stop()`."""

    def __init__(self, media: NginxMedia) -> None:
        self.media = media
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError(f"nginx is not installed: {INSTALL_HINT}")
        conf = write_config(self.media)
        with (self.media.prefix / "logs" / "nginx.out").open("wb") as out:
            self.process = subprocess.Popen(
                [binary, "-p", str(self.media.prefix), "-c", str(conf)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        url = f"http://{self.media.listen_host}:{self.media.http_port}/healthz"
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.media.prefix / "logs"
                raise RuntimeError(
                    "nginx stopped at start: "
                    + (log / "nginx.out").read_text()
                    + _tail(log / "error.log")
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=0.5).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer {url} within {READY_SECONDS:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # nginx: fast shutdown
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()


def _tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
