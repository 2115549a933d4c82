"""Risk pages: the operators' case queue and case page, and the subject's decisions with the
appeal form. The pages are public; their data comes from the risk API, which authorises."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/operator/risk", response_class=HTMLResponse)
async def case_queue(request: Request) -> HTMLResponse:
    return page(request, "operator_risk.html")


@router.get("/operator/risk/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: Id) -> HTMLResponse:
    return page(request, "operator_risk_case.html", case_id=str(case_id))


@router.get("/me/risk-decisions", response_class=HTMLResponse)
async def my_decisions(request: Request) -> HTMLResponse:
    return page(request, "my_risk_decisions.html")
