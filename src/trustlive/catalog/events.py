"""Events published by the catalog."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ProductStatusChanged(Event):
    topic = "catalog.product_status_changed"
    product_id: int
    shop_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class StockAdjusted(Event):
    topic = "catalog.stock_adjusted"
    sku_id: int
    product_id: int
    delta: int
    stock_after: int
    actor_id: int


@dataclass(frozen=True, kw_only=True)
class ProductCreated(Event):
    topic = "catalog.product_created"
    product_id: int
    shop_id: int


@dataclass(frozen=True, kw_only=True)
class ProductUpdated(Event):
    """Title, description, category, pictures or SKUs (prices) changed."""

    topic = "catalog.product_updated"
    product_id: int
    shop_id: int
