"""The exposure log: impressions with surface, position, policy version and propensity; clicks;
orders credited back to the clicked impression's surface; the exploration evidence they feed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.db import insert_for
from trustlive.kernel.errors import Forbidden, NotFound
from trustlive.kernel.ids import new_id
from trustlive.shelf import domain
from trustlive.shelf.models import Arm, Attribution, DailyDelivery, Impression
from trustlive.shelf.policy import ShelfPolicy


@dataclass(frozen=True)
class Shown:
    impression_id: int
    placed: domain.Placed


async def evidence_of(
    session: AsyncSession, item_ids: Collection[int]
) -> dict[int, domain.Evidence]:
    rows = await session.scalars(select(Arm).where(Arm.item_id.in_(list(item_ids))))
    return {a.item_id: domain.Evidence(a.impressions, a.clicks, a.orders, a.pool) for a in rows}


async def boosted_today(
    session: AsyncSession, item_ids: Collection[int], now: datetime
) -> dict[int, int]:
    rows = await session.execute(
        select(DailyDelivery.item_id, DailyDelivery.boosted).where(
            DailyDelivery.item_id.in_(list(item_ids)), DailyDelivery.day == now.date()
        )
    )
    return {int(item): int(boosted) for item, boosted in rows}


async def _count(
    session: AsyncSession, table: Any, keys: dict[str, Any], **increments: int
) -> None:
    """Upsert-and-add: safe when two requests count the same item at once."""
    await _count_many(session, table, list(keys), [{**keys, **increments}])


async def _count_many(
    session: AsyncSession, table: Any, keys: list[str], rows: list[dict[str, Any]]
) -> None:
    """Upsert-and-add many rows in one statement (rows in key order: one lock order)."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    stmt = insert_for(session, table).values(rows)
    column = table.__table__.c
    increments = [name for name in rows[0] if name not in keys]
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=keys,
            set_={name: column[name] + stmt.excluded[name] for name in increments},
        )
    )


async def log_page(
    session: AsyncSession,
    placed: Sequence[domain.Placed],
    *,
    surface: str,
    viewer_id: int | None,
    policy: ShelfPolicy,
    now: datetime,
) -> list[Shown]:
    """Record every impression of one page and count it towards each item's evidence."""
    request_id = new_id()
    shown = [Shown(new_id(), p) for p in placed]
    if not shown:
        return shown
    session.add_all(
        Impression(
            id=s.impression_id,
            request_id=request_id,
            viewer_id=viewer_id,
            surface=surface,
            position=s.placed.position,
            item_kind=s.placed.candidate.kind,
            item_id=s.placed.candidate.item_id,
            shop_id=s.placed.candidate.shop_id,
            policy_version=policy.version,
            propensity=s.placed.propensity,
            boosted=s.placed.candidate.boost > 1.0,
            shown_at=now,
        )
        for s in shown
    )
    per_item: Counter[int] = Counter()
    boosted: Counter[int] = Counter()
    for s in shown:
        per_item[s.placed.candidate.item_id] += 1
        boosted[s.placed.candidate.item_id] += s.placed.candidate.boost > 1.0
    arms = [{"item_id": i, "impressions": n} for i, n in per_item.items()]
    await _count_many(session, Arm, ["item_id"], arms)
    day = now.date()
    delivered = [
        {"item_id": i, "day": day, "impressions": n, "boosted": boosted[i]}
        for i, n in per_item.items()
    ]
    await _count_many(session, DailyDelivery, ["item_id", "day"], delivered)
    await _promote(session, shown, per_item, policy)
    await session.flush()
    return shown


async def _promote(
    session: AsyncSession, shown: list[Shown], added: Counter[int], policy: ShelfPolicy
) -> None:
    """Move items whose evidence earned it to the next staged pool (judged on the evidence the
    page was ranked with, plus its own impressions)."""
    judged: dict[int, domain.Evidence] = {}
    for s in shown:
        e = s.placed.candidate.evidence
        judged[s.placed.candidate.item_id] = replace(
            e, impressions=e.impressions + added[s.placed.candidate.item_id]
        )
    for item_id, evidence in sorted(judged.items()):
        pool = domain.pool_after(evidence, policy)
        if pool != evidence.pool:
            await session.execute(
                update(Arm)
                .where(Arm.item_id == item_id, Arm.pool == evidence.pool)
                .values(pool=pool)
                .execution_options(synchronize_session=False)
            )


async def record_click(
    session: AsyncSession, *, impression_id: int, viewer_id: int | None, now: datetime
) -> Impression:
    """The viewer opened what they were shown. Only the viewer it was shown to may say so; a
    second click on the same impression changes nothing."""
    impression = await session.get(Impression, impression_id)
    if impression is None:
        raise NotFound("impression", impression_id)
    if impression.viewer_id != viewer_id:
        raise Forbidden("this impression was shown to someone else")
    if impression.clicked_at is None:
        first = await session.execute(
            update(Impression)
            .where(Impression.id == impression_id, Impression.clicked_at.is_(None))
            .values(clicked_at=now)
            .execution_options(synchronize_session=False)
        )
        if first.rowcount == 1:  # type: ignore[attr-defined]
            await _count(session, Arm, {"item_id": impression.item_id}, clicks=1)
        await session.refresh(impression)
    return impression


async def attribute_order(
    session: AsyncSession,
    *,
    order_id: int,
    buyer_id: int,
    lines: list[dict[str, Any]],
    policy: ShelfPolicy,
    now: datetime,
) -> list[Attribution]:
    """Credit each product of a paid order to the buyer's last clicked impression of it within
    the attribution window; orders without one (bought in a room, by a link) are not the shelf's."""
    amounts: Counter[int] = Counter()
    for line in lines:
        amounts[int(line["product_id"])] += int(line["quantity"]) * int(
            line.get("unit_price_fen", 0)
        )
    credited = []
    for product_id in sorted(amounts):
        impression = await session.scalar(
            select(Impression)
            .where(
                Impression.viewer_id == buyer_id,
                Impression.item_id == product_id,
                Impression.clicked_at.is_not(None),
                Impression.clicked_at >= now - timedelta(hours=policy.attribution_hours),
            )
            .order_by(Impression.clicked_at.desc(), Impression.id.desc())
            .limit(1)
        )
        if impression is None:
            continue
        stmt = insert_for(session, Attribution).values(
            order_id=order_id,
            product_id=product_id,
            impression_id=impression.id,
            surface=impression.surface,
            buyer_id=buyer_id,
            amount_fen=amounts[product_id],
            attributed_at=now,
        )
        inserted = await session.execute(
            stmt.on_conflict_do_nothing(index_elements=["order_id", "product_id"])
        )
        if inserted.rowcount == 1:  # type: ignore[attr-defined]
            await _count(session, Arm, {"item_id": product_id}, orders=1)
            credited.append(await session.get(Attribution, (order_id, product_id)))
    return [c for c in credited if c is not None]


async def impressions_of(
    session: AsyncSession, *, viewer_id: int, before: int | None, limit: int
) -> list[tuple[Impression, list[Attribution]]]:
    query = select(Impression).where(Impression.viewer_id == viewer_id)
    if before is not None:
        query = query.where(Impression.id < before)
    rows = list(await session.scalars(query.order_by(Impression.id.desc()).limit(limit)))
    credited = await session.scalars(
        select(Attribution).where(Attribution.impression_id.in_([r.id for r in rows]))
    )
    by_impression: dict[int, list[Attribution]] = {}
    for a in credited:
        by_impression.setdefault(a.impression_id, []).append(a)
    return [(r, by_impression.get(r.id, [])) for r in rows]
