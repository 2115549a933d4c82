"""The real app served by uvicorn in its own process, on a fresh migrated SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_ATTEMPTS = 150  # × 0.1 s between health probes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "trustlive.cli", *args]


@contextmanager
def served_app(
    workdir: Path, *, port: int | None = None, env_extra: dict[str, str] | None = None
) -> Iterator[Server]:
    """Migrate a new database with `trustlive db upgrade`, serve it with jobs on, stop it after."""
    port = port or free_port()
    env = {
        **os.environ,
        **(env_extra or {}),
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'browser.db'}",
        "PASSWORD_HASH_FAST": "true",
        "RUN_BACKGROUND_JOBS": "true",
        "JOB_INTERVAL_SECONDS": "0.2",
        "MEDIA_DIR": str(workdir / "media"),
    }
    subprocess.run(_cli("db", "upgrade"), env=env, check=True, capture_output=True)
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _cli("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, log)
            yield Server(url, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(STARTUP_ATTEMPTS):
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz:\n{log.read_text()}")
