"""After-sales pages: the operators' disputes queue (evidence of both sides, and the decision)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/operator/disputes", response_class=HTMLResponse)
async def disputes_queue(request: Request) -> HTMLResponse:
    """The page is public; its data comes from listDisputes, which only operators may call."""
    return page(request, "operator_disputes.html")
