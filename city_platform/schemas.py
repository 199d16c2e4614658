"""Request and response bodies of the API (they make ``/openapi.json``)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

SHA256 = Field(pattern=r"^[0-9a-f]{64}$")
#: a hash as a client may write it when asking what is missing (upper-case hex is the same hash)
AnyCaseSHA256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")]
UUIDISH = Field(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")
#: text kept in a column of its own or looked up by: PostgreSQL refuses NUL characters there
#: (text inside the JSON of payloads and envelopes is escaped, so NUL is harmless in it)
NO_NUL = r"^[^\x00]*$"


#: how deeply a request body may nest (the real ones nest 5 levels; the limit keeps hashing,
#: storing and serialising a body far from any recursion limit)
MAX_DEPTH = 32


def check_json(value: Any) -> Any:
    """Refuse what JSON parsing lets through but the platform cannot store, hash or send back.

    Lone surrogates (``"\\ud800"``) cannot be encoded as UTF-8, NaN and infinities are not
    JSON, and very deep nesting exhausts the serialisers. Each would otherwise fail deep inside
    with a 500, or be stored and then break the feed of every unit that sees the case.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ValueError("numbers must be finite")
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str):
                    _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return value


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None


class RequestBody(BaseModel):
    """A request body: checked whole by :func:`check_json` before its fields are."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        return check_json(data)


class Problem(BaseModel):
    """An error the client shows: ``message`` in Chinese for the clerk, ``code`` for programs."""

    code: str
    message: str


class ErrorBody(BaseModel):
    detail: Problem


class LoginRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=256)


class UnitInfo(BaseModel):
    code: str
    name: str
    tier: Literal["township", "county", "city", "department"]
    parent: str | None
    window_no: int


class PostInfo(BaseModel):
    """One item whose A post (主岗) or B post (备岗) the user holds at their unit."""

    item_code: str
    post: Literal["A", "B"]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: str
    unit: UnitInfo
    display_name: str
    role: str = Field(description="clerk, reviewer, approver, supervisor, archivist or admin")
    posts: list[PostInfo]


class Me(BaseModel):
    user: str
    display_name: str
    role: str
    unit: UnitInfo
    posts: list[PostInfo]
    away: bool


class AwayRequest(RequestBody):
    away: bool


class AwayStatus(BaseModel):
    """Whether a user is marked away (不在岗): the B post of their items acts while they are."""

    user: str
    away: bool


class InstallationSecretOut(BaseModel):
    """The key an installation's data key is wrapped with, held for the installation's unit."""

    secret: str = Field(description="base64 of 32 random bytes")


class MissingRequest(RequestBody):
    hashes: list[AnyCaseSHA256] = Field(max_length=10000)


class MissingResponse(BaseModel):
    missing: list[str]


class PageIn(BaseModel):
    sha256: str = SHA256
    bytes: int = Field(ge=0)
    kind: str = Field(max_length=32)
    blank: bool = False
    warnings: list[str] = Field(default_factory=list, max_length=50)
    rotation: Literal[0, 90, 180, 270] = Field(default=0, description="clockwise turn the page is shown with")


class MaterialIn(BaseModel):
    """A material of a case: its PDF and pages, or (免证) a licence its applicant holds and no pages."""

    id: str = UUIDISH
    name: str = Field(min_length=1, max_length=200)
    pdf_sha256: str = SHA256
    pdf_bytes: int = Field(ge=0)
    pages: list[PageIn] = Field(max_length=2000)
    licence_id: str | None = Field(default=None, max_length=160, description=(
        "免证: the identifier of a licence in the licence library whose PDF this material is "
        "(then pdf_sha256 is that licence's and pages is empty)"))

    @model_serializer(mode="wrap")
    def _without_unset_licence(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A scanned material is stored and sent on exactly as before 免证.
        out: dict[str, Any] = handler(self)
        if out.get("licence_id") is None:
            out.pop("licence_id", None)
        return out


class CaseEnvelope(BaseModel):
    """What the receiving window knows of a new case beyond its receive action."""

    case_no: str = Field(min_length=1, max_length=32, pattern=NO_NUL)
    item_code: str = Field(min_length=1, max_length=32, pattern=NO_NUL)
    item_name: str = Field(min_length=1, max_length=200)
    applicant: dict[str, Any]
    materials: list[MaterialIn] = Field(min_length=1, max_length=200)


class ChainLink(BaseModel):
    """Where an action stands in the chains of the installation that made it, as that installation says.

    Kept beside the action so the installation can later check its own history against it
    (``verify --against-platform``): a history rewritten on the PC no longer matches.
    """

    installation: str = UUIDISH
    seq: int = Field(ge=1, le=2**31)
    hash: str = SHA256
    # Within the integers every JSON reader holds exactly (RFC 8259 section 6): a bound above it is
    # written as a rounded, larger number by some JSON writers, and then refused as too large.
    gseq: int = Field(ge=1, le=2**53)
    ghash: str = SHA256


class ChainLinkOut(BaseModel):
    action_id: str
    case_id: str
    seq: int
    hash: str
    gseq: int
    ghash: str


class ChainPage(BaseModel):
    links: list[ChainLinkOut]
    cursor: int
    more: bool


class ActionIn(BaseModel):
    """One action as the device made it; ``id`` is the device's UUID."""

    id: str = UUIDISH
    case_id: str = UUIDISH
    type: str = Field(min_length=1, max_length=24, pattern=NO_NUL)
    actor: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    at: str = Field(min_length=10, max_length=40, pattern=NO_NUL, description="device time, ISO 8601 with offset")
    payload: dict[str, Any] = Field(default_factory=dict)
    # Checked by the platform, not here: an envelope that does not fit is refused with a reason
    # the clerk reads (the action answered "refused"), not with a 422 for the whole batch.
    case: dict[str, Any] | None = Field(default=None, description=(
        "required with the receive action: the CaseEnvelope (case_no, item_code, item_name, applicant, "
        "materials); one that does not fit is refused with a reason"))
    chain: ChainLink | None = Field(default=None, description="the sending installation's links, kept for audits")
    # Who is at the window, as the device knows it. The platform records what it determines itself
    # (the display name from its own table); a role or post that differs from it is refused.
    actor_name: str | None = Field(default=None, min_length=1, max_length=64, pattern=NO_NUL,
                                   description="the acting person's name as the device shows it")
    role: str | None = Field(default=None, min_length=1, max_length=16, pattern=NO_NUL,
                             description="the role the device believes the actor acts in")
    post: Literal["A", "B"] | None = Field(default=None, description=(
        "the post (AB岗) the device believes the actor acts under; null: none"))
    device: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL,
                               description="which PC or window the action was made on, recorded as sent")


