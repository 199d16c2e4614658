"""免证 on the platform: a case whose material is a licence its applicant holds is taken although the
receiving unit never uploaded that PDF, when the licence library holds it for that applicant and it
is valid; the county the case goes to can then download it. Any other reference is refused with
the reason the clerk reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.core.licence_ids import make, serial_of
from tests.platform_fixture import platform  # noqa: F401
from tests.support.held import issue_licence
from tests.support.platform import COUNTY, TOWNSHIP, TOWNSHIP_2, PlatformProcess
from tests.support.platform_api import NewCase, bearer, case_number, feed, push_one, token

HELD_FOR = "第二代《中华人民共和国残疾人证》"


@pytest.fixture(scope="module")
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _with_licence(case: NewCase, licence_id: str, pdf_sha256: str, size: int = 100,
                  pages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The case's receive action with a second material: licence ``licence_id`` instead of pages."""
    action = case.receive()
    material = {"id": str(uuid.uuid4()), "name": HELD_FOR, "pdf_sha256": pdf_sha256, "pdf_bytes": size,
                "pages": pages or [], "licence_id": licence_id}
    action["case"]["materials"].append(material)
    action["payload"]["materials"].append(material["id"])
    return action


def _refused(result: dict[str, Any], fragment: str) -> None:
    assert result["result"] == "refused" and fragment in result["reason"], result


def test_a_held_licence_is_taken_without_upload_and_the_county_can_download_it(client: httpx.Client) -> None:
    lid, pdf = issue_licence(client)
    sha = hashlib.sha256(pdf).hexdigest()
    clerk = token(client, TOWNSHIP_2)
    case = NewCase(case_no=case_number(TOWNSHIP_2))
    case.upload_blobs(client, clerk)  # the scanned material's blobs, not the licence's PDF
    assert client.get(f"/api/v1/blobs/{sha}", headers=bearer(clerk)).status_code == 404
    assert push_one(client, clerk, _with_licence(case, lid, sha, len(pdf)))["result"] == "accepted"

    for action in (case.action("accept", {"promised_days": 5}),
                   case.action("forward", {"to": COUNTY, "unit": TOWNSHIP_2, "text": "拟同意"})):
        assert push_one(client, clerk, action)["result"] == "accepted"
    county = token(client, COUNTY)
    r = client.get(f"/api/v1/blobs/{sha}", headers=bearer(county))
    assert r.status_code == 200 and r.content == pdf
    # the envelope the county is given names the licence; the scanned material's record is as before
    given = [e for e in feed(client, county) if e["kind"] == "case" and e["case_id"] == case.case_id]
    materials = given[-1]["body"]["envelope"]["materials"]
    assert [m.get("licence_id") for m in materials] == [None, lid]
    assert "licence_id" not in materials[0] and materials[1]["pages"] == []


def test_a_reference_to_a_licence_the_applicant_may_not_use_is_refused(client: httpx.Client) -> None:
    mine, pdf = issue_licence(client)
    theirs, their_pdf = issue_licence(client, holder="11010519491231002X")
    revoked, revoked_pdf = issue_licence(client, revoke=True)
    expired, expired_pdf = issue_licence(client, valid_until=dt.date(2026, 1, 1))
    unknown = str(make("11100000500010125A001", TOWNSHIP, serial_of(str(uuid.uuid4()), 1)))
    sha = hashlib.sha256(pdf).hexdigest()
    clerk = token(client, TOWNSHIP_2)
    refused = {
        "不在证照库": (unknown, sha),
        "不是本办件申请人的证照": (theirs, hashlib.sha256(their_pdf).hexdigest()),
        "已注销": (revoked, hashlib.sha256(revoked_pdf).hexdigest()),
        "已过有效期": (expired, hashlib.sha256(expired_pdf).hexdigest()),
        "不符": (mine, hashlib.sha256(b"another file").hexdigest()),
    }
    for fragment, (lid, digest) in refused.items():
        case = NewCase(case_no=case_number(TOWNSHIP_2))
        case.upload_blobs(client, clerk)
        _refused(push_one(client, clerk, _with_licence(case, lid, digest)), fragment)

    case = NewCase(case_no=case_number(TOWNSHIP_2))
    case.upload_blobs(client, clerk)
    _refused(push_one(client, clerk, _with_licence(case, mine[:-1] + "#", sha)), "电子证照标识")  # malformed id
    with_pages = _with_licence(case, mine, sha, pages=[{"sha256": sha, "bytes": 10, "kind": "photo"}])
    _refused(push_one(client, clerk, with_pages), "格式")
