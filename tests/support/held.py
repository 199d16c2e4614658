"""Licences registered in the platform's licence library for the 免证 tests: issued by the township
to the test applicant through the real 出件 action, as a window would."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path

import httpx

from app.core.licence_ids import make, serial_of
from app.core.licences import IssuedLicence, LicenceKind
from app.services.context import AppContext
from app.services.intake import HeldLicenceRef, MaterialInput
from app.store import cases
from tests.support.platform import TOWNSHIP
from tests.support.platform_api import APPLICANT, NewCase, push_one, token, upload

DISABILITY = "11100000500010125A001"  # 中华人民共和国残疾人证 (GG00527000's licence type)
SUBSIDY = "JF00318000"  # 残疾人两项补贴申请: its material HELD_FOR may be a held licence of type DISABILITY
HELD_FOR = "第二代《中华人民共和国残疾人证》"
#: the other required materials of SUBSIDY's checklist, scanned
SCANNED = ("残疾人两项补贴申请审批表", "申请人居民身份证", "户口簿", "本人社会保障卡或银行账户")
#: the unit code the held licences made in a window's blob store name as their issuer
ISSUER = "11450403MB0123456N"


def kept_licence(ctx: AppContext, type_code: str = DISABILITY) -> HeldLicenceRef:
    """A held licence's PDF put in the window's blob store, as the fetch from the licence library
    leaves it (that fetch is tested against the platform in ``test_held_licences``)."""
    pdf = b"%PDF-1.7 licence " + uuid.uuid4().bytes
    sha = ctx.store.blobs.put(pdf)
    ctx.store.write(lambda db: cases.record_blob(db, sha, len(pdf), "application/pdf", ctx.clock().isoformat()))
    return HeldLicenceRef(str(make(type_code, ISSUER, serial_of(str(uuid.uuid4()), 1))), sha)


def subsidy_materials(page: Path, licence: HeldLicenceRef) -> list[MaterialInput]:
    """SUBSIDY's required materials: the scanned ones from ``page``, HELD_FOR as ``licence``."""
    return [*(MaterialInput(n, (page,)) for n in SCANNED), MaterialInput(HELD_FOR, (), licence=licence)]


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
