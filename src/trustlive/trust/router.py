"""Trust HTTP API: scores with explanations, their history, the policy in force.

Who sees what: anyone sees a shop's headline score and its dimension values (as buyers see a star
rating); the indicator-level explanation, history and trust index of a shop are for its staff who
see orders and for operators; a product's explanation for its shop's staff and operators; a
creator's for the creator and operators.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from trustlive import accounts, catalog, shops
from trustlive.accounts import CurrentOperator, CurrentUser
from trustlive.kernel.errors import Forbidden
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.runtime import Runtime
from trustlive.trust import schemas, service
from trustlive.trust.context import EXTRAS_KEY, TrustContext
from trustlive.trust.indicators import BY_CODE, INDICATORS

router = APIRouter(tags=["trust"])


def ctx_of(rt: Runtime) -> TrustContext:
    ctx = EXTRAS_KEY.get(rt)
    assert ctx is not None, "trust is wired by bootstrap.wire"
    return ctx


def _headline(ex: service.Explained, subject_id: int, now: datetime) -> schemas.ScoreOut:
    r = ex.result
    return schemas.ScoreOut(
        score=r.score,
        subject_id=subject_id,
        value=r.value,
        scale=r.scale,
        dimensions=[schemas.DimensionOut(**vars(d)) for d in r.dimensions],
        policy_version=r.policy_version,
        as_of=now,
    )


def _explained(ex: service.Explained, subject_id: int, now: datetime) -> schemas.ExplanationOut:
    r, t = ex.result, ex.tier
    unlocks = None
    if t is not None:
        unlocks = schemas.UnlocksOut(
            tier=t.tier,
            traffic_weight=t.traffic_weight,
            guarantees=t.guarantees,
            campaign_eligible=t.campaign_eligible,
            subsidy_eligible=t.subsidy_eligible,
            policy_version=t.policy_version,
            decided_at=t.decided_at,
        )
    return schemas.ExplanationOut(
        **_headline(ex, subject_id, now).model_dump(),
        category=ex.category,
        category_percentile=ex.percentile,
        indicators=[
            schemas.IndicatorOut(
                code=i.code,
                title=i.title,
                source=BY_CODE[i.code].source,
                dimension=i.dimension,
                higher_is_better=BY_CODE[i.code].higher_is_better,
                successes=round(i.successes, 4),
                trials=round(i.trials, 4),
                raw_rate=None if i.raw_rate is None else round(i.raw_rate, 6),
                smoothed_rate=round(i.smoothed, 6),
                lower_bound=round(i.lower_bound, 6),
                distinct_buyers=i.distinct_buyers,
                sub_score=round(i.sub_score, 4),
                penalised=i.penalised,
                weight=round(i.weight, 6),
                contribution=i.contribution,
            )
            for i in r.indicators
        ],
        improvements=list(r.improvements),
        penalised=r.penalised,
        unlocks=unlocks,
    )


async def _require_shop_insider(tx: Tx, shop_id: int, me: accounts.Principal) -> None:
    await shops.get_shop(tx, shop_id)
    if not me.is_operator:
        await shops.require_permission(
            tx, shop_id=shop_id, user_id=me.user_id, permission=shops.Permission.VIEW_ORDERS
        )


async def _explain(tx: Tx, rt: Rt, name: str, subject_id: int) -> service.Explained:
    ctx = ctx_of(rt)
    return await service.explain(tx, name, subject_id, policy=ctx.policy, now=ctx.clock.now())


@router.get("/shops/{shop_id}/score", operation_id="getShopScore", response_model=schemas.ScoreOut)
async def get_shop_score(shop_id: Id, tx: Tx, rt: Rt) -> schemas.ScoreOut:
    await shops.get_shop(tx, shop_id)
    ex = await _explain(tx, rt, service.SHOP_SCORE, shop_id)
    return _headline(ex, shop_id, rt.clock.now())


@router.get(
    "/shops/{shop_id}/score/explanation",
    operation_id="explainShopScore",
    response_model=schemas.ExplanationOut,
)
async def explain_shop_score(
    shop_id: Id, tx: Tx, rt: Rt, me: CurrentUser
) -> schemas.ExplanationOut:
    await _require_shop_insider(tx, shop_id, me)
    ex = await _explain(tx, rt, service.SHOP_SCORE, shop_id)
    return _explained(ex, shop_id, rt.clock.now())


@router.get(
    "/shops/{shop_id}/score/history",
    operation_id="getShopScoreHistory",
    response_model=schemas.HistoryOut,
)
async def get_shop_score_history(
    shop_id: Id,
    tx: Tx,
    me: CurrentUser,
    score: Annotated[str, Query(pattern="^(shop_experience|trust_index)$")] = "shop_experience",
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> schemas.HistoryOut:
    await _require_shop_insider(tx, shop_id, me)
    rows = await service.history(tx, score, shop_id, limit=days)
    return schemas.HistoryOut(
        score=score,
        subject_id=shop_id,
        points=[
            schemas.HistoryPointOut(day=h.day, value=h.value, policy_version=h.policy_version)
            for h in rows
        ],
    )


@router.get(
    "/shops/{shop_id}/trust-index",
    operation_id="getTrustIndex",
    response_model=schemas.ExplanationOut,
)
async def get_trust_index(shop_id: Id, tx: Tx, rt: Rt, me: CurrentUser) -> schemas.ExplanationOut:
    await _require_shop_insider(tx, shop_id, me)
    return _explained(await _explain(tx, rt, "trust_index", shop_id), shop_id, rt.clock.now())


@router.get(
    "/products/{product_id}/score",
    operation_id="getProductScore",
    response_model=schemas.ExplanationOut,
)
async def get_product_score(
    product_id: Id, tx: Tx, rt: Rt, me: CurrentUser
) -> schemas.ExplanationOut:
    facts = await catalog.product_facts(tx, product_id)
    await _require_shop_insider(tx, facts.shop_id, me)
    return _explained(await _explain(tx, rt, "product", product_id), product_id, rt.clock.now())


@router.get(
    "/creators/{creator_id}/score",
    operation_id="getCreatorScore",
    response_model=schemas.ExplanationOut,
)
async def get_creator_score(
    creator_id: Id, tx: Tx, rt: Rt, me: CurrentUser
) -> schemas.ExplanationOut:
    await accounts.get_user(tx, creator_id)
    if me.user_id != creator_id and not me.is_operator:
        raise Forbidden("only the creator and operators see a creator's score")
    return _explained(
        await _explain(tx, rt, "creator_reputation", creator_id), creator_id, rt.clock.now()
    )


@router.get("/trust/policy", operation_id="getPolicyInForce", response_model=schemas.PolicyOut)
async def get_policy_in_force(rt: Rt, me: CurrentOperator) -> schemas.PolicyOut:
    policy = ctx_of(rt).policy
    return schemas.PolicyOut(
        version=policy.version, text=policy.source_text, indicators=[i.code for i in INDICATORS]
    )
