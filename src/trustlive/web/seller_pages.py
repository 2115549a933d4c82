"""The seller center: pick or open a shop, then its products, orders to ship, after-sales,
messages, deposit and guarantees, and staff. Pages are shells; their data comes from the API,
which authorises every call (another shop's staff get 403 there, and the page says so)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)
SECTIONS: Final = ("products", "orders", "aftersales", "messages", "money", "staff")


@router.get("/seller", response_class=HTMLResponse)
async def seller_home(request: Request) -> HTMLResponse:
    return page(request, "seller_home.html")


@router.get("/seller/shops/{shop_id}")
async def shop_home(shop_id: Id) -> RedirectResponse:
    return RedirectResponse(f"/seller/shops/{shop_id}/products", status_code=303)


def _section(name: str) -> None:
    async def show(request: Request, shop_id: Id) -> HTMLResponse:
        return page(request, f"seller_{name}.html", shop_id=str(shop_id), section=name)

    router.add_api_route(
        f"/seller/shops/{{shop_id}}/{name}", show, methods=["GET"], response_class=HTMLResponse
    )


for _name in SECTIONS:
    _section(_name)
