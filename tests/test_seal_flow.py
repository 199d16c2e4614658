"""The unit's e-seal on what the window issues, end to end with the real platform and its CA.

A township's approver asks for the seal certificate once; from then on every notice the window
issues is sealed, and poppler's ``pdfsig`` (trusting the platform's root through an NSS database)
and ``pyhanko sign validate`` agree on it: valid, broken after one flipped byte, revoked after the
platform revokes the certificate. A forwarded case's review sheet carries the township's seal and
then the county's, both valid. A seal made offline gets its timestamp at the next sync, and an
archived case's files become B-LTA.
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from cryptography import x509

from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.documents.pades import PadesLevel
from app.documents.seal_verify import RevocationStatus
from app.services import licences, notices, seal_keys, seal_upgrades, sync_run, unit_settings
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.services.review_sheets import current_sheet
from app.services.review_sheets import perform as perform_with_sheet
from app.services.seal_check import check_file
from app.services.seal_trust import trust_material
from app.services.seal_upgrades import grow_seals
from tests.conftest import PERSON
from tests.support import folders
from tests.support.cases import materials
from tests.support.platform import (
    COUNTY,
    OTHER_COUNTY,
    TOWNSHIP,
    TOWNSHIP_2,
    TOWNSHIP_3,
    WINDOWS,
    PlatformProcess,
    user_of,
)
from tests.support.platform_api import bearer, token
from tests.support.seal_tools import flip_byte_in_signed_range, nss_db_of, pdfsig, pyhanko_validate, write_pem
from tests.test_notices import scribble

pytestmark = pytest.mark.slow
ITEM = "GG00231000"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    with PlatformProcess(Path(tmp_path_factory.mktemp("platform"))) as p:
        yield p


def _sealing_window(folder: Path, platform: PlatformProcess, unit: str, role: str = "clerk") -> AppContext:
    """A unit's PC whose approver has asked for the seal certificate, opened by ``role``."""
    init_data_dir(folder, unit, platform.url)
    approver = folders.online(folder, user_of(unit, "approver"))
    try:
        with sync_run.make_client(approver) as client:
            seal_keys.request_certificate(approver, client)
        sync_run.sync_once(approver)
        assert seal_keys.credentials(approver) is not None
    finally:
        approver.close()
    return _numbered(folders.online(folder, user_of(unit, role)), unit)


def _numbered(ctx: AppContext, unit: str) -> AppContext:
    """The unit's own window number: the units' case numbers stay apart on the one platform (a region's
    townships share its code)."""
    return unit_settings.set_setting(ctx, "unit.window_no", str(WINDOWS[unit]))


def _root_and_issuing(platform: PlatformProcess) -> tuple[x509.Certificate, x509.Certificate]:
    return (x509.load_pem_x509_certificate((platform.pki / "root.pem").read_bytes()),
            x509.load_pem_x509_certificate((platform.pki / "issuing.pem").read_bytes()))


def _red_in(pdf: Path, box_mm: tuple[float, float, float, float], page: int = -1) -> int:
    """Red pixels (the seal's ink) inside a box (mm from the top-left) of a page rendered at 60 dpi."""
    args = ["pdftoppm", "-r", "60", "-png"]
    if page > 0:
        args += ["-f", str(page), "-l", str(page)]
    else:
        pages = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=30)
                    .stdout.split("Pages:")[1].split()[0])
        args += ["-f", str(pages), "-l", str(pages)]
    png = subprocess.run([*args, str(pdf)], capture_output=True, check=True, timeout=60).stdout
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    px = 60 / 25.4
    x, y, w, h = box_mm
    part = img[int(y * px):int((y + h) * px), int(x * px):int((x + w) * px)].astype(int)
    b, g, r = part[..., 0], part[..., 1], part[..., 2]
    return int(((r > 150) & (g < 90) & (b < 90)).sum())


