"""Room fan-out benchmark: many viewers on one room's channel while buyers purchase in the room.

    .venv/bin/python bench/room_fanout.py --viewers 10000

The server runs in its own process (uvicorn, one worker, permessage-deflate off); the viewers run
in `--client-processes` other processes (aiohttp); this process places and pays the orders
(--rate per second for --seconds). Prints deliveries/s, frames/s, the p99 delay from a purchase's
commit to viewers seeing it, and whether every viewer saw every purchase in sequence order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seed import ADDRESS, buyers, live_room
from _server import database, percentile, served

SAMPLE_EVERY = 20  # viewers whose per-purchase arrival times are kept for the delay figures


# --- viewer processes -----------------------------------------------------------------------


class Viewer:
    def __init__(self, sampled: bool) -> None:
        self.last_seq = -1
        self.frames = 0
        self.events = 0
        self.purchases = 0
        self.out_of_order = 0
        self.reconnects = 0
        self.errors = 0
        self.last_frame_at = 0.0
        self.seen_at: list[float] | None = [] if sampled else None
        self.in_room = asyncio.Event()  # set by the first frame (the room's snapshot)

    def take(self, data: str) -> None:
        frame = json.loads(data)
        now = time.time()
        self.frames += 1
        self.in_room.set()
        self.last_frame_at = now
        for event in frame["events"]:
            self.events += 1
            seq = event["seq"]
            if event["type"] != "snapshot":
                if seq <= self.last_seq:
                    self.out_of_order += 1
                if event["type"] == "purchase":
                    count = 1 + int(event["others"])
                    self.purchases += count
                    if self.seen_at is not None:  # delays: seen minus the payment's commit
                        committed = datetime.fromisoformat(event["at"]).timestamp()
                        self.seen_at.extend([now - committed] * count)
            self.last_seq = max(self.last_seq, seq)


async def watch(
    http: aiohttp.ClientSession, url: str, viewer: Viewer, expected: int, stop_at: float
) -> None:
    query = ""
    while viewer.purchases < expected and time.time() < stop_at:
        try:
            async with http.ws_connect(f"{url}{query}", autoping=True, compress=0) as ws:
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.TEXT:
                        viewer.take(message.data)
                        if viewer.purchases >= expected:
                            return
        except Exception:  # refused while 10,000 connect at once, reset, …: try again
            viewer.errors += 1
            await asyncio.sleep(2 + viewer.errors)
        viewer.reconnects += 1
        query = f"?after={viewer.last_seq}"


async def viewers_main(url: str, count: int, expected: int, seconds: float, index: int) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        viewers = [Viewer(i % SAMPLE_EVERY == 0) for i in range(count)]
        tasks = []
        for i, viewer in enumerate(viewers):
            tasks.append(asyncio.create_task(watch(http, url, viewer, expected, time.time() + 1e9)))
            if i % 100 == 99:
                await asyncio.sleep(0.1)  # ~1,000 connections a second
        # ready when every viewer has its first frame (the room's snapshot): a viewer that is not
        # in the room yet cannot see a purchase, and would be counted as having missed it
        await asyncio.wait([asyncio.create_task(v.in_room.wait()) for v in viewers], timeout=300)
        await asyncio.sleep(1)
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # the driver says when purchases start
        stop = asyncio.create_task(asyncio.to_thread(sys.stdin.readline))  # … and when done
        await asyncio.wait([stop], timeout=seconds * 10)
        await asyncio.wait(tasks, timeout=90)  # until every viewer has seen every purchase
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    frames = sum(v.frames for v in viewers)
    result = {
        "index": index,
        "viewers": count,
        "frames": frames,
        "events": sum(v.events for v in viewers),
        "purchases_min": min(v.purchases for v in viewers),
        "complete": sum(1 for v in viewers if v.purchases >= expected),
        "out_of_order": sum(v.out_of_order for v in viewers),
        "reconnects": sum(v.reconnects for v in viewers),
        "saw_none": sum(1 for v in viewers if v.purchases == 0),
        # the incomplete: when their last frame came (s before the end) and how far their seqs got
        "incomplete_quiet_for": sorted(
            round(time.time() - v.last_frame_at, 1) for v in viewers if v.purchases < expected
        )[::50],
        "incomplete_last_seq": sorted(v.last_seq for v in viewers if v.purchases < expected)[::50],
        "complete_last_seq": max((v.last_seq for v in viewers), default=0),
        "errors": sum(v.errors for v in viewers),
        "never_connected": sum(1 for v in viewers if v.frames == 0),
        "seen_at": [v.seen_at for v in viewers if v.seen_at is not None],
    }
    print(json.dumps(result), flush=True)


# --- driver ---------------------------------------------------------------------------------


async def purchase(
    http: aiohttp.ClientSession, url: str, token: str, session_id: str, sku_id: str
) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    async with http.post(
        f"{url}/api/v1/sessions/{session_id}/orders",
        json={"lines": [{"sku_id": sku_id, "quantity": 1}], "address": ADDRESS},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    ) as r:
        order = await r.json()
        if r.status != 201:
            raise aiohttp.ClientError(f"placeRoomOrder answered {r.status}")
    async with http.post(f"{url}/api/v1/orders/{order['id']}/payments", headers=headers) as r:
        if r.status != 200:
            raise aiohttp.ClientError(f"payOrder answered {r.status}")
    return time.time()  # the payment has committed when its answer arrives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=50, help="purchases per second")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument(
        "--redis",
        action="store_true",
        help="events through Redis pub/sub, the dispatcher in its own `trustlive worker` process",
    )
    parser.add_argument(
        "--fanout-server",
        action="store_true",
        help="viewers connect to a second server process that only holds WebSockets, fed by "
        "Redis pub/sub (needs --redis); purchases go to the first",
    )
    parser.add_argument("--keep-log", type=Path, help="the WebSocket-only server's log file")
    parser.add_argument("--viewer-process", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fanout_server and not args.redis:
        parser.error("--fanout-server needs --redis")
    if args.viewer_process:
        url, count, expected, seconds, index = args.viewer_process
        asyncio.run(viewers_main(url, int(count), int(expected), float(seconds), int(index)))
        return
    with database(args.db) as db_url, tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0") if args.redis else None
        with served(db_url, redis_url=redis_url, log=log, separate_worker=args.redis) as url:
            if not args.fanout_server:
                report = asyncio.run(drive(url, args))
            else:
                fanout_log = args.keep_log or Path(tmp) / "fanout.log"
                with served(
                    db_url, redis_url=redis_url, log=fanout_log, background_jobs=False
                ) as ws_url:
                    report = asyncio.run(drive(url, args, ws_base=ws_url))
        print(report)
        print(report)


def spawn_viewers(
    ws_url: str, per: int, total: int, args: argparse.Namespace
) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--viewer-process",
                ws_url,
                str(per),
                str(total),
                str(args.seconds + 15),
                str(i),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(args.client_processes)
    ]


async def drive(url: str, args: argparse.Namespace, ws_base: str | None = None) -> str:
    total = int(args.rate * args.seconds)
    async with aiohttp.ClientSession() as http:
        room = await live_room(http, url, stock=total + 100)
        tokens = await buyers(http, url, 50)
        ws_url = (ws_base or url).replace("http", "ws") + f"/ws/rooms/{room.room_id}"
        per = args.viewers // args.client_processes
        procs = spawn_viewers(ws_url, per, total, args)
        connect_started = time.time()
        for p in procs:
            assert p.stdout is not None
            assert p.stdout.readline().strip() == "ready"
        connected_in = time.time() - connect_started
        started = time.time()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write(f"{started}\n")
            p.stdin.flush()
        commits: list[float] = []

        failures = 0

        async def one(i: int) -> None:
            nonlocal failures
            await asyncio.sleep(max(0.0, started + i / args.rate - time.time()))
            for _ in range(5):
                try:
                    commits.append(
                        await purchase(
                            http, url, tokens[i % len(tokens)], room.session_id, room.sku_id
                        )
                    )
                    return
                except (aiohttp.ClientError, TimeoutError):
                    failures += 1

        await asyncio.gather(*(one(i) for i in range(total)))
        purchases_done = time.time() - started
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("stop\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, _ = await asyncio.to_thread(p.communicate)
            results.append(json.loads(out.strip().splitlines()[-1]))
        ended = time.time()
    report = summarise(args, results, sorted(commits), started, ended, connected_in, purchases_done)
    return report + f"\n  purchase requests that failed and were retried: {failures}"


def summarise(
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    commits: list[float],
    started: float,
    ended: float,
    connected_in: float,
    purchases_done: float,
) -> str:
    total = len(commits)
    delays = [delay for r in results for seen in r["seen_at"] for delay in seen]
    frames = sum(r["frames"] for r in results)
    events = sum(r["events"] for r in results)
    window = max(purchases_done, 1e-9) + 2.0
    viewers = sum(r["viewers"] for r in results)
    lines = [
        f"room fan-out: viewers={viewers} in {args.client_processes} client processes, "
        f"{args.rate}/s purchases for {args.seconds} s ({total}), db={args.db}, 1 uvicorn "
        f"worker, redis+separate dispatcher={args.redis}, "
        f"viewers on a WebSocket-only server={args.fanout_server}, permessage-deflate off; "
        f"{os.cpu_count()} cores; {platform.python_version()}",
        f"  viewers in the room (each had its first frame) after {connected_in:.1f} s; "
        f"purchases placed+paid in "
        f"{purchases_done:.1f} s",
        f"  viewers that saw all {total} purchases: {sum(r['complete'] for r in results)}"
        f"/{viewers}; fewest seen by one viewer: {min(r['purchases_min'] for r in results)}; "
        f"viewers that saw none: {sum(r['saw_none'] for r in results)}",
        f"  out-of-order events: {sum(r['out_of_order'] for r in results)}; "
        f"reconnects: {sum(r['reconnects'] for r in results)} (connection errors "
        f"{sum(r['errors'] for r in results)}, never connected "
        f"{sum(r['never_connected'] for r in results)})",
        f"  frames received: {frames} ({frames / window:.0f}/s over the purchase window + 2 s)",
        *(
            f"  client process {r['index']}: incomplete viewers quiet for (s, every 50th) "
            f"{r['incomplete_quiet_for'][:12]}, their last seq {r['incomplete_last_seq'][:12]}, "
            f"highest seq seen {r['complete_last_seq']}"
            for r in results
            if r["incomplete_quiet_for"]
        ),
        f"  events delivered: {events} ({events / window:.0f}/s)",
        f"  delay payment commit -> viewer (sampled 1/{SAMPLE_EVERY} viewers, {len(delays)} "
        f"samples): p50 {percentile(delays, 0.5) * 1000:.0f} ms, p99 "
        f"{percentile(delays, 0.99) * 1000:.0f} ms, max {max(delays, default=0) * 1000:.0f} ms",
        f"  whole run {ended - started:.1f} s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
