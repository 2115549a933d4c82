"""Dashboard pages: the seller's and the operator's. They draw the analytics API's figures."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/seller/shops/{shop_id}/dashboard", response_class=HTMLResponse)
async def seller_dashboard(request: Request, shop_id: Id) -> HTMLResponse:
    return page(request, "seller_dashboard.html", shop_id=str(shop_id))


@router.get("/operator/dashboard", response_class=HTMLResponse)
async def operator_dashboard(request: Request) -> HTMLResponse:
    return page(request, "operator_dashboard.html")
