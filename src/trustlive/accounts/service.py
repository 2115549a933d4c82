"""Accounts use cases. Each adds and flushes; the caller's unit of work commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from trustlive.accounts import domain
from trustlive.accounts.errors import AccountError
from trustlive.accounts.events import UserFollowed, UserRegistered, UserSignedIn, UserUnfollowed
from trustlive.accounts.models import AuthToken, Follow, User
from trustlive.kernel.auth import Role, new_token, token_digest
from trustlive.kernel.errors import Conflict, NotFound, Problem, Unauthenticated
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    user: User


@dataclass(frozen=True)
class FollowEntry:
    user: User
    followed_at: datetime
    mutual: bool
    cursor: int


def principal_of(user: User) -> domain.Principal:
    return domain.Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r) for r in user.roles),
    )


async def register(
    session: AsyncSession,
    *,
    password_hash: str,
    username: str,
    display_name: str,
    as_creator: bool,
    now: datetime,
    origin: domain.Origin = domain.UNKNOWN_ORIGIN,
) -> User:
    """`password_hash` is made before the transaction: hashing is slow and must hold no lock."""
    if await session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(AccountError.USERNAME_TAKEN, f"username {username!r} is taken; pick another")
    user = User(
        id=new_id(),
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        roles=domain.initial_roles(as_creator=as_creator),
        created_at=now,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the name
        raise Conflict(AccountError.USERNAME_TAKEN, f"username {username!r} is taken") from exc
    record_event(
        session,
        UserRegistered(
            user_id=user.id,
            device_digest=origin.device_digest,
            address_digest=origin.address_digest,
        ),
        now=now,
    )
    return user


async def credentials_of(session: AsyncSession, username: str) -> tuple[int, str] | None:
    """The user's id and password hash, or None when no one has this username."""
    row = (
        await session.execute(select(User.id, User.password_hash).where(User.username == username))
    ).first()
    return None if row is None else (row[0], row[1])


async def issue_token(
    session: AsyncSession,
    *,
    user_id: int,
    ttl_seconds: int,
    now: datetime,
    origin: domain.Origin = domain.UNKNOWN_ORIGIN,
) -> IssuedToken:
    """A new bearer token for a user whose password was just checked."""
    user = await session.get(User, user_id)
    if user is None:  # deleted between the check and now
        raise Problem(AccountError.BAD_CREDENTIALS, "wrong username or password", status=401)
    if user.closed_at is not None:  # only the password's owner learns it
        raise Problem(
            AccountError.ACCOUNT_CLOSED,
            "this account was closed by a platform decision; see the decision and appeal it",
            status=403,
        )
    record_event(
        session,
        UserSignedIn(
            user_id=user.id,
            device_digest=origin.device_digest,
            address_digest=origin.address_digest,
        ),
        now=now,
    )
    token = new_token()
    expires_at = domain.token_expiry(now, ttl_seconds)
    session.add(
        AuthToken(
            digest=token_digest(token), user_id=user.id, created_at=now, expires_at=expires_at
        )
    )
    return IssuedToken(token, expires_at, user)


