"""Small HTTP helpers for the platform tests: sign-in, tus uploads, actions as the client builds them."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.platform import PASSWORD, TOWNSHIP, WINDOWS, user_of

TUS = {"Tus-Resumable": "1.0.0"}
ITEM_CODE = "GG00231000"
ITEM_NAME = "城乡居民基本养老保险参保登记"
APPLICANT = {"kind": "person", "name": "覃桂兰", "id_type": "resident_id", "id_number": "450403195603120026",
             "phone": "13807740002", "address": "梧州市万秀区城东镇新民路8号"}
_serial = itertools.count(1)
#: whose each access token is (filled in by :func:`login`): an action sent without an actor
#: names the signed-in user, as a client that knows who is at the window does
_USER_OF_TOKEN: dict[str, str] = {}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: httpx.Client, unit: str, role: str | None = None) -> dict[str, Any]:
    """The whole login answer (tokens, unit, profile) of the demo user of ``unit`` in ``role``
    (see :func:`tests.support.platform.user_of`)."""
    return login_as(client, user_of(unit, role))


def login_as(client: httpx.Client, username: str) -> dict[str, Any]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text[:1000]
    body: dict[str, Any] = r.json()
    _USER_OF_TOKEN[body["access_token"]] = username
    return body


def token(client: httpx.Client, unit: str, role: str | None = None) -> str:
    return str(login(client, unit, role)["access_token"])


def create_upload(client: httpx.Client, tok: str, length: int, sha: str | None = None) -> str:
    """tus creation; returns the upload's Location."""
    headers = {**TUS, **bearer(tok), "Upload-Length": str(length)}
    if sha is not None:
        headers["Upload-Metadata"] = f"sha256 {b64(sha)},filename {b64('材料.pdf')}"
    r = client.post("/files", headers=headers)
    assert r.status_code == 201, r.text
    return r.headers["location"]


def patch(client: httpx.Client, tok: str, location: str, offset: int, chunk: bytes,
          **extra: str) -> httpx.Response:
    headers = {**TUS, **bearer(tok), "Upload-Offset": str(offset),
               "Content-Type": "application/offset+octet-stream", **extra}
    return client.patch(location, headers=headers, content=chunk)


def upload(client: httpx.Client, tok: str, data: bytes) -> str:
    """Upload ``data`` with tus by hand (one PATCH); returns its SHA-256."""
    sha = sha256(data)
    location = create_upload(client, tok, len(data), sha)
    if data:
        r = patch(client, tok, location, 0, data)
        assert r.status_code == 204, r.text
        assert r.headers["upload-offset"] == str(len(data))
    return sha


def missing(client: httpx.Client, tok: str, hashes: list[str]) -> list[str]:
    r = client.post("/api/v1/blobs/missing", json={"hashes": hashes}, headers=bearer(tok))
    assert r.status_code == 200, r.text[:1000]
    result: list[str] = r.json()["missing"]
    return result


def signed(tok: str, action: dict[str, Any]) -> dict[str, Any]:
    """``action`` as the holder of ``tok`` sends it: one without an actor names them."""
    if action.get("actor") is not None:
        return action
    return {**action, "actor": _USER_OF_TOKEN[tok]}


def push(client: httpx.Client, tok: str, *actions: dict[str, Any]) -> list[dict[str, Any]]:
    r = client.post("/api/v1/actions", json={"actions": [signed(tok, a) for a in actions]}, headers=bearer(tok))
    assert r.status_code == 200, r.text[:1000]
    results: list[dict[str, Any]] = r.json()["results"]
    assert [x["id"] for x in results] == [a["id"] for a in actions]
    return results


def push_one(client: httpx.Client, tok: str, action: dict[str, Any]) -> dict[str, Any]:
    return push(client, tok, action)[0]


def feed(client: httpx.Client, tok: str, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
    """Every feed entry for the unit after ``after``, following the cursor."""
    entries: list[dict[str, Any]] = []
    while True:
        r = client.get("/api/v1/feed", params={"after": after, "limit": limit}, headers=bearer(tok))
        assert r.status_code == 200, r.text[:1000]
        page = r.json()
        entries += page["entries"]
        after = page["cursor"]
        if not page["more"]:
            return entries


#: the day the test cases are received on (device time, China Standard Time)
RECEIVED = "2026-11-23T09:00:00+08:00"


def case_number(unit: str = TOWNSHIP, day: str = RECEIVED, seq: int | None = None) -> str:
    """A case number as a window of ``unit`` makes it on ``day``: division, date, window, sequence."""
    number = seq if seq is not None else next(_serial) % 9999 + 1
    return f"{unit[2:8]}{day[:10].replace('-', '')}{WINDOWS[unit]:02d}{number:04d}"


@dataclass
class NewCase:
    """A case as a receiving window makes it: its receive action and the blobs it refers to."""

    case_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    case_no: str = field(default_factory=case_number)
    blobs: dict[str, bytes] = field(default_factory=dict)
    applicant: dict[str, Any] = field(default_factory=lambda: dict(APPLICANT))

    def __post_init__(self) -> None:
        if not self.blobs:
            pdf, photo = os.urandom(3000), os.urandom(5000)
            self.blobs = {sha256(pdf): pdf, sha256(photo): photo}

    def receive(self, at: str = RECEIVED) -> dict[str, Any]:
        (pdf_sha, pdf), (page_sha, page) = list(self.blobs.items())[:2]
        material = {"id": str(uuid.uuid4()), "name": "身份证", "pdf_sha256": pdf_sha, "pdf_bytes": len(pdf),
                    "pages": [{"sha256": page_sha, "bytes": len(page), "kind": "photo"}]}
        return {
            "id": str(uuid.uuid4()), "case_id": self.case_id, "type": "receive", "actor": None, "at": at,
            "payload": {"item_code": ITEM_CODE, "applicant": self.applicant, "materials": [material["id"]]},
            "case": {"case_no": self.case_no, "item_code": ITEM_CODE, "item_name": ITEM_NAME,
                     "applicant": self.applicant, "materials": [material]},
        }

    def action(self, kind: str, payload: dict[str, Any] | None = None, *, actor: str | None = None,
               at: str = "2026-11-23T10:00:00+08:00") -> dict[str, Any]:
        """An action on this case; ``actor`` None: the user whose token sends it (see :func:`push`)."""
        return {"id": str(uuid.uuid4()), "case_id": self.case_id, "type": kind, "actor": actor, "at": at,
                "payload": payload or {}}

    def upload_blobs(self, client: httpx.Client, tok: str) -> None:
        for data in self.blobs.values():
            upload(client, tok, data)
