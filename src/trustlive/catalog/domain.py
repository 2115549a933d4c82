"""Catalog rules: categories, the product lifecycle, what may be listed, stock arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trustlive.catalog.errors import CatalogError
from trustlive.kernel.errors import Conflict, Problem


class ProductStatus(StrEnum):
    DRAFT = "draft"
    LISTED = "listed"
    DELISTED = "delisted"


# draft → listed → delisted → listed …; a product that sold once never returns to draft.
TRANSITIONS: dict[tuple[ProductStatus, ProductStatus], str] = {
    (ProductStatus.DRAFT, ProductStatus.LISTED): "list",
    (ProductStatus.DELISTED, ProductStatus.LISTED): "list",
    (ProductStatus.LISTED, ProductStatus.DELISTED): "delist",
    (ProductStatus.DRAFT, ProductStatus.DELISTED): "delist",
}


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_zh: str
    seven_day_return: bool  # whether no-reason returns apply (perishables, custom goods: no)


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("fresh_food", "Fresh food", "生鲜水果", seven_day_return=False),
        Category("snacks", "Snacks and drinks", "零食饮料", seven_day_return=False),
        Category("apparel", "Apparel", "服饰", seven_day_return=True),
        Category("shoes_bags", "Shoes and bags", "鞋包", seven_day_return=True),
        Category("beauty", "Beauty and personal care", "美妆个护", seven_day_return=True),
        Category("home", "Home and kitchen", "家居厨具", seven_day_return=True),
        Category("electronics", "Electronics", "数码家电", seven_day_return=True),
        Category("jewellery", "Jewellery and jade", "珠宝玉石", seven_day_return=True),
        Category("mother_baby", "Mother and baby", "母婴", seven_day_return=True),
        Category("agriculture", "Farm produce", "农特产", seven_day_return=False),
        Category("custom_made", "Custom-made goods", "定制商品", seven_day_return=False),
        Category("virtual", "Virtual goods and vouchers", "虚拟商品", seven_day_return=False),
    )
}


def check_category(code: str) -> Category:
    category = CATEGORIES.get(code)
    if category is None:
        raise Problem(
            CatalogError.UNKNOWN_CATEGORY,
            f"unknown category {code!r}; choose one of {', '.join(sorted(CATEGORIES))}",
            status=422,
        )
    return category


def check_transition(current: ProductStatus, target: ProductStatus) -> None:
    if (current, target) not in TRANSITIONS:
        raise Conflict(
            CatalogError.ILLEGAL_STATUS_CHANGE,
            f"a {current} product cannot become {target}",
            current_status=current.value,
        )


def check_listable(*, sku_count: int, image_count: int) -> None:
    """Buyers need at least one SKU to buy and one picture to see."""
    if sku_count == 0 or image_count == 0:
        raise Conflict(
            CatalogError.NOT_LISTABLE, "add at least one SKU and one image before listing"
        )


def stock_after(current: int, delta: int) -> int:
    after = current + delta
    if after < 0:
        raise Conflict(
            CatalogError.STOCK_WOULD_GO_NEGATIVE,
            f"stock is {current}; removing {-delta} would make it negative",
        )
    return after


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    FEW_LEFT = "few_left"
    SOLD_OUT = "sold_out"


@dataclass(frozen=True)
class ShownStock:
    """What a buyer is told about a SKU's stock: a state, and the count only when few are left."""

    availability: Availability
    only_left: int | None


def shown_stock(stock: int, *, few_left_below: int) -> ShownStock:
    if stock <= 0:
        return ShownStock(Availability.SOLD_OUT, None)
    if stock < few_left_below:
        return ShownStock(Availability.FEW_LEFT, stock)
    return ShownStock(Availability.IN_STOCK, None)
