"""After-sales HTTP API: requests, returns, disputes, guarantees, deposits and pay-outs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from trustlive import shops
from trustlive.accounts import CurrentOperator, CurrentUser, Principal
from trustlive.aftersale import disputes, ledger, offers, requests, schemas, service
from trustlive.aftersale.domain import Action, Actor, Guarantee, Status, allowed_actions
from trustlive.aftersale.ledger import Config
from trustlive.aftersale.policy import load_policy
from trustlive.kernel import idempotency
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.runtime import Runtime

router = APIRouter(tags=["aftersale"])
Limit = Annotated[int, Query(ge=1, le=100)]
IdemKey = Annotated[str | None, Header(description="a fresh UUID per request")]


def config_from(rt: Runtime) -> Config:
    return Config(load_policy(), rt.settings.sandbox_payment_secret)


async def _out(tx: Tx, view: requests.RequestView, viewer: Principal) -> schemas.RequestOut:
    out = schemas.RequestOut.model_validate(view.request)
    out.history = [schemas.StepOut.model_validate(s) for s in view.steps]
    if view.dispute is not None:
        out.dispute = schemas.DisputeOut.model_validate(view.dispute)
        out.dispute.evidence = [schemas.EvidenceOut.model_validate(e) for e in view.evidence]
    actor = (
        Actor.BUYER
        if viewer.user_id == view.request.buyer_id
        else Actor.MERCHANT
        if await requests.handles_shop(tx, view.request.shop_id, viewer.user_id)
        else Actor.OPERATOR
    )
    actions: list[Action] = allowed_actions(Status(view.request.status), actor)
    out.actions = [a.value for a in actions]
    return out


async def _once(
    tx: Tx,
    rt: Rt,
    *,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    make: Callable[[], Awaitable[dict[str, Any]]],
) -> JSONResponse:
    """Run `make` once per idempotency key: a retry returns the first answer, changes nothing."""
    checked = idempotency.check_key(key)
    fingerprint = idempotency.request_fingerprint(body)
    stored = await idempotency.find_answer(tx, scope=scope, key=checked, fingerprint=fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code)
    answer = await make()
    idempotency.save_answer(
        tx, scope=scope, key=checked, fingerprint=fingerprint, status_code=201, body=answer,
        now=rt.clock.now(),
    )  # fmt: skip
    try:
        await tx.flush()
    except IntegrityError:  # a concurrent retry with the same key committed first
        await tx.rollback()
        stored = await idempotency.find_answer(
            tx, scope=scope, key=checked, fingerprint=fingerprint
        )
        assert stored is not None
        return JSONResponse(stored.body, status_code=stored.status_code)
    return JSONResponse(answer, status_code=201)


@router.post(
    "/orders/{order_id}/aftersale-requests",
    operation_id="openAftersaleRequest",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.RequestOut,
)
async def open_request(
    order_id: Id,
    body: schemas.RequestIn,
    me: CurrentUser,
    tx: Tx,
    rt: Rt,
    idempotency_key: IdemKey = None,
) -> JSONResponse:
    async def make() -> dict[str, Any]:
        new = service.NewRequest(
            order_id=order_id,
            kind=body.kind,
            reason=body.reason,
            text=body.text,
            evidence_urls=list(body.evidence_urls),
            lines=None if body.lines is None else _merge(body.lines),
            amount_fen=body.amount_fen,
        )
        request = await service.open_request(
            tx, buyer_id=me.user_id, new=new, cfg=config_from(rt), now=rt.clock.now()
        )
        out = await _out(tx, await requests.view(tx, request), me)
        return out.model_dump(mode="json")

    return await _once(
        tx, rt, scope=f"openAftersaleRequest:{me.user_id}:{order_id}", key=idempotency_key,
        body=body.model_dump(mode="json"), make=make,
    )  # fmt: skip


def _merge(lines: list[schemas.LineIn]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for line in lines:
        merged[line.sku_id] = merged.get(line.sku_id, 0) + line.quantity
    return merged


@router.get(
    "/aftersale-requests/{request_id}",
    operation_id="getAftersaleRequest",
    response_model=schemas.RequestOut,
)
async def get_request(request_id: Id, me: CurrentUser, tx: Tx) -> schemas.RequestOut:
    return await _out(tx, await requests.visible_to(tx, request_id, me), me)


async def _page(tx: Tx, rows: list[Any], limit: int, me: Principal) -> schemas.RequestPage:
    items = [await _out(tx, await requests.view(tx, r), me) for r in rows]
    return schemas.RequestPage(
        items=items, next_before=str(rows[-1].id) if len(rows) == limit else None
    )


@router.get(
    "/me/aftersale-requests",
    operation_id="listMyAftersaleRequests",
    response_model=schemas.RequestPage,
)
async def list_mine(
    me: CurrentUser,
    tx: Tx,
    status: Status | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.RequestPage:
    rows = await service.list_requests(
        tx, buyer_id=me.user_id, status=status, before=before, limit=limit
    )
    return await _page(tx, rows, limit, me)


@router.get(
    "/shops/{shop_id}/aftersale-requests",
    operation_id="listShopAftersaleRequests",
    response_model=schemas.RequestPage,
)
async def list_shop(
    shop_id: Id,
    me: CurrentUser,
    tx: Tx,
    status: Status | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.RequestPage:
    await shops.require_permission(
        tx, shop_id=shop_id, user_id=me.user_id, permission=shops.Permission.HANDLE_AFTERSALE
    )
    rows = await service.list_requests(
        tx, shop_id=shop_id, status=status, before=before, limit=limit
    )
    return await _page(tx, rows, limit, me)


@router.post(
    "/aftersale-requests/{request_id}/accept",
    operation_id="acceptAftersaleRequest",
    response_model=schemas.RequestOut,
)
async def accept(request_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.RequestOut:
    request = await requests.for_merchant(tx, request_id, me.user_id)
    await service.accept(
        tx, request, actor=Actor.MERCHANT, actor_id=me.user_id, cfg=config_from(rt),
        now=rt.clock.now(),
    )  # fmt: skip
    return await _out(tx, await requests.view(tx, request), me)


@router.post(
    "/aftersale-requests/{request_id}/reject",
    operation_id="rejectAftersaleRequest",
    response_model=schemas.RequestOut,
)
async def reject(
    request_id: Id, body: schemas.RejectIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.RequestOut:
    request = await requests.for_merchant(tx, request_id, me.user_id)
    await service.decide(
        tx, request, action=Action.REJECT, actor=Actor.MERCHANT, actor_id=me.user_id,
        cfg=config_from(rt), now=rt.clock.now(), note=body.reason,
    )  # fmt: skip
    return await _out(tx, await requests.view(tx, request), me)


@router.post(
    "/aftersale-requests/{request_id}/return-shipment",
    operation_id="shipReturn",
    response_model=schemas.RequestOut,
)
async def ship_return(
    request_id: Id, body: schemas.ShipReturnIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.RequestOut:
    request = await requests.for_buyer(tx, request_id, me.user_id)
    await service.ship_return(
        tx, request, carrier=body.carrier, tracking_no=body.tracking_no, cfg=config_from(rt),
        now=rt.clock.now(),
    )  # fmt: skip
    return await _out(tx, await requests.view(tx, request), me)


@router.post(
    "/aftersale-requests/{request_id}/return-receipt",
    operation_id="confirmReturnReceived",
    response_model=schemas.RequestOut,
)
async def confirm_return(request_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.RequestOut:
    request = await requests.for_merchant(tx, request_id, me.user_id)
    await service.confirm_return(
        tx, request, actor=Actor.MERCHANT, actor_id=me.user_id, cfg=config_from(rt),
        now=rt.clock.now(),
    )  # fmt: skip
    return await _out(tx, await requests.view(tx, request), me)


@router.post(
    "/aftersale-requests/{request_id}/dispute",
    operation_id="escalateToDispute",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.RequestOut,
)
async def escalate(
    request_id: Id, body: schemas.EvidenceIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.RequestOut:
    await disputes.escalate(
        tx, request_id=request_id, buyer_id=me.user_id, text=body.text,
        image_urls=list(body.image_urls), cfg=config_from(rt), now=rt.clock.now(),
    )  # fmt: skip
    return await _out(tx, await requests.visible_to(tx, request_id, me), me)


@router.post(
    "/disputes/{dispute_id}/evidence",
    operation_id="addDisputeEvidence",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.EvidenceOut,
)
async def add_evidence(
    dispute_id: Id, body: schemas.EvidenceIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.EvidenceOut:
    row = await disputes.add_evidence(
        tx, dispute_id=dispute_id, viewer=me, text=body.text, image_urls=list(body.image_urls),
        now=rt.clock.now(),
    )  # fmt: skip
    return schemas.EvidenceOut.model_validate(row)


async def _dispute_out(tx: Tx, dispute: Any) -> schemas.DisputeOut:
    view = await requests.view(tx, await requests.load(tx, dispute.request_id))
    out = schemas.DisputeOut.model_validate(dispute)
    out.evidence = [schemas.EvidenceOut.model_validate(e) for e in view.evidence]
    return out


@router.get("/disputes", operation_id="listDisputes", response_model=schemas.DisputePage)
async def list_disputes(
    op: CurrentOperator,
    tx: Tx,
    status: Annotated[str | None, Query(pattern="^(open|decided)$")] = "open",
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.DisputePage:
    rows = await disputes.list_disputes(tx, status=status, before=before, limit=limit)
    return schemas.DisputePage(
        items=[await _dispute_out(tx, d) for d in rows],
        next_before=str(rows[-1].id) if len(rows) == limit else None,
    )


@router.post(
    "/disputes/{dispute_id}/decision",
    operation_id="decideDispute",
    response_model=schemas.DisputeOut,
)
async def decide_dispute(
    dispute_id: Id, body: schemas.DecisionIn, op: CurrentOperator, tx: Tx, rt: Rt
) -> schemas.DisputeOut:
    ruling = disputes.Ruling(body.merchant_at_fault, body.counterfeit, body.note)
    dispute = await disputes.decide(
        tx, dispute_id=dispute_id, operator_id=op.user_id, ruling=ruling, cfg=config_from(rt),
        now=rt.clock.now(),
    )  # fmt: skip
    return await _dispute_out(tx, dispute)


async def _guarantees_out(tx: Tx, shop_id: int) -> schemas.ShopGuaranteesOut:
    policy = load_policy()
    await shops.get_shop(tx, shop_id)
    found = await offers.shop_guarantees(tx, shop_id, policy)
    return schemas.ShopGuaranteesOut(
        shop_id=shop_id,
        policy_version=policy.version,
        guarantees=[schemas.OfferedOut(guarantee=g, source=s) for g, s in found],
        opt_in_choices=sorted(policy.opt_in),
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

    return await _once(
        tx, rt, scope=f"topUpDeposit:{me.user_id}:{shop_id}", key=idempotency_key,
        body=body.model_dump(mode="json"), make=make,
    )  # fmt: skip


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
