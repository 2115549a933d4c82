"""Events published by accounts."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class UserRegistered(Event):
    topic = "accounts.user_registered"
    user_id: int
    # keyed digests (kernel.fingerprint) of where the account was made, for risk control
    device_digest: str | None = None
    address_digest: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserSignedIn(Event):
    """A login: which device and client address it came from, as keyed digests only."""

    topic = "accounts.user_signed_in"
    user_id: int
    device_digest: str | None = None
    address_digest: str | None = None


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
