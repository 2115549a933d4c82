"""Accounts HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trustlive.accounts.domain import USERNAME_PATTERN
from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id

Username = Annotated[str, StringConstraints(pattern=USERNAME_PATTERN)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]


Strict = InputModel  # every request body: no unknown fields, no control characters


class RegisterIn(Strict):
    username: Username = Field(examples=["laotie_88"])
    display_name: DisplayName = Field(examples=["王小明"])
    password: Password
    as_creator: bool = Field(False, description="also register as a creator (达人)")


class ProfilePatch(Strict):
    display_name: DisplayName = Field(examples=["王小明"])


Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 \-]{4,19}$")]
Street = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class SavedAddressIn(Strict):
    """The same fields and limits as an order's address (orders.AddressIn), so a saved address
    always passes checkout."""

    recipient: Short = Field(examples=["王小明"])
    phone: Phone = Field(examples=["13800138000"])
    province: Short = Field(examples=["江西省"])
    city: Short = Field(examples=["赣州市"])
    district: Short = Field(examples=["章贡区"])
    detail: Street
    is_default: bool = Field(False, description="use it first at checkout")


class AddressPatch(Strict):
    recipient: Short | None = None
    phone: Phone | None = None
    province: Short | None = None
    city: Short | None = None
    district: Short | None = None
    detail: Street | None = None
    is_default: bool | None = Field(
        None, description="true makes it the default; another address replaces a default"
    )


class AddressOut(BaseModel):
    """Only its owner ever receives this: it is shown whole."""

    model_config = ConfigDict(from_attributes=True)

    id: Id
    recipient: str
    phone: str
    province: str
    city: str
    district: str
    detail: str
    is_default: bool
    created_at: datetime


class AddressList(BaseModel):
    items: list[AddressOut]


class LoginIn(Strict):
    username: str = Field(max_length=32)
    password: str = Field(max_length=128)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    username: str
    display_name: str
    roles: list[str]
    created_at: datetime


class PublicUserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    username: str
    display_name: str


class MeOut(UserOut):
    followers: int
    following: int


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut


class FollowOut(BaseModel):
    user: PublicUserOut
    followed_at: datetime
    mutual: bool = Field(description="both follow each other (互关)")


class FollowPage(BaseModel):
    items: list[FollowOut]
    next_before: str | None = Field(None, description="pass as ?before= for the next page")


class FollowResult(BaseModel):
    following: bool
    mutual: bool


class FollowState(BaseModel):
    following: bool = Field(description="you follow this user")
    followed_by: bool = Field(description="this user follows you")
