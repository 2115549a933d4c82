"""Analytics HTTP API: the seller and operator dashboards, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from trustlive.accounts import CurrentOperator, CurrentUser
from trustlive.analytics import schemas, service
from trustlive.analytics.domain import Window
from trustlive.kernel.http import Id, Rt, Tx

router = APIRouter(tags=["analytics"])
WindowQuery = Annotated[Window, Query(description="1d, 7d or 30d, ending now; UTC days")]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def seller_out(board: service.SellerDashboard) -> schemas.SellerDashboardOut:
    return schemas.SellerDashboardOut(
        shop_id=board.shop_id,
        window=board.window,
        start=board.span.start,
        end=board.span.end,
        totals=schemas.TotalsOut(**asdict(board.totals)),
        fans=board.fans,
        fan_repurchase_rate_bp=board.fan_repurchase_rate_bp,
        conversion_bp=board.conversion_bp,
        refund_rate_bp=board.refund_rate_bp,
        series=[schemas.SeriesPointOut(**asdict(p)) for p in board.series],
        sessions=[schemas.SessionFiguresOut(**asdict(s)) for s in board.sessions],
        pending=board.pending,
    )


def operator_out(board: service.OperatorDashboard) -> schemas.OperatorDashboardOut:
    bins = board.shop_score_distribution
    return schemas.OperatorDashboardOut(
        window=board.window,
        start=board.span.start,
        end=board.span.end,
        totals=schemas.TotalsOut(**asdict(board.totals)),
        monthly_active_buyers=board.monthly_active_buyers,
        mutual_follow_pairs=board.mutual_follow_pairs,
        refund_rate_bp=board.refund_rate_bp,
        dispute_rate_bp=board.dispute_rate_bp,
        shop_score_distribution=[schemas.BinOut(**asdict(b)) for b in bins],
        series=[schemas.SeriesPointOut(**asdict(p)) for p in board.series],
        top_shops=[schemas.ShopGmvOut(**asdict(s)) for s in board.top_shops],
        pending=board.pending,
    )


def as_csv(board: dict[str, Any], filename: str) -> Response:
    """One long table: section, key, metric, value, note (note says why a value is missing)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "metric", "value", "note"])
    pending: dict[str, str] = board["pending"]
    scalars = {k: v for k, v in board.items() if not isinstance(v, list | dict)}
    for metric, value in [*scalars.items(), *board["totals"].items()]:
        writer.writerow(
            ["summary", "", metric, "" if value is None else value, pending.get(metric, "")]
        )
    for point in board["series"]:
        for metric in ("gmv_fen", "paid_orders", "buyers"):
            writer.writerow(["series", point["start"], metric, point[metric], ""])
    for metric, note in pending.items():
        if metric not in scalars and metric not in board["totals"]:
            writer.writerow(["pending", "", metric, "", note])
    for row in board.get("sessions", []):
        for metric in ("gmv_fen", "paid_orders", "buyers", "viewers", "conversion_bp"):
            value = row[metric]
            writer.writerow(
                ["session", row["live_session_id"], metric, "" if value is None else value, ""]
            )
    for row in board.get("shop_score_distribution", []):
        key = f"{row['low'] / 100:.2f}-{row['high'] / 100:.2f}"
        writer.writerow(["shop_score", key, "shops", row["count"], ""])
    for row in board.get("top_shops", []):
        for metric in ("gmv_fen", "paid_orders"):
            writer.writerow(["top_shop", row["shop_id"], metric, row[metric], row["name"]])
    return Response(
        out.getvalue(),
        media_type=CSV_MEDIA_TYPE,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/shops/{shop_id}/dashboard",
    operation_id="getSellerDashboard",
    response_model=schemas.SellerDashboardOut,
)
async def get_seller_dashboard(
    shop_id: Id, me: CurrentUser, tx: Tx, rt: Rt, window: WindowQuery = Window.WEEK
) -> schemas.SellerDashboardOut:
    board = await service.seller_dashboard(
        tx, shop_id=shop_id, actor_id=me.user_id, window=window, now=rt.clock.now()
    )
    return seller_out(board)


@router.get(
    "/shops/{shop_id}/dashboard.csv",
    operation_id="exportSellerDashboardCsv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_seller_dashboard_csv(
    shop_id: Id, me: CurrentUser, tx: Tx, rt: Rt, window: WindowQuery = Window.WEEK
) -> Response:
    board = await service.seller_dashboard(
        tx, shop_id=shop_id, actor_id=me.user_id, window=window, now=rt.clock.now()
    )
    return as_csv(seller_out(board).model_dump(mode="json"), f"shop-{shop_id}-{window}.csv")


@router.get(
    "/operator/dashboard",
    operation_id="getOperatorDashboard",
    response_model=schemas.OperatorDashboardOut,
)
async def get_operator_dashboard(
    me: CurrentOperator, tx: Tx, rt: Rt, window: WindowQuery = Window.WEEK
) -> schemas.OperatorDashboardOut:
    return operator_out(await service.operator_dashboard(tx, window=window, now=rt.clock.now()))


@router.get(
    "/operator/dashboard.csv",
    operation_id="exportOperatorDashboardCsv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_operator_dashboard_csv(
    me: CurrentOperator, tx: Tx, rt: Rt, window: WindowQuery = Window.WEEK
) -> Response:
    board = await service.operator_dashboard(tx, window=window, now=rt.clock.now())
    return as_csv(operator_out(board).model_dump(mode="json"), f"platform-{window}.csv")
