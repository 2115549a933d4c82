"""FRAUDAR peeling: finds a planted block, several in turn, and respects the floor."""

from __future__ import annotations

from trustlive.risk.graph import find_dense_blocks
from trustlive.risk.graph.policy import DenseBlockPolicy

POLICY = DenseBlockPolicy(
    column_weight_c=5.0, max_blocks=3, min_density=1.0, min_rows=5, min_columns=3
)


def _background() -> list[tuple[int, int]]:
    """A sparse honest graph: buyer b bought products b % 97 and (3b) % 89 (+1000 offset)."""
    return [(b, 1000 + b % 97) for b in range(2000)] + [
        (b, 2000 + (3 * b) % 89) for b in range(2000)
    ]


def _block(rows: range, cols: range) -> list[tuple[int, int]]:
    return [(r, c) for r in rows for c in cols]


def test_a_planted_complete_block_is_found_exactly() -> None:
    edges = _background() + _block(range(5000, 5010), range(9000, 9008))
    [block] = find_dense_blocks(edges, POLICY)
    assert block.rows == frozenset(range(5000, 5010))
    assert block.columns == frozenset(range(9000, 9008))
    assert block.edges == 80


def test_two_blocks_are_found_in_turn() -> None:
    edges = (
        _background()
        + _block(range(5000, 5010), range(9000, 9008))
        + _block(range(6000, 6008), range(9500, 9506))
    )
    blocks = find_dense_blocks(edges, POLICY)
    assert [(len(b.rows), len(b.columns)) for b in blocks] == [(10, 8), (8, 6)]


def test_repeated_orders_count_once() -> None:
    edges = _block(range(10), range(5))
    assert find_dense_blocks(edges * 3, POLICY) == find_dense_blocks(edges, POLICY)


def test_the_honest_background_alone_clears_no_floor() -> None:
    assert find_dense_blocks(_background(), POLICY) == []
