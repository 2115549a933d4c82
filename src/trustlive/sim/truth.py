"""The ground truth of a run, written next to the database and never into it.

JSON lines, one record per line with a `kind`: the header (seed and configuration), then merchants,
fraudulent accounts, rings, gangs, live-session intents, orders and after-sale intents. Records name
agents by username and shop name (ids are time-based and differ between runs), and orders by their
buyer and the buyer's order number (the k-th order of that buyer), so the same seed writes the same
file and an evaluation can join it to the platform's data blind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def truth_path(database_path: Path) -> Path:
    """`market.db` → `market.db.truth.jsonl`."""
    return database_path.with_name(database_path.name + ".truth.jsonl")


class TruthLog:
    """Collects records in memory; `write` puts them in a file (one JSON object per line)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def add(self, kind: str, **fields: Any) -> None:
        self.records.append({"kind": kind, **fields})

    def lines(self) -> list[str]:
        return [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in self.records]

    def write(self, path: Path) -> None:
        path.write_text("\n".join(self.lines()) + "\n", encoding="utf-8")


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
