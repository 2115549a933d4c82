"""The last few messages of each user in each place (a room, a message thread), bounded in memory:
a contact split over consecutive messages is read from them. Per process: a user whose messages
land on different server workers is read per worker."""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustlive.risk.text.normalise import Compact

Key = tuple[int, str]  # (user id, place such as "room:12")


@dataclass(frozen=True)
class Said:
    at: datetime
    text: Compact
    raw_length: int


class History:
    def __init__(self, *, keep: int, window: timedelta, places: int) -> None:
        self._keep = keep  # messages read together, the new one included
        self._window = window
        self._places = places
        self._said: OrderedDict[Key, deque[Said]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._said)

    def recent(self, key: Key, now: datetime) -> list[Said]:
        """The earlier messages to read with a new one at `now`, oldest first, each within the
        window of the one after it."""
        said = self._said.get(key)
        if not said:
            return []
        out: list[Said] = []
        later = now
        for item in reversed(said):
            if later - item.at > self._window or later < item.at:
                break
            out.append(item)
            later = item.at
        out.reverse()
        return out

    def add(self, key: Key, item: Said) -> None:
        said = self._said.get(key)
        if said is None:
            said = self._said[key] = deque(maxlen=max(self._keep - 1, 1))
            while len(self._said) > self._places:
                self._said.popitem(last=False)
        else:
            self._said.move_to_end(key)
        said.append(item)
