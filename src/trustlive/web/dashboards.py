"""Seller and operator pages over the API: dashboards, and the shop's audit of address reveals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/seller/shops/{shop_id}/dashboard", response_class=HTMLResponse)
async def seller_dashboard(request: Request, shop_id: Id) -> HTMLResponse:
    return page(request, "seller_dashboard.html", shop_id=str(shop_id), section="dashboard")


@router.get("/seller/shops/{shop_id}/address-reveals", response_class=HTMLResponse)
async def address_reveals(request: Request, shop_id: Id) -> HTMLResponse:
    """Data from listAddressReveals (the shop's owner and admins only)."""
    return page(
        request, "seller_address_reveals.html", shop_id=str(shop_id), section="address-reveals"
    )


@router.get("/operator/dashboard", response_class=HTMLResponse)
async def operator_dashboard(request: Request) -> HTMLResponse:
    return page(request, "operator_dashboard.html")
