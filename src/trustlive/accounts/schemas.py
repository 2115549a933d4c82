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
