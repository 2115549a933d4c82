"""Live rooms: rooms, sessions, pins, spotlight, flash sales, comments, the room channel.

Other contexts use this facade: the risk context plugs a `Moderator` in for comments; analytics
reads the viewers of each session.
"""

from trustlive.live.audience import session_viewers
from trustlive.live.comments import MODERATOR_KEY, AllowAll, Moderator, Reminder, Verdict
from trustlive.live.owners import CommentFacts, RoomOwner, comment_facts, room_owner

__all__ = [
    "MODERATOR_KEY",
    "AllowAll",
    "CommentFacts",
    "Moderator",
    "Reminder",
    "RoomOwner",
    "Verdict",
    "comment_facts",
    "room_owner",
    "session_viewers",
]
