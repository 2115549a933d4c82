"""Pure frame building: summarise purchases, keep the latest stock per sale, encode once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

RoomEvent = dict[str, Any]
CONSOLE = "console"  # an event's "audience": only the room's broadcasters (its console) get it
PURCHASES_SHOWN = 3  # purchases shown one by one per frame; the rest fold into the last


def coalesce(events: Iterable[RoomEvent]) -> list[RoomEvent]:
    """Events for one frame, in seq order. Beyond PURCHASES_SHOWN purchases, the rest fold into
    one summary ("王** and N others bought …") whose `others` keeps the count exact; only the
    latest `flash_stock` per sale and the latest `viewers` count matter, so earlier ones go (their
    joined names are carried over)."""
    ordered = sorted(events, key=lambda e: int(e["seq"]))
    latest_stock: dict[Any, int] = {}
    latest_viewers = -1
    purchases = 0
    for e in ordered:
        if e["type"] == "flash_stock":
            latest_stock[e["flash_sale_id"]] = int(e["seq"])
        elif e["type"] == "viewers":
            latest_viewers = int(e["seq"])
        elif e["type"] == "purchase":
            purchases += 1
    out: list[RoomEvent] = []
    joined: list[Any] = []
    more_joined = 0
    summary: RoomEvent | None = None
    shown = 0
    for e in ordered:
        kind = e["type"]
        if kind == "flash_stock" and latest_stock[e["flash_sale_id"]] != e["seq"]:
            continue
        if kind == "viewers":
            joined.extend(e.get("joined", []))
            more_joined += int(e.get("more_joined", 0))
            if e["seq"] != latest_viewers:
                continue
            e = {**e, "joined": joined[:VIEWER_NAMES], "more_joined": _more(joined, more_joined)}
        if kind == "purchase":
            shown += 1
            if shown >= PURCHASES_SHOWN and purchases > PURCHASES_SHOWN:
                folded = 0 if summary is None else int(summary["others"]) + 1
                first = e if summary is None else summary  # `at` of the earliest folded
                summary = {**e, "others": folded + int(e.get("others", 0))}
                if "at" in first:
                    summary["at"] = first["at"]
                continue
        out.append(e)
    if summary is not None:
        out.append(summary)
        out.sort(key=lambda ev: int(ev["seq"]))
    return out


VIEWER_NAMES = 10  # names listed in one viewers event; the rest are counted in more_joined


def _more(joined: list[Any], more_joined: int) -> int:
    return more_joined + max(0, len(joined) - VIEWER_NAMES)


def visible(events: list[RoomEvent], *, console: bool) -> list[RoomEvent]:
    """The events a viewer may see: a console sees all, others not those addressed to it."""
    if console:
        return events
    return [e for e in events if e.get("audience") != CONSOLE]


def has_console_events(events: list[RoomEvent]) -> bool:
    return any(e.get("audience") == CONSOLE for e in events)


def encode_frame(frame_no: int, events: list[RoomEvent]) -> str:
    return json.dumps(
        {"frame": frame_no, "events": events}, ensure_ascii=False, separators=(",", ":")
    )
