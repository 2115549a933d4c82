"""Reviews use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, orders, shops
from trustlive.kernel.errors import Conflict, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.reviews import domain
from trustlive.reviews.errors import ReviewError
from trustlive.reviews.events import ReviewCreated
from trustlive.reviews.models import Review, ReviewProduct


@dataclass(frozen=True)
class Ratings:
    described: int
    service: int
    logistics: int


@dataclass(frozen=True)
class ReviewView:
    review: Review
    buyer_name: str


async def create_review(
    session: AsyncSession,
    *,
    order_id: int,
    buyer_id: int,
    ratings: Ratings,
    text: str,
    image_urls: list[str],
    now: datetime,
) -> Review:
    summary = await orders.summary_for_buyer(session, order_id=order_id, buyer_id=buyer_id)
    existing = await session.scalar(select(Review.id).where(Review.order_id == order_id))
    domain.check_reviewable(
        status=summary.status, reviewable=orders.REVIEWABLE, already_reviewed=existing is not None
    )
    review = Review(
        id=new_id(),
        order_id=order_id,
        buyer_id=buyer_id,
        shop_id=summary.shop_id,
        rating_described=ratings.described,
        rating_service=ratings.service,
        rating_logistics=ratings.logistics,
        text=text,
        image_urls=image_urls,
        created_at=now,
    )
    session.add(review)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(ReviewError.ALREADY_REVIEWED, "this order already has its review") from exc
    session.add_all(ReviewProduct(review_id=review.id, product_id=p) for p in summary.product_ids)
    record_event(
        session,
        ReviewCreated(
            review_id=review.id,
            order_id=order_id,
            shop_id=summary.shop_id,
            buyer_id=buyer_id,
            product_ids=summary.product_ids,
            rating_described=ratings.described,
            rating_service=ratings.service,
            rating_logistics=ratings.logistics,
        ),
        now=now,
    )
    return review


async def reply(
    session: AsyncSession, *, review_id: int, actor_id: int, text: str, now: datetime
) -> Review:
    review = await session.get(Review, review_id)
    if review is None:
        raise NotFound("review", review_id)
    await shops.require_permission(
        session, shop_id=review.shop_id, user_id=actor_id, permission=shops.Permission.REPLY_REVIEWS
    )
    domain.check_can_reply(existing_reply=review.reply_text)
    review.reply_text, review.replied_by, review.replied_at = text, actor_id, now
    return review


async def list_for_product(
    session: AsyncSession, *, product_id: int, before: int | None, limit: int
) -> list[ReviewView]:
    query = (
        select(Review)
        .join(ReviewProduct, ReviewProduct.review_id == Review.id)
        .where(ReviewProduct.product_id == product_id)
    )
    if before is not None:
        query = query.where(Review.id < before)
    reviews = list(await session.scalars(query.order_by(Review.id.desc()).limit(limit)))
    names = await accounts.display_names(session, {r.buyer_id for r in reviews})
    return [ReviewView(r, accounts.mask_name(names.get(r.buyer_id, ""))) for r in reviews]


async def list_for_shop(session: AsyncSession, *, shop_id: int, limit: int) -> list[ReviewView]:
    """A shop's latest reviews, buyers' names masked (the shop page)."""
    reviews = list(
        await session.scalars(
            select(Review).where(Review.shop_id == shop_id).order_by(Review.id.desc()).limit(limit)
        )
    )
    names = await accounts.display_names(session, {r.buyer_id for r in reviews})
    return [ReviewView(r, accounts.mask_name(names.get(r.buyer_id, ""))) for r in reviews]
