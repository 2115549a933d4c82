"""The graph detectors over the database: brushing windows and dense blocks over recent orders,
gangs over recent identifiers; each finding joins its subject's case. Run by a scheduled job
once per period."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.risk import cases, graph
from trustlive.risk.context import RiskContext
from trustlive.risk.domain import Detector, SubjectKind
from trustlive.risk.graph.brushing import micros
from trustlive.risk.identifiers import KINDS
from trustlive.risk.models import DetectorRun, LoginIdentity, OrderIdentity

MAX_LISTED = 200  # ids listed in one piece of evidence


def _ids(values: object) -> list[str]:
    return [str(v) for v in sorted(values)][:MAX_LISTED]  # type: ignore[call-overload]


def _members_key(prefix: str, members: frozenset[int]) -> str:
    digest = hashlib.sha256(",".join(map(str, sorted(members))).encode()).hexdigest()[:16]
    return f"{prefix}:{digest}"


async def recent_orders(session: AsyncSession, since: datetime) -> list[OrderIdentity]:
    return list(
        await session.scalars(
            select(OrderIdentity).where(
                OrderIdentity.placed_at > since, OrderIdentity.outcome != "block"
            )
        )
    )


async def brushing(
    session: AsyncSession, ctx: RiskContext, rows: list[OrderIdentity], now: datetime
) -> int:
    orders = [graph.Order(r.order_id, r.shop_id, r.buyer_id, r.placed_at) for r in rows]
    found = 0
    for period in graph.detect_brushing(orders, ctx.graph.brushing, now):
        _, new = await cases.attach(
            session,
            kind=SubjectKind.SHOP,
            subject_id=period.shop_id,
            finding=cases.Finding(
                detector=Detector.BRUSHING,
                key=f"brushing:{micros(period.first_order_at)}",
                summary=f"{period.orders} orders from {period.buyers} buyers within an hour "
                f"(concentration ≥ {ctx.graph.brushing.min_concentration:g})",
                detail={
                    "first_order_at": period.first_order_at.isoformat(),
                    "last_order_at": period.last_order_at.isoformat(),
                    "orders_in_window": period.orders,
                    "buyers_in_window": period.buyers,
                    "accounts": _ids(period.suspects),
                    "orders": _ids(period.suspect_order_ids),
                },
            ),
            now=now,
        )
        found += new
    return found


async def dense_blocks(
    session: AsyncSession, ctx: RiskContext, rows: list[OrderIdentity], now: datetime
) -> int:
    orders_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in rows:
        orders_of[(r.buyer_id, r.shop_id)].append(r.order_id)
    found = 0
    for block in graph.find_dense_blocks(orders_of.keys(), ctx.graph.dense_blocks):
        for shop_id in sorted(block.columns):
            block_orders = [o for b in block.rows for o in orders_of.get((b, shop_id), ())]
            if not block_orders:
                continue
            _, new = await cases.attach(
                session,
                kind=SubjectKind.SHOP,
                subject_id=shop_id,
                finding=cases.Finding(
                    detector=Detector.DENSE_BLOCK,
                    key=_members_key("dense", block.rows),
                    summary=f"dense block: {len(block.rows)} buyers × {len(block.columns)} shops, "
                    f"density {block.density:.2f}",
                    detail={
                        "density": round(block.density, 3),
                        "shops": _ids(block.columns),
                        "accounts": _ids(block.rows),
                        "orders": _ids(block_orders),
                    },
                ),
                now=now,
            )
            found += new
    return found


async def sightings(
    session: AsyncSession, rows: list[OrderIdentity], since: datetime
) -> list[graph.Sighting]:
    seen: set[tuple[int, str, str]] = set()
    for r in rows:
        for kind in KINDS:
            value = getattr(r, kind)
            if value is not None:
                seen.add((r.buyer_id, kind, value))
    logins = await session.execute(
        select(LoginIdentity.account_id, LoginIdentity.device, LoginIdentity.ip).where(
            LoginIdentity.seen_at > since
        )
    )
    for account, device, ip in logins:
        if device is not None:
            seen.add((account, "device", device))
        if ip is not None:
            seen.add((account, "ip", ip))
    return [graph.Sighting(a, k, v) for a, k, v in sorted(seen)]


async def gangs(
    session: AsyncSession,
    ctx: RiskContext,
    rows: list[OrderIdentity],
    since: datetime,
    now: datetime,
) -> int:
    findings = graph.find_gangs(
        await sightings(session, rows, since), ctx.graph.gangs, fuzzy_addresses=False
    )
    found = 0
    for gang in findings.gangs:
        _, new = await cases.attach(
            session,
            kind=SubjectKind.GANG,
            subject_id=min(gang.accounts),
            members=gang.accounts,
            finding=cases.Finding(
                detector=Detector.GANG,
                key=_members_key("gang", gang.accounts),
                summary=f"{len(gang.accounts)} accounts linked by shared identifiers",
                detail={
                    "accounts": _ids(gang.accounts),
                    "shared": dict(gang.shared_values),
                    "link_weight": round(gang.link_weight, 3),
                },
            ),
            now=now,
        )
        found += new
    return found


async def run_graph_detectors(session: AsyncSession, ctx: RiskContext, now: datetime) -> int:
    """Once per period: the detectors over the lookback window; returns new findings."""
    period_seconds = int(ctx.policy.cases.graph_period.total_seconds())
    period = str(int(now.timestamp()) // period_seconds)
    if await session.get(DetectorRun, ("graph", period)) is not None:
        return 0
    since = now - ctx.policy.cases.graph_lookback
    rows = await recent_orders(session, since)
    found = await brushing(session, ctx, rows, now)
    found += await dense_blocks(session, ctx, rows, now)
    found += await gangs(session, ctx, rows, since, now)
    session.add(DetectorRun(detector="graph", period=period, findings=found, finished_at=now))
    await session.flush()
    return found
