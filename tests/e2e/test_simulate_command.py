"""`trustlive simulate`: a fresh SQLite file, a summary at the end, the truth beside the file."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from trustlive.cli import app
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.run import SimConfig, simulate
from trustlive.sim.truth import TruthLog, read

ARGS = ["simulate", "--days", "2", "--buyers", "25", "--shops", "2", "--seed", "5"]
CONFIG = SimConfig(days=2, buyers=25, shops=2, seed=5)
START = datetime(2026, 2, 1, tzinfo=UTC)


def test_simulate_writes_the_market_to_the_file_and_the_truth_beside_it(tmp_path: Path) -> None:
    db = tmp_path / "market.db"
    result = CliRunner().invoke(app, [*ARGS, "--db", str(db), "--start", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert "simulation summary" in result.output
    assert "orders_paid" in result.output

    truth = read(tmp_path / "market.db.truth.jsonl")
    header, summary = truth[0], truth[-1]
    assert (header["kind"], header["seed"], header["start"]) == (
        "header",
        5,
        "2026-02-01T00:00:00+00:00",
    )
    assert summary["kind"] == "summary"
    with closing(sqlite3.connect(db)) as conn:
        orders = conn.execute("SELECT count(*) FROM order_header").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert orders == summary["orders_placed"] > 0
    intended = asyncio.run(simulate(DryDriver(), replace(CONFIG, start=START), TruthLog()))
    assert {**summary, "kind": None, "platform_job_items": 0} == {
        **intended.as_dict(),
        "kind": None,
        "platform_job_items": 0,
    }
    assert not any("truth" in name or "sim" in name for name in tables)


def test_simulate_refuses_to_write_into_an_existing_database(tmp_path: Path) -> None:
    db = tmp_path / "market.db"
    db.write_bytes(b"")
    result = CliRunner().invoke(app, [*ARGS, "--db", str(db)])
    assert result.exit_code == 2
    assert "exists" in result.output
    assert db.read_bytes() == b""
    assert not (tmp_path / "market.db.truth.jsonl").exists()
