"""Benchmark: FRAUDAR peeling time against edges (near-linear: 10x edges <= 15x time).

    .venv/bin/python bench/risk_graph.py --edges 10000 100000 1000000

Each size is a degree-skewed buyer x product graph (setting A's shape, scaled) with a 200 x 200
block at density 0.04 and random camouflage; one full run of find_dense_blocks (the policy's
max_blocks passes) is timed, and the ratio of time to the previous size printed.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from trustlive.risk.graph import find_dense_blocks, load_policy
from trustlive.risk.graph.evaluation import GRAPH_SETTINGS
from trustlive.risk.graph.synthetic import graph_with_block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    policy = load_policy().dense_blocks
    base = GRAPH_SETTINGS["A"]
    per_buyer = base.mean_degree * 0.8  # distinct edges per buyer, roughly
    previous: tuple[int, float] | None = None
    print(f"{'edges':>10} {'seconds':>9} {'edge ratio':>10} {'time ratio':>10} blocks")
    for target in args.edges:
        buyers = max(1000, int(target / per_buyer))
        world = replace(base, buyers=buyers, products=max(1000, buyers), camouflage="random")
        edges, _ = graph_with_block(random.Random(args.seed), world)
        started = time.perf_counter()
        blocks = find_dense_blocks(edges, policy)
        seconds = time.perf_counter() - started
        ratio = ""
        if previous:
            ratio = f"{len(edges) / previous[0]:>10.1f} {seconds / previous[1]:>10.1f}"
        else:
            ratio = f"{'':>10} {'':>10}"
        shapes = [(len(b.rows), len(b.columns)) for b in blocks]
        print(f"{len(edges):>10} {seconds:>9.2f} {ratio} {shapes}", flush=True)
        previous = (len(edges), seconds)


if __name__ == "__main__":
    main()
