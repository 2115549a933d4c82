"""Buyer pages: register, my profile and addresses, after-sales, messages with shops, follows.

Each page is a shell any visitor may load; its data comes from the API, which only the buyer
concerned may call (a page for someone else's request shows the API's refusal as a sentence).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/register", response_class=HTMLResponse)
async def register(request: Request) -> HTMLResponse:
    return page(request, "register.html")


@router.get("/me", response_class=HTMLResponse)
async def my_profile(request: Request) -> HTMLResponse:
    return page(request, "me.html")


@router.get("/me/orders/{order_id}/aftersale", response_class=HTMLResponse)
async def new_aftersale(request: Request, order_id: Id) -> HTMLResponse:
    return page(request, "aftersale_new.html", order_id=str(order_id))


@router.get("/me/aftersales", response_class=HTMLResponse)
async def my_aftersales(request: Request) -> HTMLResponse:
    return page(request, "my_aftersales.html")


@router.get("/me/aftersales/{request_id}", response_class=HTMLResponse)
async def aftersale(request: Request, request_id: Id) -> HTMLResponse:
    return page(request, "aftersale.html", request_id=str(request_id))


@router.get("/me/messages", response_class=HTMLResponse)
async def my_messages(request: Request) -> HTMLResponse:
    return page(request, "messages.html")


@router.get("/me/following", response_class=HTMLResponse)
async def my_following(request: Request) -> HTMLResponse:
    return page(request, "following.html")
