"""Shared by the benchmarks: a throwaway database, the app served by uvicorn in its own process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh database URL, dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        return
    name = f"tl_bench_{os.getpid()}"
    subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run(
            ["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False
        )


@contextlib.contextmanager
def served(
    database_url: str,
    *,
    redis_url: str | None,
    log: Path,
    separate_worker: bool = False,
    workers: int = 1,
    background_jobs: bool = True,
) -> Iterator[str]:
    """Migrate, then serve with uvicorn (no access log, permessage-deflate off); with
    `separate_worker`, the event dispatcher and scheduler run in their own process
    (`trustlive worker`), as in production; without `background_jobs` they do not run here at
    all (a second server beside one that runs them, e.g. one that only holds WebSockets)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PASSWORD_HASH_FAST": "true",
        "RUN_BACKGROUND_JOBS": "false" if separate_worker or not background_jobs else "true",
        "JOB_INTERVAL_SECONDS": "0.05" if separate_worker else "1",  # no nudge across processes
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    cli = [sys.executable, "-m", "trustlive.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "trustlive.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
        "--ws-per-message-deflate", "false", "--backlog", "4096", "--log-level", "warning",
        "--workers", str(workers),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        worker = None
        if separate_worker:
            worker = subprocess.Popen(
                [*cli, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                if process.poll() is not None:
                    raise RuntimeError(f"server exited; see {log}")
                time.sleep(0.1)
            yield url
        finally:
            for child in (process, worker):
                if child is None:
                    continue
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
