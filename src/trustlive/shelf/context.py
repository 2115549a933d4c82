"""What the shelf needs at run time: the search engine in force and the policy."""

from __future__ import annotations

from dataclasses import dataclass

from trustlive.kernel.runtime import Runtime, Slot
from trustlive.shelf.policy import ShelfPolicy, load_policy
from trustlive.shelf.search import SearchEngine, engine_for


@dataclass(frozen=True)
class ShelfContext:
    engine: SearchEngine
    policy: ShelfPolicy


EXTRAS_KEY: Slot[ShelfContext] = Slot("shelf")  # the composition root fills it


def build_context(database_url: str, policy: ShelfPolicy | None = None) -> ShelfContext:
    return ShelfContext(engine_for(database_url), policy or load_policy())


def shelf_of(runtime: Runtime) -> ShelfContext:
    ctx = EXTRAS_KEY.get(runtime)
    if ctx is None:
        raise RuntimeError("the shelf is not wired: call bootstrap.wire(runtime)")
    return ctx