def test_every_notice_is_sealed_and_pdfsig_and_pyhanko_agree_valid_broken_revoked(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    ctx = _sealing_window(tmp_path / "township", platform, TOWNSHIP)
    try:
        first = new_case(ctx, ITEM, PERSON, materials(pages["text"]))
        perform(ctx, first.case_no, ActionType.ACCEPT)
        issued = [notices.issue(ctx, first.case_no, NoticeKind.ACCEPTANCE),
                  notices.issue(ctx, first.case_no, NoticeKind.RECEIPT),
                  notices.issue(ctx, first.case_no, NoticeKind.CORRECTION,
                                notices.NoticeRequest(problems={"申请表": "缺少申请人签名"}))]
        second = new_case(ctx, ITEM, PERSON, [MaterialInput("申请表", (pages["text"],))])
        perform(ctx, second.case_no, ActionType.NOTIFY_MISSING, {"missing": ["户口簿"]})
        issued.append(notices.issue(ctx, second.case_no, NoticeKind.ONE_TIME))
        perform(ctx, second.case_no, ActionType.REJECT, {"reason": "申请人不符合参保条件"})
        issued.append(notices.issue(ctx, second.case_no, NoticeKind.REJECTION))
        root, issuing = _root_and_issuing(platform)
        db = nss_db_of(tmp_path / "nss", root, issuing)
        root_pem = write_pem(tmp_path / "root.pem", root)
        files = []
        for n in issued:
            assert n.sealed is not None and n.sealed.level == PadesLevel.B_T  # the platform answered
            path = tmp_path / f"{n.kind.value}.pdf"
            path.write_bytes(notices.pdf_of(ctx, n))
            files.append(path)
            sigs = pdfsig(db, path)
            assert len(sigs) == 1 and sigs[0].valid and sigs[0].trusted and sigs[0].whole_document, sigs
            code, out = pyhanko_validate(path, root_pem)
            assert code == 0 and "INTACT:TRUSTED" in out, out
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                                  check=True, timeout=30).stdout
            assert n.kind.value in text.replace(" ", "")  # the seal is drawn, the words still extract
            assert _red_in(path, (120.0, 205.0, 75.0, 62.0)) > 500  # the round red seal over the unit's name
            assert "（印章位置）" not in text  # no dashed space for an ink stamp under an e-seal
            report = check_file(path, trust_material(ctx)).report
            assert report.all_valid and report.seals[0].unit  # what the window's viewer and the CLI show

        # The applicant signs the 受理通知书 on the pad: the signed copy is sealed over the signature and
        # its stroke data, which is attached to the PDF inside the range the seal signs.
        signed = notices.sign(ctx, first.case_no, issued[0], scribble())
        assert signed.signed is not None and signed.signed.level == PadesLevel.B_T
        copy = tmp_path / "signed.pdf"
        copy.write_bytes(notices.pdf_of(ctx, signed))
        sigs = pdfsig(db, copy)
        assert len(sigs) == 1 and sigs[0].valid and sigs[0].whole_document, sigs
        attached = subprocess.run(["pdfdetach", "-list", str(copy)], capture_output=True, text=True, check=True,
                                  timeout=30).stdout
        assert "1 embedded files" in attached and ".json" in attached, attached
        record = notices.signature_record(ctx, signed)
        assert record.decoded() == scribble()

        broken = tmp_path / "broken.pdf"
        broken.write_bytes(flip_byte_in_signed_range(files[0].read_bytes()))
        assert not pdfsig(db, broken)[0].valid
        code, out = pyhanko_validate(broken, root_pem)
        assert code != 0, out
        assert not check_file(broken, trust_material(ctx)).report.all_valid

        # The platform revokes the unit's certificate: both tools say so once they have the CRL.
        serial = format(seal_keys.credentials(ctx).certificate.serial_number, "x")  # type: ignore[union-attr]
        with httpx.Client(base_url=platform.url, timeout=30) as c:
            r = c.post(f"/api/v1/pki/certificates/{serial}/revoke", json={"reason": "key_compromise"},
                       headers=bearer(token(c, TOWNSHIP, "admin")))
            assert r.status_code == 200, r.text
            crl = x509.load_der_x509_crl(c.get("/pki/crl").content)
        revoked_db = nss_db_of(tmp_path / "nss-revoked", root, issuing, [crl])
        assert pdfsig(revoked_db, files[0])[0].revoked
        code, out = pyhanko_validate(files[0], root_pem)
        assert code != 0 and "REVOKED" in out.upper(), out
        sync_run.sync_once(ctx)  # the CRL through the feed
        check = check_file(files[0], trust_material(ctx))
        seal = check.report.seals[0]
        # Revoked now; time-stamped before the revocation, so it was made while the certificate held.
        assert seal.revocation_now.status is RevocationStatus.REVOKED
        assert seal.revocation_at_signing.status is RevocationStatus.GOOD
        assert any("吊销" in line for line in check.lines)
    finally:
        ctx.close()


