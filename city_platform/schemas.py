"""Request and response bodies of the API (they make ``/openapi.json``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

SHA256 = Field(pattern=r"^[0-9a-f]{64}$")
#: a hash as a client may write it when asking what is missing (upper-case hex is the same hash)
AnyCaseSHA256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")]
UUIDISH = Field(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")


class Problem(BaseModel):
    """An error the client shows: ``message`` in Chinese for the clerk, ``code`` for programs."""

    code: str
    message: str


class ErrorBody(BaseModel):
    detail: Problem


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=256)


class UnitInfo(BaseModel):
    code: str
    name: str
    tier: Literal["township", "county", "city"]
    parent: str | None
    window_no: int


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: str
    unit: UnitInfo


class Me(BaseModel):
    user: str
    display_name: str
    role: str
    unit: UnitInfo


class MissingRequest(BaseModel):
    hashes: list[AnyCaseSHA256] = Field(max_length=10000)


class MissingResponse(BaseModel):
    missing: list[str]


class PageIn(BaseModel):
    sha256: str = SHA256
    bytes: int = Field(ge=0)
    kind: str = Field(max_length=32)
    blank: bool = False
    warnings: list[str] = Field(default_factory=list, max_length=50)


class MaterialIn(BaseModel):
    id: str = UUIDISH
    name: str = Field(min_length=1, max_length=200)
    pdf_sha256: str = SHA256
    pdf_bytes: int = Field(ge=0)
    pages: list[PageIn] = Field(max_length=2000)


class CaseEnvelope(BaseModel):
    """What the receiving window knows of a new case beyond its receive action."""

    case_no: str = Field(min_length=1, max_length=32)
    item_code: str = Field(min_length=1, max_length=32)
    item_name: str = Field(min_length=1, max_length=200)
    applicant: dict[str, Any]
    materials: list[MaterialIn] = Field(min_length=1, max_length=200)


class ActionIn(BaseModel):
    """One action as the device made it; ``id`` is the device's UUID."""

    id: str = UUIDISH
    case_id: str = UUIDISH
    type: str = Field(min_length=1, max_length=24)
    actor: str = Field(min_length=1, max_length=64)
    at: str = Field(min_length=10, max_length=40, description="device time, ISO 8601 with offset")
    payload: dict[str, Any] = Field(default_factory=dict)
    case: CaseEnvelope | None = Field(default=None, description="required with the receive action")


class PushRequest(BaseModel):
    actions: list[ActionIn] = Field(min_length=1, max_length=500)


class ActionResult(BaseModel):
    """``accepted`` (new), ``duplicate`` (already had it: the original answer), ``refused``
    (the clerk sees ``reason``) or ``retry`` (its blobs are not all here yet)."""

    id: str
    result: Literal["accepted", "duplicate", "refused", "retry"]
    seq: int | None = None
    received_at: str | None = None
    reason: str = ""


class PushResponse(BaseModel):
    results: list[ActionResult]


class FeedItem(BaseModel):
    seq: int
    kind: Literal["catalog", "holidays", "units", "case", "action"]
    case_id: str | None
    body: dict[str, Any]


class FeedPage(BaseModel):
    entries: list[FeedItem]
    cursor: int
    more: bool


class Health(BaseModel):
    status: Literal["ok"]
    time: str
