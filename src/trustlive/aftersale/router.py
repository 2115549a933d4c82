"""After-sales HTTP API: requests, returns, disputes, guarantees, deposits and pay-outs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status
from fastapi.responses import JSONResponse

from trustlive import shops
from trustlive.accounts import CurrentOperator, CurrentUser, Principal
from trustlive.aftersale import disputes, guarantee_router, requests, schemas, service
from trustlive.aftersale.domain import Action, Actor, Status, allowed_actions
from trustlive.aftersale.ledger import config_from
from trustlive.kernel import idempotency
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit, next_before

router = APIRouter(tags=["aftersale"])
router.include_router(guarantee_router.router)
IdemKey = Annotated[str | None, Header(description="a fresh UUID per request")]


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
            tx, buyer_id=me.user_id, new=new, cfg=config_from(rt.settings), now=rt.clock.now()
        )
        out = await _out(tx, await requests.view(tx, request), me)
        return out.model_dump(mode="json")

    return await idempotency.answer_once(
        tx,
        scope=f"openAftersaleRequest:{me.user_id}:{order_id}",
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        make=make,
        now=rt.clock.now(),
    )


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
    return schemas.RequestPage(items=items, next_before=next_before(rows, limit, lambda r: r.id))


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
        tx, request, actor=Actor.MERCHANT, actor_id=me.user_id, cfg=config_from(rt.settings),
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
        cfg=config_from(rt.settings), now=rt.clock.now(), note=body.reason,
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
        tx, request, carrier=body.carrier, tracking_no=body.tracking_no,
        cfg=config_from(rt.settings), now=rt.clock.now(),
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
        tx, request, actor=Actor.MERCHANT, actor_id=me.user_id, cfg=config_from(rt.settings),
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
        image_urls=list(body.image_urls), cfg=config_from(rt.settings), now=rt.clock.now(),
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
        next_before=next_before(rows, limit, lambda r: r.id),
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
        tx, dispute_id=dispute_id, operator_id=op.user_id, ruling=ruling,
        cfg=config_from(rt.settings), now=rt.clock.now(),
    )  # fmt: skip
    return await _dispute_out(tx, dispute)
