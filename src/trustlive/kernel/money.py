"""Money is an integer number of fen (1 yuan = 100 fen); never a float."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_PRICE_FEN = 100_000_000  # 1,000,000 yuan: above this a price is a typo, not a product

Fen = Annotated[int, Field(ge=0, le=MAX_PRICE_FEN * 1000)]
PriceFen = Annotated[int, Field(ge=1, le=MAX_PRICE_FEN, description="price in fen (1/100 yuan)")]


def format_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100}.{abs(fen) % 100:02d}"
