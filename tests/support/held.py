"""Licences registered in the platform's licence library for the 免证 tests: issued by the township
to the test applicant through the real 出件 action, as a window would."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

import httpx

from app.core.licence_ids import make, serial_of
from app.core.licences import IssuedLicence, LicenceKind
from tests.support.platform import TOWNSHIP
from tests.support.platform_api import APPLICANT, NewCase, push_one, token, upload

DISABILITY = "11100000500010125A001"  # 中华人民共和国残疾人证 (GG00527000's licence type)


def issue_licence(client: httpx.Client, type_code: str = DISABILITY, holder: str = APPLICANT["id_number"],
                  valid_until: dt.date | None = None, *, revoke: bool = False) -> tuple[str, bytes]:
    """A licence of ``type_code`` issued by the township to ``holder``, registered in the library;
    its identifier and PDF."""
    clerk, approver = token(client, TOWNSHIP), token(client, TOWNSHIP, "approver")
    case = NewCase(applicant={**APPLICANT, "id_number": holder})
    case.upload_blobs(client, clerk)
    for tok, action in ((clerk, case.receive()), (clerk, case.action("accept", {"promised_days": 5})),
                        (approver, case.action("decide", {"result": "准予"}))):
        assert push_one(client, tok, action)["result"] == "accepted"
    pdf = b"%PDF-1.7 licence " + os.urandom(64)
    upload(client, clerk, pdf)
    lid = make(type_code, TOWNSHIP, serial_of(str(uuid.uuid4()), 1))
    licence = IssuedLicence(lid, LicenceKind.LICENCE, "中华人民共和国残疾人证", APPLICANT["name"], holder, True,
                            dt.date(2020, 11, 23), valid_until, hashlib.sha256(pdf).hexdigest()).to_dict()
    assert push_one(client, approver, case.action("issue", {"licence": licence}))["result"] == "accepted"
    if revoke:
        revoking = case.action("revoke_licence", {"reason": "注销", "licence_id": str(lid)})
        assert push_one(client, approver, revoking)["result"] == "accepted"
    return str(lid), pdf
