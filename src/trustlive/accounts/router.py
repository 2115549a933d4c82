"""Accounts HTTP API: register, log in and out, me, follows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status

from trustlive.accounts import schemas, service
from trustlive.accounts.dependencies import BearerToken, CurrentUser, token_cache
from trustlive.accounts.login import log_in, origin_of
from trustlive.kernel.http import Id, Rt, Tx

router = APIRouter(tags=["accounts"])
PageLimit = Annotated[int, Query(ge=1, le=200)]


DeviceId = Annotated[
    str | None,
    Header(alias="X-Device-Id", description="the client's device id (kept only as a keyed digest)"),
]


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/users",
    operation_id="registerUser",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.UserOut,
)
async def register_user(
    body: schemas.RegisterIn, request: Request, tx: Tx, rt: Rt, device_id: DeviceId = None
) -> schemas.UserOut:
    password_hash = await rt.passwords.hash(body.password)  # before the transaction begins
    user = await service.register(
        tx,
        password_hash=password_hash,
        username=body.username,
        display_name=body.display_name,
        as_creator=body.as_creator,
        now=rt.clock.now(),
        origin=origin_of(rt, address=_client_address(request), device_id=device_id),
    )
    return schemas.UserOut.model_validate(user)


@router.post(
    "/sessions",
    operation_id="login",
    response_model=schemas.TokenOut,
    responses={429: {"description": "too many failed logins; see Retry-After"}},
)
async def login(
    body: schemas.LoginIn, request: Request, rt: Rt, device_id: DeviceId = None
) -> schemas.TokenOut:
    issued = await log_in(
        rt,
        username=body.username,
        password=body.password,
        address=_client_address(request),
        device_id=device_id,
    )
    return schemas.TokenOut(
        token=issued.token,
        expires_at=issued.expires_at,
        user=schemas.UserOut.model_validate(issued.user),
    )


@router.delete(
    "/sessions/current",
    operation_id="logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def logout(me: CurrentUser, token: BearerToken, tx: Tx, rt: Rt) -> None:
    await service.logout(tx, token=token, now=rt.clock.now())
    token_cache(rt).evict(token)


@router.get("/users/me", operation_id="getMe", response_model=schemas.MeOut)
async def get_me(me: CurrentUser, tx: Tx) -> schemas.MeOut:
    user = await service.get_user(tx, me.user_id)
    followers, following = await service.follow_counts(tx, me.user_id)
    base = schemas.UserOut.model_validate(user).model_dump()
    return schemas.MeOut(**base, followers=followers, following=following)


@router.get("/users/{user_id}", operation_id="getUser", response_model=schemas.PublicUserOut)
async def get_user(user_id: Id, me: CurrentUser, tx: Tx) -> schemas.PublicUserOut:
    return schemas.PublicUserOut.model_validate(await service.get_user(tx, user_id))


@router.put(
    "/me/following/{user_id}", operation_id="followUser", response_model=schemas.FollowResult
)
async def follow_user(user_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.FollowResult:
    mutual = await service.follow(
        tx, follower_id=me.user_id, followee_id=user_id, now=rt.clock.now()
    )
    return schemas.FollowResult(following=True, mutual=mutual)


@router.delete(
    "/me/following/{user_id}",
    operation_id="unfollowUser",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def unfollow_user(user_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> None:
    await service.unfollow(tx, follower_id=me.user_id, followee_id=user_id, now=rt.clock.now())


def _page(entries: list[service.FollowEntry], limit: int) -> schemas.FollowPage:
    items = [
        schemas.FollowOut(
            user=schemas.PublicUserOut.model_validate(e.user),
            followed_at=e.followed_at,
            mutual=e.mutual,
        )
        for e in entries
    ]
    next_before = str(entries[-1].cursor) if len(entries) == limit else None
    return schemas.FollowPage(items=items, next_before=next_before)


@router.get(
    "/users/{user_id}/followers", operation_id="listFollowers", response_model=schemas.FollowPage
)
async def list_followers(
    user_id: Id, me: CurrentUser, tx: Tx, before: Id | None = None, limit: PageLimit = 50
) -> schemas.FollowPage:
    entries = await service.list_followers(tx, user_id=user_id, before=before, limit=limit)
    return _page(entries, limit)


@router.get(
    "/users/{user_id}/following", operation_id="listFollowing", response_model=schemas.FollowPage
)
async def list_following(
    user_id: Id, me: CurrentUser, tx: Tx, before: Id | None = None, limit: PageLimit = 50
) -> schemas.FollowPage:
    entries = await service.list_following(tx, user_id=user_id, before=before, limit=limit)
    return _page(entries, limit)
