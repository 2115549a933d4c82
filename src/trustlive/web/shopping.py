"""Buyer shopping pages: a product, and the buyer's own orders."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def product(request: Request, product_id: Id) -> HTMLResponse:
    return page(request, "product.html", product_id=product_id)


@router.get("/me/orders", response_class=HTMLResponse)
async def my_orders(request: Request) -> HTMLResponse:
    return page(request, "my_orders.html")
