"""The platform's licence library against hostile issue actions: each is refused with the reason
the clerk reads, and the rest of the batch goes through."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.core.licence_ids import make, serial_of
from app.core.licences import IssuedLicence, LicenceKind, approval_type_code
from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import COUNTY, TOWNSHIP, PlatformProcess
from tests.support.platform_api import APPLICANT, NewCase, push, push_one, token, upload

TYPE = "11100000MB0143259B001"


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _approved(client: httpx.Client) -> NewCase:
    clerk, approver = token(client, TOWNSHIP), token(client, TOWNSHIP, "approver")
    case = NewCase()
    case.upload_blobs(client, clerk)
    assert push_one(client, clerk, case.receive())["result"] == "accepted"
    assert push_one(client, clerk, case.action("accept", {"promised_days": 5}))["result"] == "accepted"
    assert push_one(client, approver, case.action("decide", {"result": "准予"}))["result"] == "accepted"
    return case


def _licence(*, issuer: str = TOWNSHIP, station: str | None = None, holder: str = APPLICANT["id_number"],
             pdf: bytes | None = None) -> dict[str, Any]:
    pdf = pdf if pdf is not None else b"%PDF-1.7 licence " + os.urandom(64)
    lid = make(TYPE, issuer, serial_of(station or str(uuid.uuid4()), 1))
    return IssuedLicence(lid, LicenceKind.LICENCE, "生育服务登记证明", APPLICANT["name"], holder, True,
                         dt.date(2026, 11, 23), None, hashlib.sha256(pdf).hexdigest()).to_dict()


def _status(client: httpx.Client, licence_id: str) -> str:
    return str(client.get(f"/licences/{licence_id}/status").json()["status"])


def _uploaded(client: httpx.Client, licence: dict[str, Any]) -> dict[str, Any]:
    pdf = b"%PDF-1.7 licence " + os.urandom(64)
    licence = {**licence, "pdf_sha256": hashlib.sha256(pdf).hexdigest()}
    upload(client, token(client, TOWNSHIP), pdf)
    return licence


def test_hostile_licences_are_refused_and_the_rest_of_the_batch_goes_through(client: httpx.Client) -> None:
    approver = token(client, TOWNSHIP, "approver")
    cases = [_approved(client) for _ in range(5)]
    good = _uploaded(client, _licence())
    wrong_issuer = _uploaded(client, _licence(issuer=COUNTY))
    someone_else = _uploaded(client, _licence(holder="11010519491231002X"))
    bad_check = {**_uploaded(client, _licence()), "id": good["id"][:-1] + ("A" if good["id"][-1] != "A" else "B")}
    duplicate = {**_uploaded(client, _licence()), "id": good["id"]}
    batch = [c.action("issue", {"licence": lic}) for c, lic in
             zip(cases, (wrong_issuer, good, someone_else, bad_check, duplicate), strict=True)]
    results = push(client, approver, *batch)
    assert [r["result"] for r in results] == ["refused", "accepted", "refused", "refused", "refused"]
    assert "颁发机构代码" in results[0]["reason"] and COUNTY in results[0]["reason"]
    assert "持证人与办件的申请人不符" in results[2]["reason"]
    assert "校验位" in results[3]["reason"]
    assert "已在平台登记" in results[4]["reason"]
    assert _status(client, good["id"]) == "valid"
    assert _status(client, wrong_issuer["id"]) == "unknown"


def test_a_licence_whose_pdf_is_not_uploaded_waits_and_one_from_another_pc_is_refused(client: httpx.Client) -> None:
    approver = token(client, TOWNSHIP, "approver")
    case = _approved(client)
    waiting = _licence()
    result = push_one(client, approver, case.action("issue", {"licence": waiting}))
    assert result["result"] == "retry" and "证照文件尚未上传" in result["reason"]
    assert _status(client, waiting["id"]) == "unknown"

    # The serial names one installation, the action comes from another.
    mine, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    lic = _uploaded(client, _licence(station=theirs))
    chain = {"installation": mine, "seq": 5, "hash": "a" * 64, "gseq": 9, "ghash": "b" * 64}
    result = push_one(client, approver, {**case.action("issue", {"licence": lic}), "chain": chain})
    assert result["result"] == "refused" and "不是本机生成" in result["reason"]

    lic = _uploaded(client, _licence(station=mine))
    result = push_one(client, approver, {**case.action("issue", {"licence": lic}), "chain": chain})
    assert result["result"] == "accepted", result
    assert _status(client, lic["id"]) == "valid"


def test_a_批文_must_carry_its_issuers_type_and_revocation_needs_the_cases_licence(client: httpx.Client) -> None:
    approver, clerk = token(client, TOWNSHIP, "approver"), token(client, TOWNSHIP)
    case = _approved(client)
    lic = _uploaded(client, _licence())
    approval = {**lic, "kind": "approval"}  # a 批文 under a licence type code
    assert push_one(client, approver, case.action("issue", {"licence": approval}))["result"] == "refused"
    lid = make(approval_type_code(TOWNSHIP), TOWNSHIP, serial_of(str(uuid.uuid4()), 3))
    approval = {**lic, "kind": "approval", "id": str(lid), "type_code": lid.type_code}
    assert push_one(client, approver, case.action("issue", {"licence": approval}))["result"] == "accepted"

    other = str(make(TYPE, TOWNSHIP, serial_of(str(uuid.uuid4()), 1)))
    revoke = {"reason": "申请人申请注销"}
    result = push_one(client, approver, case.action("revoke_licence", {**revoke, "licence_id": other}))
    assert result["result"] == "refused" and "不是该办件出具的证照" in result["reason"]
    result = push_one(client, clerk, case.action("revoke_licence", {**revoke, "licence_id": str(lid)}))
    assert result["result"] == "refused" and "审批" in result["reason"]
    result = push_one(client, approver, case.action("revoke_licence", {**revoke, "licence_id": str(lid)}))
    assert result["result"] == "accepted"
    assert _status(client, str(lid)) == "revoked"
    result = push_one(client, approver, case.action("revoke_licence", {**revoke, "licence_id": str(lid)}))
    assert result["result"] == "refused" and "已注销" in result["reason"]
