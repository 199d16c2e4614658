"""上报件 end to end (seed 003 三(三)): a township forwards a 告知承诺 case to the county, the county to the
city; the city agrees and approves on the applicant's promise; the decision comes down through sync and
the township's window issues the e-licence under its own seal, naming the city as 审批机关, and delivers
it by post with a signed 送达回证. The platform records the text messages it would send; the city checks
the paper later, and the township sees the check close.

The platform is a real process on 127.0.0.1 with its CA and time-stamping service; three data folders
(township, county, city) each sign in their own people; seals are checked with poppler's ``pdfsig`` and
``pyhanko sign validate``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.services import licences, notices, paper_checks, queries, sync_run
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.services.review_sheets import perform as perform_with_sheet
from tests.conftest import PERSON
from tests.support import folders
from tests.support.platform import CITY, COUNTY, TOWNSHIP, PlatformProcess, user_of
from tests.support.platform_api import bearer, token
from tests.support.seal_tools import nss_db_of, pdfsig, pyhanko_validate, write_pem
from tests.test_notices import scribble
from tests.test_seal_flow import _numbered, _root_and_issuing, _sealing_window

pytestmark = pytest.mark.slow
ITEM = "XK00924000"  # 户外广告设置许可: decided by the city, 告知承诺, issues the 户外广告设置许可证
TRACKING = "SF1234567890"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    with PlatformProcess(Path(tmp_path_factory.mktemp("platform"))) as p:
        yield p


def _as(folder: Path, unit: str, role: str) -> AppContext:
    """``folder`` (the unit's PC) opened by the unit's ``role``, signed in at the platform."""
    return _numbered(folders.online(folder, user_of(unit, role)), unit)


def _synced(ctx: AppContext) -> None:
    report = sync_run.sync_once(ctx)
    assert report.refused == [] and report.pending == 0, report


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=30).stdout
    return "".join(out.split())


def test_the_city_decides_on_the_promise_and_the_township_issues_delivers_and_sees_the_check(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    township = _sealing_window(tmp_path / "township", platform, TOWNSHIP)  # its approver holds the seal
    for folder, unit in ((tmp_path / "county", COUNTY), (tmp_path / "city", CITY)):
        init_data_dir(folder, unit, platform.url)
    try:
        _synced(township)  # the units: 上报 goes to the county above
        item = township.catalog.get(ITEM)
        assert item is not None and item.commitment
        made = new_case(township, ITEM, PERSON, [MaterialInput(n, (pages["text"],)) for n in item.required_materials])
        perform(township, made.case_no, ActionType.ACCEPT)
        perform_with_sheet(township, made.case_no, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意"})
        _synced(township)
    finally:
        township.close()

    county = _as(tmp_path / "county", COUNTY, "reviewer")
    try:
        _synced(county)
        perform_with_sheet(county, made.case_no, ActionType.OPINION, {"result": "同意", "text": "经审核，同意上报"})
        perform_with_sheet(county, made.case_no, ActionType.FORWARD, {"to": CITY, "text": "属市级审批事项"})
        _synced(county)
    finally:
        county.close()

    city = _as(tmp_path / "city", CITY, "reviewer")
    try:
        _synced(city)
        assert queries.show_case(city, made.case_no)["holder"] == CITY
        perform_with_sheet(city, made.case_no, ActionType.OPINION, {"result": "同意", "text": "符合设置规划，同意"})
        _synced(city)
    finally:
        city.close()
    city = _as(tmp_path / "city", CITY, "approver")
    try:
        _synced(city)
        perform(city, made.case_no, ActionType.DECIDE, {"result": "准予", "text": "申请人已书面承诺，先行准予"})
        _synced(city)
        due = queries.show_case(city, made.case_no)["paper_check"]["due"]
        (listed,) = paper_checks.open_checks(city)  # the city sees the check it must make
        assert listed.row.case_no == made.case_no and listed.row.decided_by == CITY
    finally:
        city.close()

    # The decision comes down; the township's approver issues the licence, its window delivers it by post.
    approver = _as(tmp_path / "township", TOWNSHIP, "approver")
    try:
        _synced(approver)
        back = queries.show_case(approver, made.case_no)
        assert back["status"] == "approved" and back["holder"] == TOWNSHIP
        assert [(o["unit"], o["result"]) for o in back["opinions"]] == [(COUNTY, "同意"), (CITY, "同意")]
        assert back["paper_check"]["due"] == due and back["paper_check"]["unit"] == CITY
        city_name = back["units"][CITY]
        perform(approver, made.case_no, ActionType.ISSUE, {})
        _synced(approver)
        held = licences.issued_licence(approver, made.case_no)
        assert held is not None and held.id.issuer == TOWNSHIP  # the issuing window is the 颁发机构
        licence = tmp_path / "licence.pdf"
        licence.write_bytes(licences.licence_pdf(approver, held))
    finally:
        approver.close()
    root, issuing = _root_and_issuing(platform)
    sigs = pdfsig(nss_db_of(tmp_path / "nss", root, issuing), licence)
    assert len(sigs) == 1 and sigs[0].valid and sigs[0].trusted and sigs[0].whole_document, sigs
    code, out = pyhanko_validate(licence, write_pem(tmp_path / "root.pem", root))
    assert code == 0 and "INTACT:TRUSTED" in out, out
    words = _text(licence)
    assert "户外广告设置许可证" in words and "审批机关" in words
    assert "".join(city_name.split()) in words

    clerk = _as(tmp_path / "township", TOWNSHIP, "clerk")
    try:
        perform(clerk, made.case_no, ActionType.DELIVER, {"method": "邮寄", "tracking": TRACKING})
        served = notices.sign(clerk, made.case_no, notices.issue(clerk, made.case_no, NoticeKind.SERVICE), scribble())
        assert served.signed is not None
        receipt = tmp_path / "送达回证.pdf"
        receipt.write_bytes(notices.pdf_of(clerk, served))
        _synced(clerk)
        assert paper_checks.open_checks(clerk)[0].row.case_no == made.case_no  # open until the city checks
    finally:
        clerk.close()
    sigs = pdfsig(nss_db_of(tmp_path / "nss2", root, issuing), receipt)
    assert len(sigs) == 1 and sigs[0].valid and sigs[0].trusted and sigs[0].whole_document, sigs
    words = _text(receipt)
    assert "送达回证" in words and "邮寄" in words and TRACKING in words

    # The texts the platform would send: the unit's supervisor reads them, masked; the clerk may not.
    with httpx.Client(base_url=platform.url, timeout=30) as c:
        denied = c.get("/api/v1/sms", headers=bearer(token(c, TOWNSHIP)))
        assert denied.status_code == 403
        got = c.get("/api/v1/sms", params={"case_no": made.case_no},
                    headers=bearer(token(c, TOWNSHIP, "supervisor"))).json()["messages"]
        assert [m["kind"] for m in got] == ["deliver", "issue"]  # newest first
        assert all(m["phone"] == "138****0001" and made.case_no in m["text"] and "准予" in m["text"] for m in got)
        assert "户外广告设置许可证" in got[1]["text"]
        assert "邮寄" in got[0]["text"] and TRACKING in got[0]["text"]
        assert PERSON["phone"] not in str(got)
        others = c.get("/api/v1/sms", headers=bearer(token(c, COUNTY, "supervisor"))).json()["messages"]
        assert others == []  # the county's own actions sent nothing
    assert PERSON["phone"] not in platform.log_path.read_text(encoding="utf-8")

    # The township sends the paper up; the city's reviewer checks it, and the township sees the check close.
    city = _as(tmp_path / "city", CITY, "reviewer")
    try:
        _synced(city)
        perform(city, made.case_no, ActionType.PAPER_CHECK, {"result": "属实", "text": "纸质材料与电子材料一致"})
        _synced(city)
    finally:
        city.close()
    clerk = _as(tmp_path / "township", TOWNSHIP, "clerk")
    try:
        _synced(clerk)
        check = queries.show_case(clerk, made.case_no)["paper_check"]
        assert (check["open"], check["result"]) == (False, "属实")
        assert paper_checks.open_checks(clerk) == []
        types = [a["type"] for a in queries.show_case(clerk, made.case_no)["actions"]]
        assert types.count("forward") == 2 and types.count("opinion") == 2
        assert types.index("decide") < types.index("issue") < types.index("deliver") < types.index("paper_check")
    finally:
        clerk.close()
