"""Text check per message: p50 / p99 of TextChecker.check_message over the labelled corpus
(both template sets, positives, hard negatives and claims), with the per-user history in use.

    .venv/bin/python bench/risk_text.py [--per-family 300] [--seed 7] [--rounds 3]

Target (issue 15, item 6): p99 ≤ 5 ms per message. Runs in this process, one message at a time."""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta

from trustlive.risk.text import TextChecker, load_text_policy
from trustlive.risk.text.corpus import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-family", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    messages = [
        (i, text)
        for name in "ab"
        for i, sample in enumerate(generate(args.seed, args.per_family, name))
        for text in sample.messages
    ]
    checker = TextChecker(load_text_policy())
    start = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    timings: list[float] = []
    for round_no in range(args.rounds):
        for n, (user, text) in enumerate(messages):
            now = start + timedelta(seconds=round_no * 10_000 + n)
            began = time.perf_counter()
            checker.check_message(text, user_id=user, place="room:1", now=now)
            timings.append(time.perf_counter() - began)
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99)] * 1000
    print(f"risk text check: {len(timings)} messages ({len(messages)} × {args.rounds} rounds)")
    print(f"python {platform.python_version()} on {platform.machine()}, one process")
    print(
        f"p50 {p50:.3f} ms   p99 {p99:.3f} ms   max {timings[-1] * 1000:.3f} ms"
        "   (target p99 ≤ 5 ms)"
    )


if __name__ == "__main__":
    main()
