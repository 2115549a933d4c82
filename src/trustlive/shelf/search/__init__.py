"""Search: one port (`port.py`), the database's own full text as the embedded engine (`sql.py`),
documents built from other contexts (`documents.py`)."""

from __future__ import annotations

from trustlive.shelf.search.port import (
    DocKind,
    Facets,
    SearchDocument,
    SearchEngine,
    SearchHit,
    SearchPage,
    SearchQuery,
    Sort,
)
from trustlive.shelf.search.sql import SqlSearchEngine


def engine_for(database_url: str) -> SearchEngine:
    """The engine in force: the database's own full text. An external engine's adapter is
    chosen here (by a setting) when one is added; see port.py."""
    return SqlSearchEngine("postgresql" if database_url.startswith("postgresql") else "sqlite")


__all__ = [
    "DocKind",
    "Facets",
    "SearchDocument",
    "SearchEngine",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "Sort",
    "SqlSearchEngine",
    "engine_for",
]
