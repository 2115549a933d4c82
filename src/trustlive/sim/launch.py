"""Starting a simulation: on a fresh SQLite file in-process, or against a server over HTTP, with a
progress bar and the summary at the end (what `trustlive simulate` runs)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from trustlive.kernel.clock import FixedClock
from trustlive.kernel.migrations import upgrade
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings
from trustlive.sim.driver import Driver, InProcessDriver
from trustlive.sim.http_driver import HttpDriver
from trustlive.sim.run import SimConfig, Summary, simulate
from trustlive.sim.sqlite_same_thread import same_thread_engine
from trustlive.sim.truth import TruthLog, truth_path


@dataclass(frozen=True)
class Outcome:
    summary: Summary
    seconds: float
    truth_file: Path | None
    phases: dict[str, float]
    truth: TruthLog

    @property
    def orders_per_second(self) -> float:
        return self.summary.orders_placed / self.seconds if self.seconds else 0.0


def simulation_settings(database_url: str) -> Settings:
    """Cheap password hashing (simulated users log in only in the demo) and no background jobs:
    the simulator steps the scheduler and the dispatcher itself, on simulated time."""
    return Settings(
        environment="test",
        database_url=database_url,
        password_hash_fast=True,
        run_background_jobs=False,
    )


async def run_in_process(
    config: SimConfig,
    runtime: Runtime,
    clock: FixedClock,
    on_hour: Callable[[int], None] | None = None,
    phases: dict[str, float] | None = None,
) -> tuple[Summary, TruthLog]:
    from trustlive.bootstrap import wire  # every context subscribes its handlers there

    wire(runtime)
    truth = TruthLog()
    summary = await simulate(InProcessDriver(runtime, clock), config, truth, on_hour, phases)
    return summary, truth


async def _simulate_on(
    config: SimConfig, url: str, on_hour: Callable[[int], None] | None
) -> Outcome:
    clock = FixedClock(config.start)
    runtime = Runtime.build(simulation_settings(url), clock=clock, engine=same_thread_engine(url))
    phases: dict[str, float] = {}
    started = time.perf_counter()
    try:
        summary, truth = await run_in_process(config, runtime, clock, on_hour, phases)
    finally:
        await runtime.close()
    return Outcome(summary, time.perf_counter() - started, None, phases, truth)


def run_on_file(
    config: SimConfig, db: Path, on_hour: Callable[[int], None] | None = None
) -> Outcome:
    """Simulate into a new SQLite file and write the ground truth next to it."""
    if db.exists():
        raise FileExistsError(f"{db} exists: the simulator fills a fresh database")
    url = f"sqlite+aiosqlite:///{db.resolve()}"
    upgrade(url)
    outcome = asyncio.run(_simulate_on(config, url, on_hour))
    path = truth_path(db)
    outcome.truth.write(path)
    return replace(outcome, truth_file=path)


def run_over_http(
    config: SimConfig, base_url: str, on_hour: Callable[[int], None] | None = None
) -> Outcome:
    """Drive a running server (for load): its clock and jobs apply; the truth stays in memory."""
    return asyncio.run(_drive_http(config, base_url, on_hour))


async def _drive_http(
    config: SimConfig, base_url: str, on_hour: Callable[[int], None] | None
) -> Outcome:
    started = time.perf_counter()
    truth, phases = TruthLog(), dict[str, float]()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        driver: Driver = HttpDriver(client)
        summary = await simulate(driver, config, truth, on_hour, phases)
    return Outcome(summary, time.perf_counter() - started, None, phases, truth)


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("hours"),
        TimeElapsedColumn(),
        console=console,
    )


def summary_table(outcome: Outcome) -> Table:
    table = Table(title="simulation summary")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in outcome.summary.as_dict().items():
        table.add_row(name, f"{value:,}")
    table.add_row("seconds", f"{outcome.seconds:,.1f}")
    table.add_row("orders placed per second", f"{outcome.orders_per_second:,.0f}")
    for phase, seconds in outcome.phases.items():
        table.add_row(f"seconds in {phase}", f"{seconds:,.1f}")
    return table
