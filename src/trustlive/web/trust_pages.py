"""Score pages: a seller's score explained, and the operators' view of the policy in force."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.http import Id
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/seller/shops/{shop_id}/score", response_class=HTMLResponse)
async def shop_score(request: Request, shop_id: Id) -> HTMLResponse:
    """The page is public; its data comes from explainShopScore and getShopScoreHistory, which
    only the shop's staff and operators may call."""
    return page(request, "seller_score.html", shop_id=str(shop_id), section="score")


@router.get("/operator/policy", response_class=HTMLResponse)
async def policy_in_force(request: Request) -> HTMLResponse:
    """Data from getPolicyInForce (operators only)."""
    return page(request, "operator_policy.html")
