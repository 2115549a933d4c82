"""Keyset paging, the same for every list: `?before=<id>&limit=N`, newest first, and the answer's
`next_before` is the cursor for the next page (null on the last one)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Query

T = TypeVar("T")
Limit = Annotated[int, Query(ge=1, le=100, description="items per page")]


def next_before(items: Sequence[T], limit: int, cursor: Callable[[T], int]) -> str | None:
    """A full page may have more after it: its last item's cursor. A short page is the last."""
    return str(cursor(items[-1])) if items and len(items) == limit else None
