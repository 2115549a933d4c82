"""After-sales HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trustlive.aftersale.domain import Guarantee, Kind, Reason, Status
from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s]{1,490}$")]
Urls = Annotated[list[Url], Field(max_length=9)]


Strict = InputModel  # every request body: no unknown fields, no control characters


class LineIn(Strict):
    sku_id: Id
    quantity: Annotated[int, Field(ge=1, le=999)]


class RequestIn(Strict):
    kind: Kind
    reason: Reason
    text: Text = ""
    evidence_urls: Urls = Field(default_factory=list)
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=20)] | None = Field(
        None, description="the SKUs concerned; all not yet returned when left out"
    )
    amount_fen: Annotated[int, Field(ge=1)] | None = Field(
        None, description="refund asked; the value of the lines (within what is left) if omitted"
    )


class RejectIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]


class ShipReturnIn(Strict):
    carrier: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    tracking_no: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9\-]{4,40}$")
    ]


class EvidenceIn(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]
    image_urls: Urls = Field(default_factory=list)


class DecisionIn(Strict):
    merchant_at_fault: bool
    counterfeit: bool = False
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]


class GuaranteesIn(Strict):
    opt_in: Annotated[list[Guarantee], Field(max_length=10)]


class TopUpIn(Strict):
    amount_fen: Annotated[int, Field(ge=1)]


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str
    to_status: str
    action: str
    actor: str
    actor_id: Id | None
    note: str
    policy_version: str
    at: datetime


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    party: str
    author_id: Id
    text: str
    image_urls: list[str]
    created_at: datetime


class DisputeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    request_id: Id
    order_id: Id
    shop_id: Id
    buyer_id: Id
    status: str
    opened_at: datetime
    decided_at: datetime | None
    operator_id: Id | None
    merchant_at_fault: bool | None
    counterfeit: bool | None
    decision_note: str
    policy_version: str
    evidence: list[EvidenceOut] = []


class RequestLineOut(BaseModel):
    sku_id: Id
    quantity: int


class RequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    order_id: Id
    shop_id: Id
    buyer_id: Id
    kind: Kind
    reason: Reason
    text: str
    evidence_urls: list[str]
    lines: list[RequestLineOut]
    amount_fen: int
    shipped: bool
    status: Status
    opened_at: datetime
    decide_by_at: datetime | None
    decided_at: datetime | None
    reject_reason: str
    return_ship_by_at: datetime | None
    return_carrier: str | None
    return_tracking_no: str | None
    return_shipped_at: datetime | None
    confirm_by_at: datetime | None
    return_received_at: datetime | None
    refunded_fen: int
    refunded_at: datetime | None
    instant: bool
    without_return: bool
    closed_at: datetime | None
    policy_version: str
    history: list[StepOut] = []
    dispute: DisputeOut | None = None
    actions: list[str] = Field([], description="what the caller may do next")


class RequestPage(BaseModel):
    items: list[RequestOut]
    next_before: str | None


class DisputePage(BaseModel):
    items: list[DisputeOut]
    next_before: str | None


class OfferedOut(BaseModel):
    guarantee: Guarantee
    source: str = Field(description="mandatory | opt_in | tier")


class ShopGuaranteesOut(BaseModel):
    shop_id: Id
    policy_version: str
    guarantees: list[OfferedOut]
    opt_in_choices: list[Guarantee]


class ProductGuaranteesOut(BaseModel):
    product_id: Id
    shop_id: Id
    policy_version: str
    guarantees: list[Guarantee]


class DepositEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    kind: str
    amount_fen: int
    balance_after_fen: int
    payout_id: Id | None
    note: str
    created_at: datetime


class DepositOut(BaseModel):
    shop_id: Id
    balance_fen: int = Field(description="negative: owed to the platform, repaid by top-ups")
    entries: list[DepositEntryOut]


class PayoutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    guarantee: Guarantee
    payer: str
    buyer_id: Id
    shop_id: Id
    order_id: Id
    request_id: Id | None
    amount_fen: int
    platform_advanced_fen: int
    provider_ref: str
    reason: str
    policy_version: str
    created_at: datetime


class PayoutPage(BaseModel):
    items: list[PayoutOut]
    next_before: str | None
