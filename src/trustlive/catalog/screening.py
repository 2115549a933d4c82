"""The port through which a product's title and description are screened before they are saved.
The risk context plugs its private-deal and false-claim checks in; by default everything passes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.catalog.errors import CatalogError
from trustlive.kernel.errors import Problem
from trustlive.kernel.runtime import Runtime, Slot

SCREEN_KEY: Slot[ProductTextScreen] = Slot("catalog.text_screen")  # the composition root fills it


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str
    clause: str
    span: str  # what matched (normalised)


class ProductTextScreen(Protocol):
    async def screen(
        self, session: AsyncSession, *, shop_id: int, field: str, text: str
    ) -> Refusal | None: ...


class AllowAllTexts:
    async def screen(
        self, session: AsyncSession, *, shop_id: int, field: str, text: str
    ) -> Refusal | None:
        return None


def screen_of(rt: Runtime) -> ProductTextScreen:
    return SCREEN_KEY.get(rt) or AllowAllTexts()


async def require_acceptable(
    session: AsyncSession, screen: ProductTextScreen, *, shop_id: int, texts: dict[str, str | None]
) -> None:
    """Refuse (422) the first field the screen refuses, naming the rule and its clause."""
    for field, text in texts.items():
        if not text:
            continue
        refusal = await screen.screen(session, shop_id=shop_id, field=field, text=text)
        if refusal is not None:
            raise Problem(
                CatalogError.TEXT_REFUSED,
                f"the product's {field} breaks a rule: {refusal.reason}",
                status=422,
                field=field,
                rule=refusal.rule,
                clause=refusal.clause,
                span=refusal.span,
            )