async def logout(session: AsyncSession, *, token: str, now: datetime) -> None:
    await session.execute(
        update(AuthToken)
        .where(AuthToken.digest == token_digest(token), AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def authenticate(session: AsyncSession, *, token: str, now: datetime) -> domain.Principal:
    principal, _ = await authenticate_until(session, token=token, now=now)
    return principal


async def authenticate_until(
    session: AsyncSession, *, token: str, now: datetime
) -> tuple[domain.Principal, datetime]:
    """The caller and when their token expires."""
    row = (
        await session.execute(
            select(User, AuthToken.expires_at, AuthToken.revoked_at)
            .join(AuthToken, AuthToken.user_id == User.id)
            .where(AuthToken.digest == token_digest(token))
        )
    ).first()
    if row is None or not domain.is_token_live(now=now, expires_at=row[1], revoked_at=row[2]):
        raise Unauthenticated("the token is unknown, expired or logged out; log in again")
    if row[0].closed_at is not None:
        raise Unauthenticated("this account was closed by a platform decision")
    return principal_of(row[0]), row[1]


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


async def rename(session: AsyncSession, *, user_id: int, display_name: str) -> User:
    user = await get_user(session, user_id)
    user.display_name = display_name
    await session.flush()
    return user


async def close_account(session: AsyncSession, *, user_id: int, now: datetime) -> bool:
    """Close an account (an operator's enforcement): its tokens stop working and it cannot log
    in. Returns False when it was already closed. Tokens a process cached stay trusted for at
    most `token_cache_seconds`."""
    user = await get_user(session, user_id)
    if user.closed_at is not None:
        return False
    user.closed_at = now
    await session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return True


async def reopen_account(session: AsyncSession, *, user_id: int) -> None:
    """Undo a closure (an appeal upheld or the closure expired); old tokens stay revoked."""
    user = await get_user(session, user_id)
    user.closed_at = None


async def grant_role(session: AsyncSession, *, user_id: int, role: Role) -> None:
    user = await get_user(session, user_id)
    if role.value not in user.roles:
        user.roles = [*user.roles, role.value]


async def display_names(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {row.id: row.display_name for row in rows}


async def is_following(session: AsyncSession, *, follower_id: int, followee_id: int) -> bool:
    found = await session.scalar(
        select(Follow.id).where(
            Follow.follower_id == follower_id, Follow.followee_id == followee_id
        )
    )
    return found is not None


async def follow_since(
    session: AsyncSession, *, follower_id: int, followee_id: int
) -> datetime | None:
    """When the follower started following, or None: "a fan for 30 days" badges use it."""
    return await session.scalar(
        select(Follow.created_at).where(
            Follow.follower_id == follower_id, Follow.followee_id == followee_id
        )
    )


async def follow(
    session: AsyncSession, *, follower_id: int, followee_id: int, now: datetime
) -> bool:
    """Idempotent: following someone you already follow changes nothing. Returns mutual."""
    if follower_id == followee_id:
        raise Problem(AccountError.CANNOT_FOLLOW_SELF, "you cannot follow yourself")
    await get_user(session, followee_id)
    mutual = await is_following(session, follower_id=followee_id, followee_id=follower_id)
    if await is_following(session, follower_id=follower_id, followee_id=followee_id):
        return mutual
    session.add(
        Follow(follower_id=follower_id, followee_id=followee_id, id=new_id(), created_at=now)
    )
    await session.flush()
    record_event(
        session,
        UserFollowed(follower_id=follower_id, followee_id=followee_id, mutual=mutual),
        now=now,
    )
    return mutual


async def unfollow(
    session: AsyncSession, *, follower_id: int, followee_id: int, now: datetime
) -> None:
    result = await session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        record_event(
            session, UserUnfollowed(follower_id=follower_id, followee_id=followee_id), now=now
        )


async def _follow_page(
    session: AsyncSession, *, user_id: int, direction: str, before: int | None, limit: int
) -> list[FollowEntry]:
    await get_user(session, user_id)
    back = aliased(Follow)
    if direction == "followers":
        mine, other = Follow.followee_id, Follow.follower_id
        reverse = and_(back.follower_id == user_id, back.followee_id == Follow.follower_id)
    else:
        mine, other = Follow.follower_id, Follow.followee_id
        reverse = and_(back.followee_id == user_id, back.follower_id == Follow.followee_id)
    query = (
        select(User, Follow.created_at, Follow.id, back.id)
        .join(User, User.id == other)
        .outerjoin(back, reverse)
        .where(mine == user_id)
        .order_by(Follow.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Follow.id < before)
    rows = (await session.execute(query)).all()
    return [
        FollowEntry(u, at, mutual=back_id is not None, cursor=fid) for u, at, fid, back_id in rows
    ]


async def list_followers(
    session: AsyncSession, *, user_id: int, before: int | None = None, limit: int = 50
) -> list[FollowEntry]:
    return await _follow_page(
        session, user_id=user_id, direction="followers", before=before, limit=limit
    )


async def list_following(
    session: AsyncSession, *, user_id: int, before: int | None = None, limit: int = 50
) -> list[FollowEntry]:
    return await _follow_page(
        session, user_id=user_id, direction="following", before=before, limit=limit
    )


async def follow_counts(session: AsyncSession, user_id: int) -> tuple[int, int]:
    followers = await session.scalar(
        select(func.count()).select_from(Follow).where(Follow.followee_id == user_id)
    )
    following = await session.scalar(
        select(func.count()).select_from(Follow).where(Follow.follower_id == user_id)
    )
    return int(followers or 0), int(following or 0)


async def follower_ids(session: AsyncSession, user_id: int) -> set[int]:
    """Everyone who follows `user_id` now (a seller's fans)."""
    return set(
        await session.scalars(select(Follow.follower_id).where(Follow.followee_id == user_id))
    )


async def followee_ids(session: AsyncSession, user_id: int) -> set[int]:
    """Everyone `user_id` follows now (the anchors of a buyer's private domain)."""
    return set(
        await session.scalars(select(Follow.followee_id).where(Follow.follower_id == user_id))
    )


async def follow_edges(session: AsyncSession) -> list[tuple[int, int]]:
    """Every follow as (follower, followee): the social graph, for platform figures."""
    rows = await session.execute(select(Follow.follower_id, Follow.followee_id))
    return [(a, b) for a, b in rows]
