"""Shelf: search, the mall, shop pages, the feed, exposure decided by trust and its log.

Other contexts need nothing from the shelf; it follows their events (handlers.py) and reads
them through their facades. The composition root builds its context and subscribes it.
"""

from trustlive.shelf.context import EXTRAS_KEY, ShelfContext, build_context, shelf_of
from trustlive.shelf.policy import ShelfPolicy, load_policy

__all__ = ["EXTRAS_KEY", "ShelfContext", "ShelfPolicy", "build_context", "load_policy", "shelf_of"]
