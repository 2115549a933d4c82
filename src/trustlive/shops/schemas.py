"""Shops HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id
from trustlive.shops.domain import StaffRole

ShopName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
Description = Annotated[str, StringConstraints(max_length=2000)]


Strict = InputModel  # every request body: no unknown fields, no control characters


class ShopIn(Strict):
    name: ShopName = Field(examples=["老王的果园"])
    description: Description = ""
    logo_url: AnyHttpUrl | None = None


class ShopPatch(Strict):
    name: ShopName | None = None
    description: Description | None = None
    logo_url: AnyHttpUrl | None = None


class ShopOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    owner_id: Id
    name: str
    description: str
    logo_url: str | None
    created_at: datetime


class StaffIn(Strict):
    user_id: Id
    role: StaffRole = Field(description="owner cannot be assigned")


class StaffOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    shop_id: Id
    user_id: Id
    role: StaffRole
    added_at: datetime


class MyShopOut(BaseModel):
    shop: ShopOut
    role: StaffRole
