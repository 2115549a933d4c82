"""Guarantees, deposits and the pay-out ledger over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, status
from fastapi.responses import JSONResponse

from trustlive import shops
from trustlive.accounts import CurrentUser
from trustlive.aftersale import ledger, offers, schemas
from trustlive.aftersale.domain import Guarantee
from trustlive.aftersale.policy import load_policy
from trustlive.kernel import idempotency
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit

router = APIRouter(tags=["aftersale"])
IdemKey = Annotated[str | None, Header(description="a fresh UUID per request")]


async def _guarantees_out(tx: Tx, shop_id: int) -> schemas.ShopGuaranteesOut:
    policy = load_policy()
    await shops.get_shop(tx, shop_id)
    found = await offers.shop_guarantees(tx, shop_id, policy)
    return schemas.ShopGuaranteesOut(
        shop_id=shop_id,
        policy_version=policy.version,
        guarantees=[schemas.OfferedOut(guarantee=g, source=s) for g, s in found],
        opt_in_choices=sorted(await offers.opt_in_choices(tx, shop_id, policy)),
    )


@router.get(
    "/shops/{shop_id}/guarantees",
    operation_id="getShopGuarantees",
    response_model=schemas.ShopGuaranteesOut,
)
async def get_shop_guarantees(shop_id: Id, tx: Tx) -> schemas.ShopGuaranteesOut:
    return await _guarantees_out(tx, shop_id)


@router.put(
    "/shops/{shop_id}/guarantees",
    operation_id="setShopGuarantees",
    response_model=schemas.ShopGuaranteesOut,
)
async def set_shop_guarantees(
    shop_id: Id, body: schemas.GuaranteesIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ShopGuaranteesOut:
    await offers.set_opt_in(
        tx, shop_id=shop_id, actor_id=me.user_id, wanted=set(body.opt_in), policy=load_policy(),
        now=rt.clock.now(),
    )  # fmt: skip
    return await _guarantees_out(tx, shop_id)


@router.get(
    "/products/{product_id}/guarantees",
    operation_id="getProductGuarantees",
    response_model=schemas.ProductGuaranteesOut,
)
async def get_product_guarantees(product_id: Id, tx: Tx) -> schemas.ProductGuaranteesOut:
    policy = load_policy()
    shop_id, shown = await offers.product_guarantees(tx, product_id=product_id, policy=policy)
    return schemas.ProductGuaranteesOut(
        product_id=product_id, shop_id=shop_id, policy_version=policy.version, guarantees=shown
    )


async def _deposit_out(tx: Tx, shop_id: int, actor_id: int, rt: Rt) -> schemas.DepositOut:
    balance, entries = await ledger.deposit_of(
        tx, shop_id=shop_id, actor_id=actor_id, now=rt.clock.now()
    )
    return schemas.DepositOut(
        shop_id=shop_id,
        balance_fen=balance,
        entries=[schemas.DepositEntryOut.model_validate(e) for e in entries],
    )


@router.post(
    "/shops/{shop_id}/deposit/top-ups",
    operation_id="topUpDeposit",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DepositOut,
)
async def top_up(
    shop_id: Id,
    body: schemas.TopUpIn,
    me: CurrentUser,
    tx: Tx,
    rt: Rt,
    idempotency_key: IdemKey = None,
) -> JSONResponse:
    async def make() -> dict[str, Any]:
        await ledger.top_up(
            tx, shop_id=shop_id, actor_id=me.user_id, amount_fen=body.amount_fen,
            policy=load_policy(), now=rt.clock.now(),
        )  # fmt: skip
        return (await _deposit_out(tx, shop_id, me.user_id, rt)).model_dump(mode="json")

    return await idempotency.answer_once(
        tx,
        scope=f"topUpDeposit:{me.user_id}:{shop_id}",
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        make=make,
        now=rt.clock.now(),
    )


@router.get(
    "/shops/{shop_id}/deposit", operation_id="getDeposit", response_model=schemas.DepositOut
)
async def get_deposit(shop_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.DepositOut:
    return await _deposit_out(tx, shop_id, me.user_id, rt)


@router.get(
    "/guarantee-payouts", operation_id="listGuaranteePayouts", response_model=schemas.PayoutPage
)
async def list_payouts(
    me: CurrentUser,
    tx: Tx,
    shop_id: Id | None = None,
    guarantee: Guarantee | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.PayoutPage:
    """With shop_id: the shop's ledger (its after-sales staff, operators). Without: your own
    pay-outs as a buyer; operators see every pay-out (e.g. each refund without return)."""
    if shop_id is not None and not me.is_operator:
        await shops.require_permission(
            tx, shop_id=shop_id, user_id=me.user_id, permission=shops.Permission.HANDLE_AFTERSALE
        )
    rows = await ledger.list_payouts(
        tx,
        shop_id=shop_id,
        buyer_id=None if shop_id is not None or me.is_operator else me.user_id,
        guarantee=guarantee,
        before=before,
        limit=limit,
    )
    return schemas.PayoutPage(
        items=[schemas.PayoutOut.model_validate(r) for r in rows],
        next_before=str(rows[-1].id) if len(rows) == limit else None,
    )
