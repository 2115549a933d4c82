"""Accounts HTTP API: register, log in and out, me and my profile, addresses, follows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status

from trustlive.accounts import addresses, schemas, service
from trustlive.accounts.dependencies import BearerToken, CurrentUser, token_cache
from trustlive.accounts.login import log_in, origin_of
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import next_before

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


@router.patch("/users/me", operation_id="updateMe", response_model=schemas.MeOut)
async def update_me(body: schemas.ProfilePatch, me: CurrentUser, tx: Tx) -> schemas.MeOut:
    user = await service.rename(tx, user_id=me.user_id, display_name=body.display_name)
    followers, following = await service.follow_counts(tx, me.user_id)
    base = schemas.UserOut.model_validate(user).model_dump()
    return schemas.MeOut(**base, followers=followers, following=following)


@router.get("/me/addresses", operation_id="listMyAddresses", response_model=schemas.AddressList)
async def list_my_addresses(me: CurrentUser, tx: Tx) -> schemas.AddressList:
    rows = await addresses.list_addresses(tx, user_id=me.user_id)
    return schemas.AddressList(items=[schemas.AddressOut.model_validate(a) for a in rows])


@router.post(
    "/me/addresses",
    operation_id="addAddress",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.AddressOut,
)
async def add_address(
    body: schemas.SavedAddressIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.AddressOut:
    fields = addresses.AddressFields(**body.model_dump(exclude={"is_default"}))
    address = await addresses.add_address(
        tx, user_id=me.user_id, fields=fields, make_default=body.is_default, now=rt.clock.now()
    )
    return schemas.AddressOut.model_validate(address)


@router.patch(
    "/me/addresses/{address_id}", operation_id="updateAddress", response_model=schemas.AddressOut
)
async def update_address(
    address_id: Id, body: schemas.AddressPatch, me: CurrentUser, tx: Tx
) -> schemas.AddressOut:
    changes = body.model_dump(exclude={"is_default"}, exclude_none=True)
    address = await addresses.change_address(
        tx,
        user_id=me.user_id,
        address_id=address_id,
        changes=changes,
        make_default=bool(body.is_default),
    )
    return schemas.AddressOut.model_validate(address)


@router.delete(
    "/me/addresses/{address_id}",
    operation_id="deleteAddress",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def delete_address(address_id: Id, me: CurrentUser, tx: Tx) -> None:
    await addresses.delete_address(tx, user_id=me.user_id, address_id=address_id)


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


@router.get(
    "/me/following/{user_id}", operation_id="getFollowState", response_model=schemas.FollowState
)
async def get_follow_state(user_id: Id, me: CurrentUser, tx: Tx) -> schemas.FollowState:
    """Whether you follow this user and they follow you: a follow button's starting state."""
    await service.get_user(tx, user_id)
    return schemas.FollowState(
        following=await service.is_following(tx, follower_id=me.user_id, followee_id=user_id),
        followed_by=await service.is_following(tx, follower_id=user_id, followee_id=me.user_id),
    )


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
    return schemas.FollowPage(
        items=items, next_before=next_before(entries, limit, lambda e: e.cursor)
    )


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
