"""The `trustlive` command: serve, demo, db upgrade, worker, and admin tasks."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from trustlive.kernel.migrations import upgrade
from trustlive.kernel.settings import Settings, get_settings

app = typer.Typer(help="trustlive: trust-driven live-stream commerce.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema tasks.", no_args_is_help=True)
admin_app = typer.Typer(help="Administration tasks.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
scores_app = typer.Typer(help="Seller scores.", no_args_is_help=True)
app.add_typer(scores_app, name="scores")
console = Console()

Host = Annotated[str, typer.Option(help="interface to listen on")]
Port = Annotated[int, typer.Option(help="TCP port")]


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    settings = get_settings()
    upgrade(settings.database_url, revision)
    console.print(f"[green]database at {revision}[/] ({_safe_url(settings.database_url)})")


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Serve the API and pages. The database must be migrated (`trustlive db upgrade`)."""
    uvicorn.run(
        "trustlive.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        ws_per_message_deflate=False,
    )


@app.command()
def worker() -> None:
    """Run the event dispatcher and the scheduler without serving HTTP."""
    from trustlive.app import wire
    from trustlive.kernel.migrations import ensure_migrated
    from trustlive.kernel.runtime import Runtime

    async def main() -> None:
        runtime = Runtime.build(get_settings())
        wire(runtime)
        await ensure_migrated(runtime.engine, runtime.settings.database_url)
        interval = runtime.settings.job_interval_seconds
        console.print("[green]worker running[/]: dispatcher and scheduler")
        await asyncio.gather(
            runtime.dispatcher.run_forever(interval), runtime.scheduler.run_forever(interval)
        )

    asyncio.run(main())


@app.command()
def demo(
    db: Annotated[Path, typer.Option(help="SQLite file; created and seeded if new")] = Path(
        "trustlive-demo.db"
    ),
    host: Host = "127.0.0.1",
    port: Port = 8000,
    seed_only: Annotated[bool, typer.Option(help="seed and exit without serving")] = False,
) -> None:
    """Start a demo marketplace on a local SQLite file: migrate, seed once, serve."""
    from trustlive.kernel.runtime import Runtime
    from trustlive.sim.seed import DEMO_PASSWORD, is_seeded, seed_demo

    url = f"sqlite+aiosqlite:///{db.resolve()}"
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    settings = get_settings()
    upgrade(url)

    async def seed() -> list[tuple[str, str, str]] | None:
        runtime = Runtime.build(settings)
        try:
            if await is_seeded(runtime):
                return None
            from trustlive.app import wire

            wire(runtime)
            return (await seed_demo(runtime)).logins
        finally:
            await runtime.close()

    with console.status("seeding the demo marketplace…"):
        logins = asyncio.run(seed())
    console.print(f"[bold]trustlive demo[/] on {db} ({'new' if logins else 'reused'})")
    _print_logins(logins, DEMO_PASSWORD)
    base = f"http://{host}:{port}"
    console.print(f"API docs  {base}/docs\nAPI       {base}/api/v1\nHealth    {base}/healthz")
    sys.stdout.flush()
    if not seed_only:
        serve(host=host, port=port, workers=1)


@app.command()
def simulate(
    days: Annotated[int, typer.Option(min=1, help="simulated days")] = 30,
    buyers: Annotated[
        int, typer.Option(min=1, help="real buyers (brushing rings add fakes)")
    ] = 10_000,
    shops: Annotated[int, typer.Option(min=1, help="shops, one merchant each")] = 200,
    seed: Annotated[int, typer.Option(help="same seed, same marketplace")] = 7,
    db: Annotated[
        Path, typer.Option(help="new SQLite file; truth goes to <db>.truth.jsonl")
    ] = Path("trustlive-sim.db"),
    http: Annotated[
        str | None, typer.Option(help="drive a running server at this URL instead")
    ] = None,
    start: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="first simulated day (UTC); default 2026-01-05"),
    ] = None,
) -> None:
    """Simulate a marketplace through the real service layer (or over HTTP), with a fixed seed."""
    from trustlive.sim import launch
    from trustlive.sim.run import SimConfig

    if http is None and db.exists():
        raise typer.BadParameter(
            f"{db} exists; the simulator fills a new database", param_hint="--db"
        )
    config = SimConfig(days=days, buyers=buyers, shops=shops, seed=seed)
    if start is not None:
        config = replace(config, start=start.replace(tzinfo=UTC))
    with launch.progress_bar(console) as bar:
        task = bar.add_task("simulate", total=days * 24)

        def step(_hour: int) -> None:
            bar.advance(task)

        if http:
            outcome = launch.run_over_http(config, http, step)
        else:
            outcome = launch.run_on_file(config, db, step)
    console.print(launch.summary_table(outcome))
    if outcome.truth_file:
        console.print(f"database {db}\nground truth {outcome.truth_file}")


def _print_logins(logins: list[tuple[str, str, str]] | None, password: str) -> None:
    table = Table(title=f"demo logins (password: {password})")
    for column in ("username", "role", "who"):
        table.add_column(column)
    rows = logins or [
        ("operator", "operator", ""),
        ("laowang", "merchant", "老王的果园"),
        ("tiezi01", "buyer", "王小明"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)


@admin_app.command("grant-operator")
def grant_operator(username: str) -> None:
    """Make an existing user a platform operator."""
    from sqlalchemy import select

    from trustlive.accounts import service
    from trustlive.accounts.models import User
    from trustlive.kernel.auth import Role
    from trustlive.kernel.db import unit_of_work
    from trustlive.kernel.runtime import Runtime

    async def main() -> None:
        runtime = Runtime.build(get_settings())
        try:
            async with unit_of_work(runtime.sessions) as session:
                user_id = await session.scalar(select(User.id).where(User.username == username))
                if user_id is None:
                    raise typer.BadParameter(f"no user {username!r}")
                await service.grant_role(session, user_id=user_id, role=Role.OPERATOR)
        finally:
            await runtime.close()

    asyncio.run(main())
    console.print(f"[green]{username} is now an operator[/]")


@scores_app.command("recompute")
def scores_recompute() -> None:
    """Rebuild every score's counters from the event history and rescore all subjects now."""
    from trustlive.app import wire
    from trustlive.kernel.db import unit_of_work
    from trustlive.kernel.runtime import Runtime
    from trustlive.trust.context import EXTRAS_KEY, TrustContext
    from trustlive.trust.jobs import recompute_all

    async def main() -> tuple[int, int]:
        runtime = Runtime.build(get_settings())
        try:
            wire(runtime)
            ctx = runtime.extras[EXTRAS_KEY]
            assert isinstance(ctx, TrustContext)
            async with unit_of_work(runtime.sessions) as session:
                return await recompute_all(session, ctx, runtime.clock.now())
        finally:
            await runtime.close()

    with console.status("recomputing scores…"):
        events, subjects = asyncio.run(main())
    console.print(
        f"[green]scores recomputed[/]: {events} events folded, {subjects} subjects scored"
    )


def _safe_url(url: str) -> str:
    return Settings.model_construct(database_url=url).database_url.split("@")[-1]


if __name__ == "__main__":
    app()
