"""HLS viewers one nginx process serves: a local load generator ramps up simulated viewers of
one live stream until fetching a fragment takes longer than the fragment lasts (1 s).

    .venv/bin/python bench/hls_viewers.py --levels 100,200,400,800,1600 --seconds 8

Each viewer behaves like hls.js on a live playlist: it reads the playlist once per target
duration and fetches every fragment it has not yet fetched, starting at a random moment. Per
level it prints fragment fetch p50/p95/max, playlists and fragments per second, errors, and the
CPU of nginx's worker and of the load generator (same 2 cores: when the generator saturates a
core first, the figure is a floor for nginx, not its ceiling).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _media_rig import media_rig

FRAGMENT_SECONDS = 1.0
_SEGMENT = re.compile(r"^([^#\s][^\s]*)$", re.MULTILINE)


@dataclass
class Tally:
    fetch_seconds: list[float] = field(default_factory=list)
    playlists: int = 0
    fragments: int = 0
    errors: int = 0
    fragment_bytes: int = 0


async def viewer(
    session: aiohttp.ClientSession, url: str, tally: Tally, stop: asyncio.Event
) -> None:
    base = url.rsplit("/", 1)[0]
    seen: set[str] = set()
    await asyncio.sleep(random.random() * FRAGMENT_SECONDS)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            async with session.get(url) as answer:
                text = await answer.text()
            tally.playlists += 1
            for name in _SEGMENT.findall(text):
                if name in seen:
                    continue
                fetch = time.perf_counter()
                async with session.get(f"{base}/{name}") as answer:
                    body = await answer.read()
                    if answer.status != 200:
                        tally.errors += 1
                        continue
                if seen:  # the first look fetches the backlog; only live fetches count
                    tally.fetch_seconds.append(time.perf_counter() - fetch)
                seen.add(name)
                tally.fragments += 1
                tally.fragment_bytes += len(body)
        except (aiohttp.ClientError, TimeoutError):
            tally.errors += 1
        await asyncio.sleep(max(0.0, FRAGMENT_SECONDS - (time.perf_counter() - started)))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Share = tuple[list[float], tuple[int, int, int], float]  # fetch times, counts, generator CPU


async def _share(url: str, viewers: int, seconds: float) -> Share:
    """One generator process's share of the viewers for one level."""
    tally = Tally()
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = [asyncio.create_task(viewer(session, url, tally, stop)) for _ in range(viewers)]
        await asyncio.sleep(2.0)  # everyone has started and fetched the backlog
        tally.fetch_seconds.clear()
        begin = (tally.playlists, tally.fragments, tally.errors)
        me0 = time.process_time()
        await asyncio.sleep(seconds)
        me1 = time.process_time()
        fetches = list(tally.fetch_seconds)
        counts = (tally.playlists - begin[0], tally.fragments - begin[1], tally.errors - begin[2])
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return fetches, counts, me1 - me0


def _run_share(args: tuple[str, int, float]) -> Share:
    return asyncio.run(_share(*args))


def level(
    url: str, viewers: int, seconds: float, nginx_pid: int, processes: int
) -> dict[str, float]:
    workers = _worker_pids(nginx_pid)
    shares = [viewers // processes + (i < viewers % processes) for i in range(processes)]
    with multiprocessing.Pool(processes) as pool:
        pending = pool.map_async(_run_share, [(url, n, seconds) for n in shares])
        time.sleep(2.0)
        cpu0 = sum(_cpu_seconds(p) for p in workers)
        t0 = time.perf_counter()
        time.sleep(seconds)
        cpu1 = sum(_cpu_seconds(p) for p in workers)
        elapsed = time.perf_counter() - t0
        results = pending.get()
    fetches = [f for r in results for f in r[0]]
    counts = [r[1] for r in results]
    return {
        "viewers": viewers,
        "p50": _quantile(fetches, 0.5),
        "p95": _quantile(fetches, 0.95),
        "max": max(fetches, default=float("nan")),
        "playlists_s": sum(c[0] for c in counts) / seconds,
        "fragments_s": sum(c[1] for c in counts) / seconds,
        "errors": sum(c[2] for c in counts),
        "nginx_cpu": (cpu1 - cpu0) / elapsed,
        "client_cpu": sum(r[2] for r in results) / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="100,200,400,800,1600,3200")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    args = parser.parse_args()
    random.seed(7)
    print(f"# HLS viewers of one nginx-rtmp worker — {platform.node()}, {os.cpu_count()} cores")
    print(f"# load generator: {args.processes} processes (aiohttp), same machine")
    print("# stream: 640x360 15 fps ~500 kbit/s + 48 kbit/s AAC, 1 s fragments, 4 s playlist")
    with media_rig() as rig:
        assert rig.nginx.process is not None
        print(
            "viewers  frag p50 ms  p95 ms  max ms  playlists/s  fragments/s  errors  "
            "nginx cpu  generator cpu"
        )
        for viewers in (int(v) for v in args.levels.split(",")):
            pid = rig.nginx.process.pid
            r = level(rig.playlist_url, viewers, args.seconds, pid, args.processes)
            print(
                f"{viewers:7d}  {r['p50'] * 1000:11.1f}  {r['p95'] * 1000:6.1f}  "
                f"{r['max'] * 1000:6.0f}  {r['playlists_s']:11.0f}  {r['fragments_s']:11.0f}  "
                f"{r['errors']:6.0f}  {r['nginx_cpu'] * 100:8.0f}%  {r['client_cpu'] * 100:12.0f}%"
            )
            if r["p95"] > FRAGMENT_SECONDS or r["errors"] > viewers * 0.01:
                print(
                    f"# past the limit at {viewers} viewers: a fragment takes longer than it lasts"
                )
                break


if __name__ == "__main__":
    main()
