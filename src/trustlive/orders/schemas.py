"""Orders HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trustlive.accounts import Principal
from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id
from trustlive.orders.domain import (
    MAX_LINES,
    MAX_QUANTITY,
    Actor,
    OrderStatus,
    allowed_actions,
    mask_address,
)
from trustlive.orders.views import OrderView

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


Strict = InputModel  # every request body: no unknown fields, no control characters


class AddressIn(Strict):
    recipient: Short = Field(examples=["王小明"])
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 \-]{4,19}$")] = Field(
        examples=["13800138000"]
    )
    province: Short = Field(examples=["江西省"])
    city: Short = Field(examples=["赣州市"])
    district: Short = Field(examples=["章贡区"])
    detail: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class LineIn(Strict):
    sku_id: Id
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]


PaymentInstrument = Annotated[
    str | None,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Field(
        description="the payment provider's token of the card or wallet the buyer will pay with; "
        "risk control keeps only a keyed digest of it",
    ),
]


class OrderIn(Strict):
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
    address: AddressIn
    buyer_note: Annotated[str, StringConstraints(max_length=200)] = ""
    payment_instrument: PaymentInstrument = None


class ShipIn(Strict):
    carrier: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    tracking_no: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9\-]{4,40}$")
    ]


class CancelIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku_id: Id
    product_id: Id
    title: str
    spec_name: str
    image_url: str | None
    unit_price_fen: int
    quantity: int
    line_total_fen: int


class TransitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    action: str
    actor: str
    actor_id: Id | None
    reason: str
    at: datetime


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    buyer_id: Id
    shop_id: Id
    status: OrderStatus
    items_fen: int
    shipping_fen: int
    total_fen: int
    address: dict[str, str] = Field(
        description="the buyer sees it whole; anyone else masked (138****5678, 王*, street ****)"
    )
    buyer_note: str
    room_id: Id | None
    live_session_id: Id | None
    placed_at: datetime
    pay_deadline_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    carrier: str | None
    tracking_no: str | None
    auto_receive_at: datetime | None
    received_at: datetime | None
    completes_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    closed_at: datetime | None
    refunded_fen: int = Field(description="given back so far through after-sales; ≤ total_fen")
    lines: list[LineOut] = []
    history: list[TransitionOut] = []
    actions: list[str] = Field([], description="what the caller may do next")


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_before: str | None


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    order_id: Id
    amount_fen: int
    provider: str
    status: str
    provider_ref: str | None
    created_at: datetime
    settled_at: datetime | None


class PayOut(BaseModel):
    payment: PaymentOut
    order: OrderOut


class NotifyOut(BaseModel):
    outcome: str


class RevealIn(Strict):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)
    ] = Field(examples=["打印面单 printing the waybill"])


class AddressRevealOut(BaseModel):
    id: Id
    order_id: Id
    user_id: Id
    reason: str
    revealed_at: datetime
    address: dict[str, str]


class RevealRecordOut(BaseModel):
    id: Id
    order_id: Id
    user_id: Id
    user_name: str
    reason: str
    policy_version: str
    revealed_at: datetime


class RevealPage(BaseModel):
    items: list[RevealRecordOut]
    next_before: str | None


# Other contexts that sell orders (room orders, flash sales) answer with the same schema.
def order_out(view: OrderView, viewer: Principal | None = None) -> OrderOut:
    out = OrderOut.model_validate(view.order)
    if viewer is None or viewer.user_id != view.order.buyer_id:
        out.address = mask_address(view.order.address)  # staff reveal it through revealAddress
    out.lines = [LineOut.model_validate(ln) for ln in view.lines]
    out.history = [TransitionOut.model_validate(t) for t in view.transitions]
    if viewer is not None:
        actor = Actor.BUYER if viewer.user_id == view.order.buyer_id else Actor.MERCHANT
        out.actions = [a.value for a in allowed_actions(OrderStatus(view.order.status), actor)]
    return out
