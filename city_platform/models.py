"""The platform's tables (SQLAlchemy 2 declarative), identical on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every platform table."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Unit(Base):
    """An organisation: a township centre, a county or the city (三级)."""

    __tablename__ = "units"
    code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[str] = mapped_column(String(10))
    parent: Mapped[str | None] = mapped_column(String(18), ForeignKey("units.code"))
    division: Mapped[str] = mapped_column(String(12))
    #: window number for case numbers, unique among units of one 6-digit division (see
    #: ``units_window_per_division`` below and :mod:`city_platform.windows`)
    window_no: Mapped[int] = mapped_column(Integer)


# Case numbers start with the 6 digits of the unit's credit code after its first two
# (``app.core.case_numbers.division_of_org``): a county and its townships share them, so the
# window number alone tells their case numbers apart and must be unique among them.
Index("units_window_per_division", func.substr(Unit.code, 3, 6), Unit.window_no, unique=True)


class User(Base):
    """A person who signs in; belongs to exactly one unit and has one role (``app.core.permissions.Role``)."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"))
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    #: marked away (不在岗): the B post of their items acts in their place
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    #: who last marked them away or back, and when (the trace of who stood in for whom)
    away_set_by: Mapped[str | None] = mapped_column(String(64))
    away_set_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ItemPost(Base):
    """An item's A post (主岗) or B post (备岗) at one unit: the person who takes its cases (AB岗)."""

    __tablename__ = "posts"
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: "A" or "B"
    post: Mapped[str] = mapped_column(String(1), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username"), index=True)


class InstallationSecret(Base):
    """A key held in escrow for one installation (a PC's data folder) of one unit.

    The client wraps its data key with it, so a PC without an OS keyring still opens for a user
    of the unit signing in there for the first time. Given only to users of that unit.
    """

    __tablename__ = "installation_secrets"
    installation: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"))
    #: base64 of 32 random bytes
    secret: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Token(Base):
    """An issued access or refresh token; only its SHA-256 is kept."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username"))
    kind: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: shared by the access and refresh token issued together: using the refresh token ends both
    pair: Mapped[str] = mapped_column(String(32), index=True)
    #: shared by every token descended from one sign-in: signing out, or a refresh token used
    #: twice (a copy in someone else's hands), ends them all
    login: Mapped[str] = mapped_column(String(32), index=True)
    #: when a refresh token was exchanged for new ones; it is kept until it expires so that a
    #: second use is recognised as reuse rather than as an unknown token
    rotated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Blob(Base):
    """A verified blob in the content-addressed store."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BlobHolder(Base):
    """A unit that uploaded a blob itself, so has shown it holds the bytes.

    Knowing a hash proves nothing: only a holder may name the blob in a case it receives or
    amends, or download it outside the cases it may see. Stored once per hash, held by many.
    """

    __tablename__ = "blob_holders"
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("blobs.sha256"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"), primary_key=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Upload(Base):
    """A tus upload; its bytes so far sit in ``uploads/<id>`` under the blob folder.

    A finished upload is kept (``offset == length``, its file moved into the blob store) until
    it expires, so a client that lost the last PATCH's reply learns from HEAD that it is done.
    """

    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    metadata_raw: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Case(Base):
    """The platform's projection of a case; the actions are the truth."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    owner: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"))
    holder: Mapped[str] = mapped_column(String(18))
    status: Mapped[str] = mapped_column(String(24))
    item_code: Mapped[str] = mapped_column(String(32))
    #: case number, item, applicant and materials as the receiving window sent them (JSON)
    envelope: Mapped[str] = mapped_column(Text)
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))


class CaseAccess(Base):
    """Which units may see a case: the one that received it and each one it was forwarded to."""

    __tablename__ = "case_access"
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(18), primary_key=True)


class CaseBlob(Base):
    """The blobs (material PDFs and page images) a case refers to."""

    __tablename__ = "case_blobs"
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)


class CaseAction(Base):
    """One accepted action, in the platform's order, hash-chained per case."""

    __tablename__ = "actions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    #: SHA-256 of what the device sent: a resend must match it
    digest: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(18))
    username: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: who acted, as the platform determined it (never as the device claimed): role, post
    #: ("A", "B" or None), display name; and the device string as the client sent it
    role: Mapped[str | None] = mapped_column(String(16))
    post: Mapped[str | None] = mapped_column(String(1))
    actor_name: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (Index("actions_by_case", "case_id", "seq", unique=True),)


class ChainRecord(Base):
    """An accepted action's place in its sending installation's chains (see schemas.ChainLink)."""

    __tablename__ = "chain_links"
    action_id: Mapped[str] = mapped_column(String(36), ForeignKey("actions.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    unit: Mapped[str] = mapped_column(String(18))
    installation: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    gseq: Mapped[int] = mapped_column(BigInteger)
    ghash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("chain_links_by_installation", "unit", "installation", "gseq"),)


class ViewRecord(Base):
    """Somebody looked at a case's personal data (opened it, viewed a page, exported, printed) or read a card."""

    __tablename__ = "views"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    unit: Mapped[str] = mapped_column(String(18))
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    at: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    what: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Refusal(Base):
    """An action the platform refused, kept so a resend gets the same answer."""

    __tablename__ = "refusals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(18))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FeedEntry(Base):
    """One change in the feed; ``audience`` None means every unit."""

    __tablename__ = "feed"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audience: Mapped[str | None] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str | None] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("feed_by_audience", "audience", "seq"),)


