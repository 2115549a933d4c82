"""Buyer shopping pages: a product, and the buyer's own orders."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive import catalog
from trustlive.kernel.errors import NotFound
from trustlive.kernel.http import Id, Tx
from trustlive.kernel.i18n import N_
from trustlive.web.rendering import not_found, page

router = APIRouter(include_in_schema=False)


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def product(request: Request, product_id: Id, tx: Tx) -> HTMLResponse:
    """Unknown ids get a 404 page; a draft still renders, for its shop's staff to preview."""
    try:
        await catalog.product_facts(tx, product_id)
    except NotFound:
        return not_found(request, what=N_("product"), wanted_id=product_id)
    return page(request, "product.html", product_id=product_id)


@router.get("/me/orders", response_class=HTMLResponse)
async def my_orders(request: Request) -> HTMLResponse:
    return page(request, "my_orders.html")
