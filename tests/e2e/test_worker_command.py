"""`trustlive worker` stops on SIGTERM after the passes under way, and closes cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_the_worker_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}",
        "PASSWORD_HASH_FAST": "true",
        "JOB_INTERVAL_SECONDS": "0.05",  # many passes: a stop is likely to land inside one
    }
    env.pop("REDIS_URL", None)
    cli = [sys.executable, "-m", "trustlive.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([*cli, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while b"worker running" not in log.read_bytes() and time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()
                time.sleep(0.1)
            time.sleep(1.0)  # some passes run
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=15)  # a hang guard, not a speed figure
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    assert code == 0, log.read_text()  # before: killed by the signal mid-pass (-15)
    assert b"worker stopped" in log.read_bytes()