#: the fields by which a client says who is at the window; an older client sends none of them
IDENTITY_FIELDS = ("actor_name", "role", "post", "device")


class PushRequest(RequestBody):
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
    kind: Literal["catalog", "holidays", "units", "case", "action", "certificate", "crl"]
    case_id: str | None
    body: dict[str, Any]


class FeedPage(BaseModel):
    entries: list[FeedItem]
    cursor: int
    more: bool


class Health(BaseModel):
    status: Literal["ok"]
    time: str


class ViewIn(BaseModel):
    """One look at personal data, as the window recorded it (its chain link with it)."""

    id: str = UUIDISH
    case_id: str | None = Field(default=None, min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")
    actor: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    at: str = Field(min_length=10, max_length=40, pattern=NO_NUL)
    what: Literal["open_case", "view_page", "export", "print", "read_card"]
    detail: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str = SHA256
    hash: str = SHA256


class ViewsRequest(RequestBody):
    views: list[ViewIn] = Field(min_length=1, max_length=500)


class ViewResult(BaseModel):
    id: str
    result: Literal["accepted", "duplicate", "refused"]
    reason: str = ""


class ViewsResponse(BaseModel):
    results: list[ViewResult]


class ViewOut(BaseModel):
    id: str
    unit: str
    actor: str
    actor_name: str
    role: str
    at: str
    received_at: str
    what: str
    detail: dict[str, Any]


class ViewsPage(BaseModel):
    views: list[ViewOut]


class SmsOut(BaseModel):
    """A text message the platform recorded (never sent): the phone masked."""

    case_no: str
    kind: str
    phone: str
    text: str
    at: str


class SmsPage(BaseModel):
    messages: list[SmsOut]
