"""Orders and payments HTTP API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from fastapi.responses import JSONResponse

from trustlive.accounts import CurrentUser, Principal
from trustlive.kernel import idempotency
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit, next_before
from trustlive.orders import checks, lifecycle, payments, placing, reveals, schemas, views
from trustlive.orders.domain import (
    OrderStatus,
)
from trustlive.orders.policy import policy_from
from trustlive.orders.schemas import order_out

router = APIRouter(tags=["orders"])
DeviceId = Annotated[
    str | None,
    Header(alias="X-Device-Id", description="the client's device id (kept only as a keyed digest)"),
]


def client_of(
    request: Request, device_id: str | None, payment_instrument: str | None = None
) -> checks.Client:
    """What the request says about the buyer's client, for risk control's order check."""
    return checks.Client(
        device_id=device_id,
        address=request.client.host if request.client else None,
        payment_instrument=payment_instrument,
    )


def _page(found: list[views.OrderView], limit: int, viewer: Principal) -> schemas.OrderPage:
    return schemas.OrderPage(
        items=[order_out(v, viewer) for v in found],
        next_before=next_before(found, limit, lambda v: v.order.id),
    )


@router.post(
    "/orders",
    operation_id="placeOrder",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.OrderOut,
)
async def place_order(
    body: schemas.OrderIn,
    request: Request,
    me: CurrentUser,
    tx: Tx,
    rt: Rt,
    idempotency_key: Annotated[str | None, Header(description="a fresh UUID per order")] = None,
    device_id: DeviceId = None,
) -> JSONResponse:
    async def make() -> dict[str, Any]:
        view = await placing.place_order(
            tx,
            buyer_id=me.user_id,
            lines=[(ln.sku_id, ln.quantity) for ln in body.lines],
            address=body.address.model_dump(),
            buyer_note=body.buyer_note,
            source=placing.Source(),
            policy=policy_from(rt.settings),
            now=rt.clock.now(),
            check=checks.check_of(rt),
            client=client_of(request, device_id, body.payment_instrument),
        )
        return order_out(view, me).model_dump(mode="json")

    try:
        return await idempotency.answer_once(
            tx,
            scope=f"placeOrder:{me.user_id}",
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            make=make,
            now=rt.clock.now(),
        )
    except checks.OrderBlocked:
        await tx.commit()  # risk's record of the refused attempt; nothing of the order exists
        raise


@router.get("/orders/{order_id}", operation_id="getOrder", response_model=schemas.OrderOut)
async def get_order(order_id: Id, me: CurrentUser, tx: Tx) -> schemas.OrderOut:
    return order_out(await views.get_order(tx, order_id=order_id, viewer=me), me)


@router.get("/me/orders", operation_id="listMyOrders", response_model=schemas.OrderPage)
async def list_my_orders(
    me: CurrentUser,
    tx: Tx,
    status: OrderStatus | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.OrderPage:
    found = await views.list_buyer_orders(
        tx, buyer_id=me.user_id, status=status, before=before, limit=limit
    )
    return _page(found, limit, me)


@router.get(
    "/shops/{shop_id}/orders", operation_id="listShopOrders", response_model=schemas.OrderPage
)
async def list_shop_orders(
    shop_id: Id,
    me: CurrentUser,
    tx: Tx,
    status: OrderStatus | None = None,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.OrderPage:
    found = await views.list_shop_orders(
        tx, shop_id=shop_id, actor_id=me.user_id, status=status, before=before, limit=limit
    )
    return _page(found, limit, me)


@router.post("/orders/{order_id}/payments", operation_id="payOrder", response_model=schemas.PayOut)
async def pay_order(order_id: Id, me: CurrentUser, rt: Rt) -> schemas.PayOut:
    paid = await payments.pay_with_sandbox(rt, order_id=order_id, buyer_id=me.user_id)
    return schemas.PayOut(
        payment=schemas.PaymentOut.model_validate(paid.payment), order=order_out(paid.view, me)
    )


@router.post(
    "/payments/sandbox/notify",
    operation_id="sandboxPaymentNotify",
    response_model=schemas.NotifyOut,
)
async def sandbox_payment_notify(
    request: Request,
    tx: Tx,
    rt: Rt,
    x_sandbox_timestamp: Annotated[str | None, Header()] = None,
    x_sandbox_signature: Annotated[str | None, Header()] = None,
) -> schemas.NotifyOut:
    """Called by the payment provider, not by users: authorised by the HMAC signature alone."""
    note = payments.verify_notification(
        body=await request.body(),
        timestamp=x_sandbox_timestamp,
        signature=x_sandbox_signature,
        secret=rt.settings.sandbox_payment_secret,
        tolerance_seconds=rt.settings.payment_notification_tolerance_seconds,
        now=rt.clock.now(),
    )
    outcome = await payments.accept_notification(
        tx, note, secret=rt.settings.sandbox_payment_secret, now=rt.clock.now()
    )
    return schemas.NotifyOut(outcome=outcome)


@router.post(
    "/orders/{order_id}/cancel", operation_id="cancelOrder", response_model=schemas.OrderOut
)
async def cancel_order(
    order_id: Id, me: CurrentUser, tx: Tx, rt: Rt, body: schemas.CancelIn | None = None
) -> schemas.OrderOut:
    view = await lifecycle.cancel_order(
        tx,
        order_id=order_id,
        viewer=me,
        reason=(body.reason if body else "") or "cancelled",
        now=rt.clock.now(),
    )
    return order_out(view, me)


@router.post(
    "/orders/{order_id}/shipment", operation_id="shipOrder", response_model=schemas.OrderOut
)
async def ship_order(
    order_id: Id, body: schemas.ShipIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.OrderOut:
    view = await lifecycle.ship_order(
        tx,
        order_id=order_id,
        actor_id=me.user_id,
        carrier=body.carrier,
        tracking_no=body.tracking_no,
        policy=policy_from(rt.settings),
        now=rt.clock.now(),
    )
    return order_out(view, me)


@router.post(
    "/orders/{order_id}/receipt", operation_id="confirmReceipt", response_model=schemas.OrderOut
)
async def confirm_receipt(order_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.OrderOut:
    view = await lifecycle.confirm_receipt(
        tx,
        order_id=order_id,
        buyer_id=me.user_id,
        policy=policy_from(rt.settings),
        now=rt.clock.now(),
    )
    return order_out(view, me)


@router.post(
    "/orders/{order_id}/address-reveals",
    operation_id="revealOrderAddress",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.AddressRevealOut,
)
async def reveal_order_address(
    order_id: Id, body: schemas.RevealIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.AddressRevealOut:
    """Staff who ship see this order's full address; who, when and why is recorded, and each
    may do it a limited number of times a day (429 past it)."""
    reveal, address = await reveals.reveal_address(
        tx,
        order_id=order_id,
        actor_id=me.user_id,
        reason=body.reason,
        policy=reveals.load_reveal_policy(),
        now=rt.clock.now(),
    )
    return schemas.AddressRevealOut(
        id=reveal.id,
        order_id=reveal.order_id,
        user_id=reveal.user_id,
        reason=reveal.reason,
        revealed_at=reveal.revealed_at,
        address=address,
    )


@router.get(
    "/shops/{shop_id}/address-reveals",
    operation_id="listAddressReveals",
    response_model=schemas.RevealPage,
)
async def list_address_reveals(
    shop_id: Id, me: CurrentUser, tx: Tx, before: Id | None = None, limit: Limit = 50
) -> schemas.RevealPage:
    """Every address the shop's staff revealed: for the owner and admins (manage_shop)."""
    records = await reveals.list_reveals(
        tx, shop_id=shop_id, actor_id=me.user_id, before=before, limit=limit
    )
    items = [
        schemas.RevealRecordOut(
            id=r.reveal.id,
            order_id=r.reveal.order_id,
            user_id=r.reveal.user_id,
            user_name=r.user_name,
            reason=r.reveal.reason,
            policy_version=r.reveal.policy_version,
            revealed_at=r.reveal.revealed_at,
        )
        for r in records
    ]
    cursor = next_before(records, limit, lambda r: r.reveal.id)
    return schemas.RevealPage(items=items, next_before=cursor)
