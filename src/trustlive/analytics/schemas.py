"""Analytics HTTP schemas. Money in fen, rates in basis points; a rate is null when there is
nothing to divide by, and `pending` says why for each null figure."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from trustlive.analytics.domain import Window
from trustlive.kernel.http import Id


class SeriesPointOut(BaseModel):
    start: datetime = Field(description="bucket start (UTC); hours for 1d, days otherwise")
    gmv_fen: int
    paid_orders: int
    buyers: int


class TotalsOut(BaseModel):
    gmv_fen: int = Field(description="sum paid in the window, refunds not deducted")
    paid_orders: int
    buyers: int
    aov_fen: int | None = Field(description="average order value; null without orders")
    repurchase_rate_bp: int | None = Field(description="buyers with 2+ paid orders / buyers")
    new_buyers: int
    returning_buyers: int = Field(description="buyers who had paid before the window")


class SessionFiguresOut(BaseModel):
    live_session_id: Id
    gmv_fen: int
    paid_orders: int
    buyers: int
    viewers: int | None = Field(description="room entries the live channel counted")
    conversion_bp: int | None = Field(description="buyers in the session / its viewers")


class SellerDashboardOut(BaseModel):
    shop_id: Id
    window: Window
    start: datetime = Field(description="window start, inclusive (00:00 UTC)")
    end: datetime = Field(description="window end, exclusive: one microsecond after now")
    totals: TotalsOut
    fans: int = Field(description="followers of the shop now")
    fan_repurchase_rate_bp: int | None
    conversion_bp: int | None = Field(
        description="room buyers / room viewers, over the window's live sessions"
    )
    refund_rate_bp: int | None = Field(description="paid orders refunded / paid orders")
    series: list[SeriesPointOut]
    sessions: list[SessionFiguresOut]
    pending: dict[str, str] = Field(description="figures reported as null, and why")


class ShopGmvOut(BaseModel):
    shop_id: Id
    name: str
    gmv_fen: int
    paid_orders: int


class BinOut(BaseModel):
    low: int = Field(description="score in hundredths, inclusive")
    high: int = Field(description="score in hundredths, exclusive (the last bin includes it)")
    count: int


class OperatorDashboardOut(BaseModel):
    window: Window
    start: datetime
    end: datetime
    totals: TotalsOut
    monthly_active_buyers: int = Field(description="distinct buyers who paid in the last 30 days")
    mutual_follow_pairs: int
    refund_rate_bp: int | None = Field(description="paid orders refunded / paid orders")
    dispute_rate_bp: int | None = Field(
        description="paid orders taken to the platform as a dispute / paid orders"
    )
    shop_score_distribution: list[BinOut] = Field(
        description="shops per half point of shop experience score (0–5), now"
    )
    series: list[SeriesPointOut]
    top_shops: list[ShopGmvOut]
    pending: dict[str, str]