class SealHolder(Base):
    """A person named by the unit's administrator to hold the unit's e-seal (印章保管人), whatever
    their role; approvers (审批) hold it by their role and need no row here."""

    __tablename__ = "seal_holders"
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username"), primary_key=True)
    named_by: Mapped[str] = mapped_column(String(64))
    named_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SealCertificate(Base):
    """A unit seal certificate the CA issued, and its revocation."""

    __tablename__ = "seal_certificates"
    #: lower-case hex
    serial: Mapped[str] = mapped_column(String(42), primary_key=True)
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: SHA-256 of the certified key's SubjectPublicKeyInfo: one certificate per key
    spki_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pem: Mapped[str] = mapped_column(Text)
    not_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(String(32))


class Licence(Base):
    """An e-licence or 批文 in the licence library (证照库), registered when its issue action is accepted.

    The identifier is unique here: a second licence with the same one is refused (``city_platform.licences``).
    """

    __tablename__ = "licences"
    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    type_code: Mapped[str] = mapped_column(String(21))
    issuer: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"))
    name: Mapped[str] = mapped_column(String(100))
    holder_id: Mapped[str] = mapped_column(String(40), index=True)
    holder_name: Mapped[str] = mapped_column(String(100))
    holder_kind: Mapped[str] = mapped_column(String(8))
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_until: Mapped[str | None] = mapped_column(String(10))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    action_id: Mapped[str] = mapped_column(String(36))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class LicenceLookup(Base):
    """Who asked the licence library for a holder's licences (免证 at intake), or fetched one's PDF:
    a look at personal data, kept as the views are."""

    __tablename__ = "licence_lookups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit: Mapped[str] = mapped_column(String(18))
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    holder_id: Mapped[str] = mapped_column(String(40), index=True)
    #: "list" (the holder's licences) or "pdf" (one licence's file, named in ``licence_id``)
    what: Mapped[str] = mapped_column(String(8))
    licence_id: Mapped[str | None] = mapped_column(String(160))
    found: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmsRecord(Base):
    """The text message (短信) the platform would send the applicant when a result is issued or delivered.

    The reference platform only records it (``city_platform.sms``): it never sends. The phone is kept
    whole for a real gateway; logs and the read-only list show it masked.
    """

    __tablename__ = "sms_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), index=True)
    case_no: Mapped[str] = mapped_column(String(32))
    #: the unit whose action (出件 or 送达) made the message, and the action
    unit: Mapped[str] = mapped_column(String(18), ForeignKey("units.code"), index=True)
    action_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    phone: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
