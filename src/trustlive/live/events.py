"""Events published by live rooms."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class RoomWentLive(Event):
    topic = "live.room_went_live"
    room_id: int
    session_id: int
    shop_id: int | None
    owner_user_id: int


@dataclass(frozen=True, kw_only=True)
class RoomWentOffAir(Event):
    topic = "live.room_went_off_air"
    room_id: int
    session_id: int
    shop_id: int | None
