"""Events published by accounts."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class UserRegistered(Event):
    topic = "accounts.user_registered"
    user_id: int


@dataclass(frozen=True, kw_only=True)
class UserFollowed(Event):
    topic = "accounts.user_followed"
    follower_id: int
    followee_id: int
    mutual: bool


@dataclass(frozen=True, kw_only=True)
class UserUnfollowed(Event):
    topic = "accounts.user_unfollowed"
    follower_id: int
    followee_id: int
