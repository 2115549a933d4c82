"""Reviews HTTP API."""

from __future__ import annotations

from fastapi import APIRouter, status

from trustlive import accounts
from trustlive.accounts import CurrentUser
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit, next_before
from trustlive.reviews import schemas, service
from trustlive.reviews.models import Review

router = APIRouter(tags=["reviews"])


def review_out(review: Review, buyer_name: str) -> schemas.ReviewOut:
    return schemas.ReviewOut(
        id=review.id,
        order_id=review.order_id,
        shop_id=review.shop_id,
        buyer_name=buyer_name,
        rating_described=review.rating_described,
        rating_service=review.rating_service,
        rating_logistics=review.rating_logistics,
        text=review.text,
        image_urls=review.image_urls,
        created_at=review.created_at,
        reply_text=review.reply_text,
        replied_at=review.replied_at,
    )


@router.post(
    "/orders/{order_id}/review",
    operation_id="createReview",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ReviewOut,
)
async def create_review(
    order_id: Id, body: schemas.ReviewIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ReviewOut:
    review = await service.create_review(
        tx,
        order_id=order_id,
        buyer_id=me.user_id,
        ratings=service.Ratings(body.rating_described, body.rating_service, body.rating_logistics),
        text=body.text,
        image_urls=[str(u) for u in body.image_urls],
        now=rt.clock.now(),
    )
    return review_out(review, accounts.mask_name(me.display_name))


@router.post(
    "/reviews/{review_id}/reply", operation_id="replyToReview", response_model=schemas.ReviewOut
)
async def reply_to_review(
    review_id: Id, body: schemas.ReplyIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ReviewOut:
    review = await service.reply(
        tx, review_id=review_id, actor_id=me.user_id, text=body.text, now=rt.clock.now()
    )
    names = await accounts.display_names(tx, {review.buyer_id})
    return review_out(review, accounts.mask_name(names.get(review.buyer_id, "")))


@router.get(
    "/products/{product_id}/reviews",
    operation_id="listProductReviews",
    response_model=schemas.ReviewPage,
)
async def list_product_reviews(
    product_id: Id,
    tx: Tx,
    before: Id | None = None,
    limit: Limit = 20,
) -> schemas.ReviewPage:
    views = await service.list_for_product(tx, product_id=product_id, before=before, limit=limit)
    cursor = next_before(views, limit, lambda v: v.review.id)
    return schemas.ReviewPage(
        items=[review_out(v.review, v.buyer_name) for v in views], next_before=cursor
    )