def test_the_review_sheet_keeps_the_township_and_the_county_seal_valid(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    township = _sealing_window(tmp_path / "township", platform, TOWNSHIP_2)
    county = _sealing_window(tmp_path / "county", platform, COUNTY, "reviewer")
    try:
        made = new_case(township, ITEM, PERSON, materials(pages["text"]))
        perform(township, made.case_no, ActionType.ACCEPT)
        perform_with_sheet(township, made.case_no, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意"})
        sheet = current_sheet(township.store.reader(), made.id)
        assert sheet is not None and sheet.sealed is not None and sheet.sealed.seals == 1
        sync_run.sync_once(township)

        sync_run.sync_once(county)  # the case, and the sealed sheet with it
        got = current_sheet(county.store.reader(), made.id)
        assert got is not None and got.sealed is not None and county.store.blobs.has(got.sealed.pdf_sha256)
        perform_with_sheet(county, made.case_no, ActionType.OPINION, {"result": "同意", "text": "经审核符合条件"})
        assert sync_run.sync_once(county).refused == []
        sync_run.sync_once(township)

        both = current_sheet(township.store.reader(), made.id)
        assert both is not None and both.sealed is not None and both.sealed.seals == 2
        path = tmp_path / "sheet.pdf"
        path.write_bytes(notices.pdf_of(township, both))
        root, issuing = _root_and_issuing(platform)
        sigs = pdfsig(nss_db_of(tmp_path / "nss", root, issuing), path)
        assert len(sigs) == 2 and all(s.valid and s.trusted for s in sigs), sigs
        assert not sigs[0].whole_document and sigs[1].whole_document  # the county's came later
        report = check_file(path, trust_material(township)).report
        assert [s.valid for s in report.seals] == [True, True]
        assert _red_in(path, (100.0, 26.0 + 74.0 - 48.0, 90.0, 48.0)) > 500  # the township's box
        assert _red_in(path, (100.0, 104.0 + 74.0 - 48.0, 90.0, 48.0)) > 500  # the county's box
        assert _red_in(path, (100.0, 182.0 + 74.0 - 48.0, 90.0, 48.0)) == 0  # the city's is still empty
        code, out = pyhanko_validate(path, write_pem(tmp_path / "root.pem", root))
        assert code == 0 and out.count(":INTACT:TRUSTED,") == 2, out
        assert "ACCEPTABLE_MODIFICATIONS" in out  # the county's seal is an allowed change to the township's
    finally:
        township.close()
        county.close()


def test_a_township_without_a_seal_certificate_still_sends_the_sheet_and_the_county_seals_its_box(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    # Units no other test here uses: two PCs of one unit would number their cases alike.
    init_data_dir(tmp_path / "township", TOWNSHIP_3, platform.url)
    township = _numbered(folders.online(tmp_path / "township", user_of(TOWNSHIP_3, "clerk")), TOWNSHIP_3)
    county = _sealing_window(tmp_path / "county", platform, OTHER_COUNTY, "reviewer")
    try:
        made = new_case(township, ITEM, PERSON, materials(pages["text"]))
        perform(township, made.case_no, ActionType.ACCEPT)
        perform_with_sheet(township, made.case_no, ActionType.FORWARD, {"to": OTHER_COUNTY})
        sheet = current_sheet(township.store.reader(), made.id)
        assert sheet is not None and sheet.sealed is None  # made, but this PC has no seal to put on it
        sync_run.sync_once(township)
        sync_run.sync_once(county)
        got = current_sheet(county.store.reader(), made.id)
        assert got is not None and county.store.blobs.has(got.pdf_sha256)  # the county reads it all the same
        perform_with_sheet(county, made.case_no, ActionType.OPINION, {"result": "退回", "text": "请补充户口簿首页",
                                                                        "returns": [{"material": "户口簿",
                                                                                     "what": "缺首页"}]})
        assert sync_run.sync_once(county).refused == []
        sync_run.sync_once(township)
        back = current_sheet(township.store.reader(), made.id)
        assert back is not None and back.sealed is not None and back.sealed.seals == 1
        path = tmp_path / "sheet.pdf"
        path.write_bytes(notices.pdf_of(township, back))
        report = check_file(path, trust_material(township)).report
        assert [s.valid for s in report.seals] == [True] and report.seals[0].unit == county.settings.get("unit.name")
        assert _red_in(path, (100.0, 104.0 + 74.0 - 48.0, 90.0, 48.0)) > 500  # in the county's box
    finally:
        township.close()
        county.close()


def test_a_seal_made_offline_gets_its_timestamp_at_the_next_sync(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    ctx = _sealing_window(tmp_path / "township", platform, TOWNSHIP_2)
    try:
        made = new_case(ctx, ITEM, PERSON, materials(pages["text"]))
        perform(ctx, made.case_no, ActionType.ACCEPT)
        notice = notices.issue(_offline(ctx), made.case_no, NoticeKind.ACCEPTANCE)
        assert notice.sealed is not None and notice.sealed.level == PadesLevel.B_B
        report = sync_run.sync_once(ctx)  # the link is back
        assert report.refused == [] and report.pending == 0, report
        now = notices.latest(ctx, made.case_no, NoticeKind.ACCEPTANCE)
        assert now is not None and now.sealed is not None and now.sealed.level == PadesLevel.B_T
        path = tmp_path / "stamped.pdf"
        path.write_bytes(notices.pdf_of(ctx, now))
        checked = check_file(path, trust_material(ctx)).report
        assert checked.all_valid and len(checked.signatures) == 2  # the seal, then the document timestamp
        assert checked.seals[0].timestamp_time is not None  # proven by the later document timestamp
        root, issuing = _root_and_issuing(platform)
        sigs = pdfsig(nss_db_of(tmp_path / "nss", root, issuing), path)
        # poppler checks the seal; the document timestamp it lists without checking it (pyHanko does, above)
        assert len(sigs) == 2 and sigs[0].valid and sigs[1].whole_document, sigs
        assert sigs[1].fields["Signer Certificate Common Name"] == "政务服务平台时间戳服务"
        assert grow_seals(ctx).timestamped == 0  # nothing owed twice
    finally:
        ctx.close()


def _offline(ctx: AppContext) -> AppContext:
    """``ctx`` with the link down: nothing listens on port 9."""
    return dataclasses.replace(ctx, settings=ctx.settings.with_value("platform.url", "http://127.0.0.1:9"))


def test_a_licence_made_offline_is_sealed_then_time_stamped_and_archived_files_become_b_lta(
        tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    ctx = _sealing_window(tmp_path / "township", platform, TOWNSHIP_2)
    try:
        made = new_case(ctx, ITEM, PERSON, materials(pages["text"]))
        perform(ctx, made.case_no, ActionType.ACCEPT)
        notices.issue(ctx, made.case_no, NoticeKind.ACCEPTANCE)
        # The township decides and issues with the link down (the steps stay on this PC in this test).
        perform(folders.as_role(ctx, "approver"), made.case_no, ActionType.DECIDE, {"result": "准予"})
        perform(folders.as_role(_offline(ctx), "approver"), made.case_no, ActionType.ISSUE, {})
        held = licences.issued_licence(ctx, made.case_no)
        assert held is not None and held.seal_level == PadesLevel.B_B
        licence = tmp_path / "licence.pdf"
        licence.write_bytes(licences.licence_pdf(ctx, held))
        root, issuing = _root_and_issuing(platform)
        sigs = pdfsig(nss_db_of(tmp_path / "nss", root, issuing), licence)
        assert len(sigs) == 1 and sigs[0].valid and sigs[0].trusted and sigs[0].whole_document, sigs
        assert _red_in(licence, (130.0, 212.0, 50.0, 48.0)) > 500  # over the issuing unit's name
        text = subprocess.run(["pdftotext", str(licence), "-"], capture_output=True, text=True, check=True,
                              timeout=30).stdout
        assert str(held.id) in "".join(text.split())  # the identifier wraps over two lines

        # The link is back: the licence's seal gets its timestamp, as a notice's does.
        assert grow_seals(ctx).timestamped == 1
        copy = notices.latest(ctx, made.case_no, NoticeKind.LICENCE)
        assert copy is not None and copy.sealed is not None and copy.sealed.level == PadesLevel.B_T
        assert copy.pdf_sha256 == held.pdf_sha256  # the licence as issued (and registered) stays named

        perform(ctx, made.case_no, ActionType.DELIVER, {"method": "窗口自取"})
        served = notices.sign(ctx, made.case_no, notices.issue(ctx, made.case_no, NoticeKind.SERVICE), scribble())
        assert served.signed is not None and served.signed.level == PadesLevel.B_T
        path = tmp_path / "送达回证.pdf"
        path.write_bytes(notices.pdf_of(ctx, served))
        sigs = pdfsig(nss_db_of(tmp_path / "nss2", root, issuing), path)
        assert len(sigs) == 1 and sigs[0].valid and sigs[0].trusted and sigs[0].whole_document, sigs
        perform(folders.as_role(ctx, "archivist"), made.case_no, ActionType.ARCHIVE, {})
        assert grow_seals(ctx).archived == 3  # the 受理通知书, the signed 送达回证 and the licence
        again = grow_seals(ctx)  # nothing is owed any more, so nothing is even tried
        assert (again.archived, again.timestamped, again.skipped) == (0, 0, 0)
        assert ctx.store.reader().execute(seal_upgrades._CANDIDATES).fetchall() == []
        for kind in (NoticeKind.ACCEPTANCE, NoticeKind.SERVICE, NoticeKind.LICENCE):
            lta = notices.latest(ctx, made.case_no, kind)
            assert lta is not None and lta.sealed is not None
            # the copy of record: the signed one once signed
            assert (lta.signed.level if lta.signed else lta.sealed.level) == PadesLevel.B_LTA
            path = tmp_path / f"lta-{kind.value}.pdf"
            path.write_bytes(notices.pdf_of(ctx, lta))
            assert check_file(path, trust_material(ctx)).report.all_valid
    finally:
        ctx.close()
