"""Live rooms: rooms, sessions, pins, spotlight, flash sales, comments, the room channel.

Other contexts use this facade: the risk context plugs a `Moderator` in for comments.
"""

from trustlive.live.comments import AllowAll, Moderator, Verdict

__all__ = ["AllowAll", "Moderator", "Verdict"]
