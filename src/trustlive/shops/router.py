"""Shops HTTP API."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from trustlive.accounts import CurrentUser
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.shops import schemas, service

router = APIRouter(tags=["shops"])


@router.post(
    "/shops",
    operation_id="createShop",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ShopOut,
)
async def create_shop(body: schemas.ShopIn, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.ShopOut:
    shop = await service.open_shop(
        tx,
        owner_id=me.user_id,
        name=body.name,
        description=body.description,
        logo_url=str(body.logo_url) if body.logo_url else None,
        now=rt.clock.now(),
    )
    return schemas.ShopOut.model_validate(shop)


@router.get("/shops/{shop_id}", operation_id="getShop", response_model=schemas.ShopOut)
async def get_shop(shop_id: Id, tx: Tx) -> schemas.ShopOut:
    return schemas.ShopOut.model_validate(await service.get_shop(tx, shop_id))


@router.patch("/shops/{shop_id}", operation_id="updateShop", response_model=schemas.ShopOut)
async def update_shop(
    shop_id: Id, body: schemas.ShopPatch, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ShopOut:
    shop = await service.update_profile(
        tx,
        shop_id=shop_id,
        actor_id=me.user_id,
        name=body.name,
        description=body.description,
        logo_url=str(body.logo_url) if body.logo_url else None,
        now=rt.clock.now(),
    )
    return schemas.ShopOut.model_validate(shop)


@router.get("/me/shops", operation_id="listMyShops", response_model=list[schemas.MyShopOut])
async def list_my_shops(me: CurrentUser, tx: Tx) -> list[schemas.MyShopOut]:
    return [
        schemas.MyShopOut(shop=schemas.ShopOut.model_validate(shop), role=role)
        for shop, role in await service.shops_of(tx, me.user_id)
    ]


@router.post(
    "/shops/{shop_id}/staff",
    operation_id="addShopStaff",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.StaffOut,
)
async def add_shop_staff(
    shop_id: Id, body: schemas.StaffIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.StaffOut:
    staff = await service.add_staff(
        tx,
        shop_id=shop_id,
        actor_id=me.user_id,
        user_id=body.user_id,
        role=body.role,
        now=rt.clock.now(),
    )
    return schemas.StaffOut.model_validate(staff)


@router.get(
    "/shops/{shop_id}/staff", operation_id="listShopStaff", response_model=list[schemas.StaffOut]
)
async def list_shop_staff(shop_id: Id, me: CurrentUser, tx: Tx) -> list[schemas.StaffOut]:
    rows = await service.list_staff(tx, shop_id=shop_id, actor_id=me.user_id)
    return [schemas.StaffOut.model_validate(r) for r in rows]


@router.delete(
    "/shops/{shop_id}/staff/{user_id}",
    operation_id="removeShopStaff",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def remove_shop_staff(shop_id: Id, user_id: Id, me: CurrentUser, tx: Tx) -> None:
    await service.remove_staff(tx, shop_id=shop_id, actor_id=me.user_id, user_id=user_id)
