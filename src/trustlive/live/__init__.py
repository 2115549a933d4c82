"""Live rooms: rooms, sessions, pins, spotlight, flash sales, comments, the room channel.

Other contexts use this facade: the risk context plugs a `Moderator` in for comments; analytics
reads the viewers of each session.
"""

from trustlive.live.audience import session_viewers
from trustlive.live.comments import MODERATOR_KEY, AllowAll, Moderator, Reminder, Verdict
from trustlive.live.directory import (
    RoomFacts,
    room_facts,
    room_ids_after,
    room_of_shop,
    rooms_on_air,
)
from trustlive.live.events import RoomWentLive, RoomWentOffAir

__all__ = [
    "MODERATOR_KEY",
    "AllowAll",
    "Moderator",
    "Reminder",
    "RoomFacts",
    "RoomWentLive",
    "RoomWentOffAir",
    "Verdict",
    "room_facts",
    "room_ids_after",
    "room_of_shop",
    "rooms_on_air",
    "session_viewers",
]
