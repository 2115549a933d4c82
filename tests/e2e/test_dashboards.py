"""The dashboards over HTTP: figures for a small world computed by hand, who may see them, CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from tests.support.api import Api, Listed, User
from trustlive.kernel.clock import FixedClock


async def _paid_order(api: Api, buyer: User, listed: Listed, quantity: int) -> str:
    order = await api.place(buyer, [(listed.sku_ids[0], quantity)])
    await api.pay(buyer, order["id"])
    return str(order["id"])


async def _world(api: Api, clock: FixedClock) -> tuple[Listed, list[User]]:
    """Day 0: B pays 1 order. Day 1: A pays 2 orders, C places one and never pays."""
    listed = await api.listed_product(stock=100, price_fen=1000)
    a, b, c = await api.user(), await api.user(), await api.user()
    await api.follow(a, listed.owner.id)
    await _paid_order(api, b, listed, 3)
    clock.advance(timedelta(days=1))
    a, b, c = await api.relogin(a), await api.relogin(b), await api.relogin(c)
    await _paid_order(api, a, listed, 1)
    await _paid_order(api, a, listed, 2)
    await api.place(c, [(listed.sku_ids[0], 1)])
    return listed, [a, b, c]


async def _get(api: Api, who: User, path: str, expect: int = 200) -> dict[str, Any]:
    r = await api.client.get(path, headers=who.auth)
    assert r.status_code == expect, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_seller_dashboard_figures_for_a_week_and_a_day(api: Api, clock: FixedClock) -> None:
    listed, _ = await _world(api, clock)
    owner = await api.relogin(listed.owner)
    path = f"/api/v1/shops/{listed.shop_id}/dashboard"

    week = await _get(api, owner, path + "?window=7d")
    assert week["totals"] == {
        "gmv_fen": 6000,
        "paid_orders": 3,
        "buyers": 2,
        "aov_fen": 2000,
        "repurchase_rate_bp": 5000,
        "new_buyers": 2,
        "returning_buyers": 0,
    }
    assert (week["fans"], week["fan_repurchase_rate_bp"]) == (1, 10_000)
    assert (week["conversion_bp"], week["refund_rate_bp"]) == (None, 0)  # no live session
    assert set(week["pending"]) == {"conversion_bp"}
    assert week["sessions"] == []
    assert [p["gmv_fen"] for p in week["series"]] == [0, 0, 0, 0, 0, 3000, 3000]
    assert week["start"] == "2026-02-24T00:00:00Z"

    day = await _get(api, owner, path + "?window=1d")
    assert (day["totals"]["gmv_fen"], day["totals"]["buyers"]) == (3000, 1)
    assert (day["totals"]["new_buyers"], day["totals"]["returning_buyers"]) == (1, 0)
    assert len(day["series"]) == 10  # 00:00 … 09:00 UTC, hourly
    assert sum(p["paid_orders"] for p in day["series"]) == 2


async def test_returning_buyers_are_those_who_paid_before_the_window(
    api: Api, clock: FixedClock
) -> None:
    listed, (_, b, _) = await _world(api, clock)
    clock.advance(timedelta(days=1))
    b = await api.relogin(b)
    await _paid_order(api, b, listed, 1)
    owner = await api.relogin(listed.owner)
    day = await _get(api, owner, f"/api/v1/shops/{listed.shop_id}/dashboard?window=1d")
    assert (day["totals"]["new_buyers"], day["totals"]["returning_buyers"]) == (0, 1)


async def test_operator_dashboard_figures(api: Api, clock: FixedClock) -> None:
    listed, (a, b, _) = await _world(api, clock)
    other = await api.listed_product(stock=10, price_fen=500)
    await _paid_order(api, b, other, 1)
    await api.follow(a, b.id)
    await api.follow(b, a.id)
    operator = await api.operator()
    board = await _get(api, operator, "/api/v1/operator/dashboard?window=30d")
    assert board["totals"] == {
        "gmv_fen": 6500,
        "paid_orders": 4,
        "buyers": 2,
        "aov_fen": 1625,
        "repurchase_rate_bp": 10_000,
        "new_buyers": 2,
        "returning_buyers": 0,
    }
    assert (board["monthly_active_buyers"], board["mutual_follow_pairs"]) == (2, 1)
    assert [(s["shop_id"], s["gmv_fen"]) for s in board["top_shops"]] == [
        (listed.shop_id, 6000),
        (other.shop_id, 500),
    ]
    assert (board["refund_rate_bp"], board["dispute_rate_bp"]) == (0, 0)
    bins = board["shop_score_distribution"]
    assert [(b["low"], b["high"]) for b in bins] == [(x, x + 50) for x in range(0, 500, 50)]
    assert board["pending"] == {}


async def test_only_staff_who_see_orders_get_the_seller_dashboard(api: Api) -> None:
    listed = await api.listed_product()
    shipper, anchor, stranger = await api.user(), await api.user(), await api.user()
    for user, role in ((shipper, "fulfilment"), (anchor, "anchor")):
        r = await api.client.post(
            f"/api/v1/shops/{listed.shop_id}/staff",
            json={"user_id": user.id, "role": role},
            headers=listed.owner.auth,
        )
        assert r.status_code == 201, r.text
    operator = await api.operator()
    for suffix in ("dashboard", "dashboard.csv"):
        path = f"/api/v1/shops/{listed.shop_id}/{suffix}"
        assert (await api.client.get(path, headers=shipper.auth)).status_code == 200
        for who in (anchor, stranger, operator):
            r = await api.client.get(path, headers=who.auth)
            assert r.status_code == 403, r.text
            assert r.json()["type"].endswith("/forbidden")
        assert (await api.client.get(path)).status_code == 401
        missing = await api.client.get(f"/api/v1/shops/999999/{suffix}", headers=shipper.auth)
        assert missing.status_code == 404


async def test_only_operators_get_the_operator_dashboard(api: Api) -> None:
    listed = await api.listed_product()
    for path in ("/api/v1/operator/dashboard", "/api/v1/operator/dashboard.csv"):
        r = await api.client.get(path, headers=listed.owner.auth)
        assert r.status_code == 403
        assert (await api.client.get(path)).status_code == 401


async def test_a_bad_window_is_a_422_problem(api: Api) -> None:
    listed = await api.listed_product()
    r = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/dashboard?window=2d", headers=listed.owner.auth
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


async def test_csv_export_carries_the_same_figures(api: Api, clock: FixedClock) -> None:
    listed, _ = await _world(api, clock)
    owner = await api.relogin(listed.owner)
    r = await api.client.get(
        f"/api/v1/shops/{listed.shop_id}/dashboard.csv?window=7d", headers=owner.auth
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    summary = {
        row["metric"]: (row["value"], row["note"]) for row in rows if row["section"] == "summary"
    }
    assert summary["gmv_fen"] == ("6000", "")
    assert summary["repurchase_rate_bp"] == ("5000", "")
    assert summary["conversion_bp"][0] == ""
    assert summary["conversion_bp"][1].startswith("no live session")
    assert summary["refund_rate_bp"] == ("0", "")
    series = [row for row in rows if row["section"] == "series" and row["metric"] == "gmv_fen"]
    assert [row["value"] for row in series] == ["0", "0", "0", "0", "0", "3000", "3000"]

    operator = await api.operator()
    r = await api.client.get("/api/v1/operator/dashboard.csv?window=7d", headers=operator.auth)
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert ("top_shop", listed.shop_id, "gmv_fen", "6000") in {
        (row["section"], row["key"], row["metric"], row["value"]) for row in rows
    }


async def test_the_dashboard_pages_render_and_load_their_scripts(api: Api) -> None:
    listed = await api.listed_product()
    page = await api.client.get(f"/seller/shops/{listed.shop_id}/dashboard")
    assert page.status_code == 200
    assert f'const SHOP_ID = "{listed.shop_id}"' in page.text
    assert '<script src="/static/charts.js"></script>' in page.text
    operator_page = await api.client.get("/operator/dashboard")
    assert "/operator/dashboard" in operator_page.text
    for asset in ("/static/charts.js", "/static/dashboard.js"):
        r = await api.client.get(asset)
        assert r.status_code == 200
    assert "createElementNS" in (await api.client.get("/static/charts.js")).text
