"""Analytics use cases: gather rows through the facades, apply the definitions of domain.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, aftersale, live, orders, shops, trust
from trustlive.analytics import domain
from trustlive.analytics.domain import PaidOrder, SessionStats, Span, Window

NO_SESSIONS = "no live session in the window: no viewers to convert"
NO_ORDERS = "no paid order in the window"


@dataclass(frozen=True)
class SeriesPoint:
    start: datetime
    gmv_fen: int
    paid_orders: int
    buyers: int


@dataclass(frozen=True)
class Totals:
    gmv_fen: int
    paid_orders: int
    buyers: int
    aov_fen: int | None
    repurchase_rate_bp: int | None
    new_buyers: int
    returning_buyers: int


@dataclass(frozen=True)
class SellerDashboard:
    shop_id: int
    window: Window
    span: Span
    totals: Totals
    fans: int
    fan_repurchase_rate_bp: int | None
    series: list[SeriesPoint]
    sessions: list[SessionStats]
    conversion_bp: int | None
    refund_rate_bp: int | None
    pending: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShopGmv:
    shop_id: int
    name: str
    gmv_fen: int
    paid_orders: int


@dataclass(frozen=True)
class OperatorDashboard:
    window: Window
    span: Span
    totals: Totals
    monthly_active_buyers: int
    mutual_follow_pairs: int
    series: list[SeriesPoint]
    top_shops: list[ShopGmv]
    refund_rate_bp: int | None
    dispute_rate_bp: int | None
    shop_score_distribution: list[domain.Bin]
    pending: dict[str, str] = field(default_factory=dict)


def _rows(rows: list[orders.PaidOrderRow]) -> list[PaidOrder]:
    return [
        PaidOrder(r.order_id, r.buyer_id, r.shop_id, r.total_fen, r.paid_at, r.live_session_id)
        for r in rows
    ]


def _series(paid: list[PaidOrder], window: Window, now: datetime) -> list[SeriesPoint]:
    points = []
    for span in domain.buckets(window, now):
        rows = domain.in_span(paid, span)
        points.append(
            SeriesPoint(span.start, domain.gmv(rows), len(rows), len(domain.buyers(rows)))
        )
    return points


def _totals(paid: list[PaidOrder], bought_before: set[int]) -> Totals:
    who = domain.buyers(paid)
    split = domain.new_vs_returning(who, bought_before)
    return Totals(
        gmv_fen=domain.gmv(paid),
        paid_orders=domain.paid_orders(paid),
        buyers=len(who),
        aov_fen=domain.aov(paid),
        repurchase_rate_bp=domain.repurchase_rate(paid),
        new_buyers=split.new,
        returning_buyers=split.returning,
    )


async def seller_dashboard(
    session: AsyncSession, *, shop_id: int, actor_id: int, window: Window, now: datetime
) -> SellerDashboard:
    """For the shop's staff who may see its orders (VIEW_ORDERS)."""
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.VIEW_ORDERS
    )
    shop = await shops.get_shop(session, shop_id)
    span = domain.window_span(window, now)
    paid = _rows(
        await orders.paid_order_rows(
            session, paid_from=span.start, paid_to=span.end, shop_id=shop_id
        )
    )
    before = await orders.buyers_paid_before(session, before=span.start, shop_id=shop_id)
    fans = await accounts.follower_ids(session, shop.owner_id)  # a shop's fans follow its owner
    viewers = await live.session_viewers(
        session,
        started_from=span.start,
        started_to=span.end,
        shop_id=shop_id,
        also={o.live_session_id for o in paid if o.live_session_id is not None},
    )
    refunded, _disputed = await aftersale.refunded_and_disputed(session, [o.order_id for o in paid])
    conversion = domain.room_conversion(paid, viewers)
    refund_rate = domain.refund_rate(len(refunded), len(paid))
    return SellerDashboard(
        shop_id=shop_id,
        window=window,
        span=span,
        totals=_totals(paid, before),
        fans=len(fans),
        fan_repurchase_rate_bp=domain.fan_repurchase_rate(paid, fans),
        series=_series(paid, window, now),
        sessions=domain.session_stats(paid, viewers),
        conversion_bp=conversion,
        refund_rate_bp=refund_rate,
        pending=_why_null(
            conversion_bp=(conversion, NO_SESSIONS), refund_rate_bp=(refund_rate, NO_ORDERS)
        ),
    )


def _why_null(**figures: tuple[object, str]) -> dict[str, str]:
    """The reason next to each figure that came out null."""
    return {name: why for name, (value, why) in figures.items() if value is None}


TOP_SHOPS = 10


async def _top_shops(session: AsyncSession, paid: list[PaidOrder]) -> list[ShopGmv]:
    by_shop: dict[int, list[PaidOrder]] = {}
    for order in paid:
        by_shop.setdefault(order.shop_id, []).append(order)
    ranked = sorted(by_shop.items(), key=lambda kv: (-domain.gmv(kv[1]), kv[0]))[:TOP_SHOPS]
    return [
        ShopGmv(shop_id, (await shops.get_shop(session, shop_id)).name, domain.gmv(rows), len(rows))
        for shop_id, rows in ranked
    ]


async def operator_dashboard(
    session: AsyncSession, *, window: Window, now: datetime
) -> OperatorDashboard:
    """Platform-wide; the router lets only operators in."""
    span = domain.window_span(window, now)
    earliest = min(span.start, now - domain.MONTH)
    recent = _rows(await orders.paid_order_rows(session, paid_from=earliest, paid_to=span.end))
    paid = domain.in_span(recent, span)
    before = await orders.buyers_paid_before(session, before=span.start)
    refunded, disputed = await aftersale.refunded_and_disputed(session, [o.order_id for o in paid])
    refund_rate = domain.refund_rate(len(refunded), len(paid))
    dispute_rate = domain.dispute_rate(len(disputed), len(paid))
    return OperatorDashboard(
        window=window,
        span=span,
        totals=_totals(paid, before),
        monthly_active_buyers=domain.monthly_active_buyers(recent, now),
        mutual_follow_pairs=domain.mutual_follow_pairs(await accounts.follow_edges(session)),
        series=_series(paid, window, now),
        top_shops=await _top_shops(session, paid),
        refund_rate_bp=refund_rate,
        dispute_rate_bp=dispute_rate,
        shop_score_distribution=domain.score_distribution(
            await trust.shop_experience_scores(session)
        ),
        pending=_why_null(
            refund_rate_bp=(refund_rate, NO_ORDERS), dispute_rate_bp=(dispute_rate, NO_ORDERS)
        ),
    )
