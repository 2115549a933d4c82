"""Live rooms: rooms, sessions, pins, spotlight, flash sales, comments, the room channel.

Other contexts use this facade: the risk context plugs a `Moderator` in for comments; analytics
reads the viewers of each session; media reports a room's stream (on air, dropped, back).
"""

from trustlive.live.audience import session_viewers
from trustlive.live.broadcast import (
    RoomOnAir,
    live_session_of,
    may_broadcast_in,
    require_room_broadcaster,
    stream_dropped,
    stream_publishing,
    stream_resumed,
)
from trustlive.live.channel.hub import Channel
from trustlive.live.comments import MODERATOR_KEY, AllowAll, Moderator, Reminder, Verdict
from trustlive.live.directory import (
    RoomFacts,
    room_facts,
    room_ids_after,
    room_of_shop,
    rooms_on_air,
)
from trustlive.live.domain import StreamStatus
from trustlive.live.events import RoomWentLive, RoomWentOffAir
from trustlive.live.owners import CommentFacts, RoomOwner, comment_facts, room_owner
from trustlive.live.wiring import channel_of

__all__ = [
    "MODERATOR_KEY",
    "AllowAll",
    "Channel",
    "CommentFacts",
    "Moderator",
    "Reminder",
    "RoomFacts",
    "RoomOnAir",
    "RoomOwner",
    "RoomWentLive",
    "RoomWentOffAir",
    "StreamStatus",
    "Verdict",
    "channel_of",
    "comment_facts",
    "live_session_of",
    "may_broadcast_in",
    "require_room_broadcaster",
    "room_facts",
    "room_ids_after",
    "room_of_shop",
    "room_owner",
    "rooms_on_air",
    "session_viewers",
    "stream_dropped",
    "stream_publishing",
    "stream_resumed",
]
