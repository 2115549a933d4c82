"""Risk HTTP API: the operators' case queue, case page and decisions; the subject's decisions
and appeal; buyers' reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from trustlive.accounts import CurrentOperator, CurrentUser
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.risk import cases, enforcement, parties, reports, schemas
from trustlive.risk.context import context_of
from trustlive.risk.domain import CaseStatus

router = APIRouter(tags=["risk"])
Limit = Annotated[int, Query(ge=1, le=100)]


async def _detail(tx: Tx, case_id: int) -> schemas.CaseDetailOut:
    case = await cases.get_case(tx, case_id)
    return schemas.CaseDetailOut(
        **schemas.CaseOut.model_validate(case).model_dump(),
        evidence=[
            schemas.EvidenceOut.model_validate(e) for e in await cases.evidence_of(tx, case_id)
        ],
        actions=[
            schemas.ActionOut.model_validate(a)
            for a in await enforcement.actions_of_case(tx, case_id)
        ],
        audit=[schemas.AuditOut.model_validate(a) for a in await cases.audit_of(tx, case_id)],
    )


@router.get("/risk/cases", operation_id="listRiskCases", response_model=schemas.CasePage)
async def list_cases(
    op: CurrentOperator,
    tx: Tx,
    status: CaseStatus = CaseStatus.OPEN,
    before: Id | None = None,
    limit: Limit = 50,
) -> schemas.CasePage:
    found = await cases.list_cases(tx, status=status, before=before, limit=limit)
    return schemas.CasePage(
        items=[schemas.CaseOut.model_validate(c) for c in found],
        next_before=found[-1].id if len(found) == limit else None,
    )


@router.get(
    "/risk/cases/{case_id}", operation_id="getRiskCase", response_model=schemas.CaseDetailOut
)
async def get_case(case_id: Id, op: CurrentOperator, tx: Tx) -> schemas.CaseDetailOut:
    return await _detail(tx, case_id)


@router.post(
    "/risk/cases/{case_id}/actions",
    operation_id="decideRiskAction",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ActionOut,
)
async def decide_action(
    case_id: Id, body: schemas.ActionIn, op: CurrentOperator, tx: Tx, rt: Rt
) -> schemas.ActionOut:
    ctx = context_of(rt)
    action = await enforcement.decide(
        tx,
        case_id=case_id,
        operator_id=op.user_id,
        decision=enforcement.Decision(
            kind=body.kind,
            reason=body.reason,
            clause=body.clause,
            days=body.days,
            factor=body.factor,
            product_ids=tuple(body.product_ids),
            room_id=body.room_id,
        ),
        policy=ctx.policy.enforcement,
        banned=ctx.order_check.banned,
        now=rt.clock.now(),
    )
    return schemas.ActionOut.model_validate(action)


@router.post(
    "/risk/cases/{case_id}/dismissal",
    operation_id="dismissRiskCase",
    response_model=schemas.CaseOut,
)
async def dismiss_case(
    case_id: Id, body: schemas.DismissIn, op: CurrentOperator, tx: Tx, rt: Rt
) -> schemas.CaseOut:
    case = await cases.dismiss(
        tx, case_id=case_id, operator_id=op.user_id, note=body.note, now=rt.clock.now()
    )
    return schemas.CaseOut.model_validate(case)


@router.post(
    "/risk/decisions/{action_id}/appeal-decision",
    operation_id="decideRiskAppeal",
    response_model=schemas.ActionOut,
)
async def decide_appeal(
    action_id: Id, body: schemas.AppealDecisionIn, op: CurrentOperator, tx: Tx, rt: Rt
) -> schemas.ActionOut:
    action = await enforcement.decide_appeal(
        tx,
        action_id=action_id,
        operator_id=op.user_id,
        overturn=body.overturn,
        note=body.note,
        banned=context_of(rt).order_check.banned,
        now=rt.clock.now(),
    )
    return schemas.ActionOut.model_validate(action)


@router.get(
    "/me/risk-decisions", operation_id="listMyRiskDecisions", response_model=schemas.DecisionsOut
)
async def my_decisions(me: CurrentUser, tx: Tx) -> schemas.DecisionsOut:
    found = await parties.decisions_for(tx, me.user_id)
    return schemas.DecisionsOut(items=[schemas.ActionOut.model_validate(a) for a in found])


@router.post(
    "/risk/decisions/{action_id}/appeal",
    operation_id="appealRiskDecision",
    response_model=schemas.ActionOut,
)
async def appeal(
    action_id: Id, body: schemas.AppealIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ActionOut:
    action = await parties.own_decision(tx, action_id, me.user_id)
    appealed = await enforcement.appeal(
        tx,
        action=action,
        user_id=me.user_id,
        text=body.text,
        policy=context_of(rt).policy.enforcement,
        now=rt.clock.now(),
    )
    return schemas.ActionOut.model_validate(appealed)


@router.post(
    "/risk/reports",
    operation_id="reportToRisk",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ReportOut,
)
async def report(body: schemas.ReportIn, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.ReportOut:
    row = await reports.report(
        tx,
        reporter_id=me.user_id,
        target=body.target,
        target_id=body.target_id,
        reason=body.reason,
        text=body.text,
        now=rt.clock.now(),
    )
    return schemas.ReportOut.model_validate(row)
