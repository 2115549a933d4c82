"""Brushing, dense blocks: FRAUDAR greedy peeling (Hooi et al., KDD 2016) on a bipartite graph.

Rows are buyers, columns are shops or products. An edge (buyer bought from column at least once)
weighs 1 / log(column degree + c), so popular columns count little and camouflage edges to them
cannot hide a block. Peeling removes, again and again, the node whose removal loses the least
weight, and keeps the node set with the highest weight per node. A priority queue (heapq with
stale entries skipped) makes one pass O(E log V). Blocks are found in turn: a found block's
edges are removed and the graph peeled again.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trustlive.risk.graph.policy import DenseBlockPolicy


@dataclass(frozen=True, slots=True)
class DenseBlock:
    """A dense set of buyers and columns, and its weighted mass per node."""

    rows: frozenset[int]
    columns: frozenset[int]
    density: float
    edges: int


def column_weights(degrees: Sequence[int], c: float, *, weighted: bool) -> list[float]:
    """FRAUDAR's column weight 1/log(deg + c); 1 for every column in an unweighted peel."""
    if not weighted:
        return [1.0] * len(degrees)
    return [1.0 / math.log(d + c) for d in degrees]


def peel(
    n_rows: int, n_cols: int, edges: Sequence[tuple[int, int]], weights: Sequence[float]
) -> tuple[set[int], set[int], float]:
    """One greedy peel over (row index, column index) edges: the densest node set found.

    Nodes 0..n_rows-1 are rows, n_rows.. are columns. Returns the block's row indices, column
    indices and its density (edge weight per node).
    """
    n = n_rows + n_cols
    adj: list[list[int]] = [[] for _ in range(n)]
    priority = [0.0] * n
    for r, c in edges:
        w = weights[c]
        adj[r].append(n_rows + c)
        adj[n_rows + c].append(r)
        priority[r] += w
        priority[n_rows + c] += w
    nodes = [v for v in range(n) if adj[v]]
    mass = sum(weights[c] for _, c in edges)
    size = len(nodes)
    if size == 0:
        return set(), set(), 0.0
    heap = [(priority[v], v) for v in nodes]
    heapq.heapify(heap)
    removed = [False] * n
    order: list[int] = []
    best, best_cut = mass / size, 0
    while heap:
        p, v = heapq.heappop(heap)
        if removed[v] or p != priority[v]:
            continue
        removed[v] = True
        order.append(v)
        mass -= p
        size -= 1
        for u in adj[v]:
            if not removed[u]:
                priority[u] -= weights[u - n_rows] if v < n_rows else weights[v - n_rows]
                heapq.heappush(heap, (priority[u], u))
        if size and mass / size > best:
            best, best_cut = mass / size, len(order)
    gone = set(order[:best_cut])
    block = [v for v in nodes if v not in gone]
    return {v for v in block if v < n_rows}, {v - n_rows for v in block if v >= n_rows}, best


def find_dense_blocks(
    edges: Iterable[tuple[int, int]],
    policy: DenseBlockPolicy,
    *,
    weighted: bool = True,
    min_density: float | None = None,
) -> list[DenseBlock]:
    """Dense (buyer, column) blocks in turn, each clearing the policy's density and size floor.

    `edges` are (buyer id, column id) pairs; repeats count once. `weighted=False` is the plain
    average-degree peel, kept as a baseline. `min_density` overrides the policy's floor.
    """
    pairs = set(edges)
    row_ids = sorted({r for r, _ in pairs})
    col_ids = sorted({c for _, c in pairs})
    row_index = {r: i for i, r in enumerate(row_ids)}
    col_index = {c: i for i, c in enumerate(col_ids)}
    indexed = [(row_index[r], col_index[c]) for r, c in pairs]
    degrees = [0] * len(col_ids)
    for _, c in indexed:
        degrees[c] += 1
    weights = column_weights(degrees, policy.column_weight_c, weighted=weighted)
    floor = policy.min_density if min_density is None else min_density
    blocks: list[DenseBlock] = []
    for _ in range(policy.max_blocks):
        rows, cols, density = peel(len(row_ids), len(col_ids), indexed, weights)
        if not rows:
            break
        inside = [(r, c) for r, c in indexed if r in rows and c in cols]
        if density >= floor and len(rows) >= policy.min_rows and len(cols) >= policy.min_columns:
            blocks.append(
                DenseBlock(
                    rows=frozenset(row_ids[r] for r in rows),
                    columns=frozenset(col_ids[c] for c in cols),
                    density=density,
                    edges=len(inside),
                )
            )
        kept = set(inside)
        indexed = [e for e in indexed if e not in kept]
    return blocks
