"""The platform's settings, declared once with their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: the largest blob accepted by default, in bytes
MAX_BLOB = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PlatformConfig:
    """How one platform process runs."""

    db_url: str
    blobs_dir: Path
    #: seconds an access token is valid; the client refreshes it with the refresh token
    access_ttl: int = 900
    #: seconds a refresh token is valid (a clerk signs in again after this)
    refresh_ttl: int = 30 * 24 * 3600
    #: seconds an unfinished tus upload is kept (tus expiration extension)
    upload_ttl: int = 7 * 24 * 3600
    #: seconds a tus PATCH waits for the next bytes before it counts the link as cut (and keeps
    #: what arrived); without it a silently dead link would hold the upload's lock for good.
    #: Below the client's 30 s read timeout, so a HEAD queued behind such a PATCH is answered.
    upload_idle_timeout: float = 20.0
    #: the largest blob accepted, in bytes
    max_blob: int = MAX_BLOB
    #: the test-only fault hook (/_test/faults); never on in production
    faults: bool = False
    #: the CA's folder (keys 0600; see :mod:`city_platform.ca`); None: no CA, the PKI routes answer 503
    pki_dir: Path | None = None
    #: the address clients reach this platform at, written into certificates (CRL, CA issuers)
    public_url: str = ""
    #: days a unit seal certificate is valid (never beyond the issuing CA)
    seal_cert_days: int = 730
    #: days until a CRL's nextUpdate
    crl_days: int = 7
