"""Notices (受理通知书 …) as a clerk and an applicant see them: printed, read back, scanned, signed, synced.

Checked the way a user would: poppler's ``pdftotext``/``pdffonts``/``pdftoppm`` on the files the
command line writes, and the QR code decoded from the rendered page with OpenCV.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from app.cli import main as cli_main
from app.core import signature
from app.core.errors import UserError
from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.core.progress import progress_url, query_code
from app.core.signature import CaptureDevice, Point, Strokes
from app.documents.notice_layout import SIGNATURE_BOX
from app.documents.notice_model import NoticeDetails, NoticeMaterial, UnitHeader, chinese_date
from app.documents.notices import render
from app.services import notices
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.store.bundled import NOTICE_FONT_FILE
from tests.conftest import PERSON, snapshot
from tests.support import folders
from tests.support.platform import PASSWORD, TOWNSHIP, USERS, PlatformProcess
from tests.support.qr import qr_text

ITEM = "GG00231000"
PUBLIC = "https://zwfw.wuzhou.example.cn"


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, timeout=30)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def fonts_of(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font ``pdffonts`` lists."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True, timeout=30).stdout
    rows = out.splitlines()[2:]
    return [(r.split()[0], r.split()[-5]) for r in rows if r.strip()]


def page_image(pdf: Path, dpi: int = 150, page: int = 1) -> np.ndarray:
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", str(pdf)],
                         check=True, capture_output=True, timeout=30).stdout
    img = cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert img is not None
    return img


def scribble() -> Strokes:
    """A handwritten-looking zigzag, 45 × 12 mm, 20 ms a point."""
    pts = tuple(Point(round(45 * i / 24 * 100), round(12 * (i % 2) * 100), i * 20, 0.6) for i in range(25))
    return Strokes((pts,), 100_000, CaptureDevice("test"))


def run_json(folder: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    code = cli_main(["--data", str(folder), "--json", *argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)  # type: ignore[no-any-return]


# -- the 受理通知书 of a real accepted case ----------------------------------------------------

def test_acceptance_notice_prints_number_name_deadline_and_a_qr_code_to_the_progress_page(  # type: ignore[no-untyped-def]
        cli, data_dir: Path, person_file: Path, pages: dict[str, Path], tmp_path: Path) -> None:
    def ok(*argv: str) -> dict:  # type: ignore[type-arg]
        code, out, err = cli("--json", *argv)
        assert code == 0, err
        return json.loads(out)  # type: ignore[no-any-return]

    ok("config", "set", "notice.progress_url", PUBLIC)
    ok("config", "set", "unit.name", "万秀区城东镇便民服务中心")
    made = ok("case", "new", "--item", ITEM, "--applicant", str(person_file),
              "--material", f"城乡居民基本养老保险参保登记表={pages['text']},{pages['photo']}",
              "--material", f"申请人居民身份证={pages['alpha']}", "--material", f"户口簿={pages['text']}")
    code, _, err = cli("case", "notice", made["case_no"], "--kind", "受理通知书", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "尚未受理" in err and not (tmp_path / "x.pdf").exists()
    ok("case", "accept", made["case_no"])
    first = ok("case", "notice", made["case_no"], "--kind", "受理通知书", "--out", str(tmp_path / "受理.pdf"))
    assert first["issued"] is True
    shown = ok("case", "show", made["case_no"])
    due = dt.date.fromisoformat(shown["deadline"]["date"])

    pdf = tmp_path / "受理.pdf"
    text = text_of(pdf)
    assert made["case_no"] in text and PERSON["name"] in text and chinese_date(due) in text
    assert "城乡居民基本养老保险参保登记表" in text and "万秀区城东镇便民服务中心" in text and "测试受理员" in text
    assert qr_text(pdf) == progress_url(PUBLIC, made["case_no"], made["id"])
    assert query_code(made["id"]) in text
    fonts = fonts_of(pdf)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert not any("Droid" in name for name, _ in fonts), fonts

    # Listed with the case, and reprinted as stored, byte for byte.
    assert [(n["kind"], n["pdf_sha256"], n["signed"]) for n in shown["notices"]] == \
        [("受理通知书", first["pdf_sha256"], None)]
    again = ok("case", "notice", made["case_no"], "--kind", "受理通知书", "--out", str(tmp_path / "again.pdf"))
    assert again["issued"] is False and (tmp_path / "again.pdf").read_bytes() == pdf.read_bytes()
    code, out, _ = cli("case", "show", made["case_no"])
    assert code == 0 and "受理通知书" in out
    # Each file written out is a recorded look at personal data.
    conn = folders.connect(data_dir)
    try:
        printed = conn.execute("SELECT COUNT(*) FROM views WHERE what = 'print' AND case_id = ?",
                               [made["id"]]).fetchone()[0]
    finally:
        conn.close()
    assert printed == 2


# -- every kind -----------------------------------------------------------------------------

def _details(kind: NoticeKind) -> NoticeDetails:
    return NoticeDetails(
        kind=kind, unit=UnitHeader("万秀区城东镇便民服务中心", "梧州市万秀区城东镇东兴路1号", "0774-3822001", "12345",
                                   "办公时间：周一至周五"),
        case_no="12450403MB19041020261207010007", item_name="城乡居民基本养老保险参保登记", applicant_name="韦秀英",
        received_on=dt.date(2026, 12, 7), issued_at=dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), clerk="黄丽",
        materials=(NoticeMaterial("参保登记表", 2, "缺少申请人签名"), NoticeMaterial("户口簿", 0, "未提交首页")),
        accepted_on=dt.date(2026, 12, 7), promised_days=3, deadline=dt.date(2026, 12, 10),
        progress_url=f"{PUBLIC}/progress/x?code=ABCDEFGHIJ", query_code="ABCDEFGHIJ",
        reason="申请人不符合参保条件（已参加城镇职工基本养老保险）", result_name="参保登记证明", delivery_method="邮寄")


#: the kinds the tests of real cases below do not render (each notice takes about a second)
OTHER_KINDS = (NoticeKind.CORRECTION, NoticeKind.SERVICE, NoticeKind.RECEIPT)


def test_every_kind_is_rendered_by_some_test() -> None:
    # The review sheet and the licence have their own layouts and tests (tests/test_seal_flow.py,
    # tests/test_licences_e2e.py).
    assert {NoticeKind.ACCEPTANCE, NoticeKind.ONE_TIME, NoticeKind.REJECTION, NoticeKind.REVIEW_SHEET,
            NoticeKind.LICENCE, *OTHER_KINDS} == set(NoticeKind)


@pytest.mark.parametrize("kind", OTHER_KINDS, ids=lambda k: k.name)
def test_every_kind_renders_extracts_and_embeds_its_font(kind: NoticeKind, tmp_path: Path) -> None:
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(render(_details(kind), NOTICE_FONT_FILE))
    text = text_of(pdf)
    assert kind.value in text and "12450403MB19041020261207010007" in text and "万秀区城东镇便民服务中心" in text
    assert "0774-3822001" in text and "12345" in text and "黄丽" in text
    assert all(emb == "yes" for _, emb in fonts_of(pdf))
    if kind is NoticeKind.CORRECTION:
        assert "参保登记表缺少申请人签名" in text and "户口簿未提交首页" in text
    if kind is NoticeKind.SERVICE:
        assert "参保登记证明" in text and "邮寄" in text


# -- signing --------------------------------------------------------------------------------

def test_a_notice_that_does_not_fit_the_case_is_refused_and_writes_nothing(  # type: ignore[no-untyped-def]
        ctx, data_dir: Path, pages: dict[str, Path]) -> None:
    made = new_case(ctx, ITEM, PERSON, [MaterialInput("申请表", (pages["text"],))])
    before = snapshot(data_dir)
    for kind, words in ((NoticeKind.ACCEPTANCE, "尚未受理"), (NoticeKind.REJECTION, "未作不予受理"),
                        (NoticeKind.ONE_TIME, "未作一次性告知"), (NoticeKind.CORRECTION, "列出"),
                        (NoticeKind.SERVICE, "尚无可送达")):
        with pytest.raises(UserError, match=words):
            notices.issue(ctx, made.case_no, kind)
    assert snapshot(data_dir)[0] == before[0]
    with pytest.raises(UserError, match="岗位"):
        notices.issue(folders.as_role(ctx, "supervisor"), made.case_no, NoticeKind.RECEIPT)


def test_rejection_and_one_time_notices_carry_the_reason_and_every_missing_material(  # type: ignore[no-untyped-def]
        ctx, tmp_path: Path, pages: dict[str, Path]) -> None:
    first = new_case(ctx, ITEM, PERSON, [MaterialInput("申请表", (pages["text"],))])
    perform(ctx, first.case_no, ActionType.NOTIFY_MISSING, {"missing": ["户口簿", "申请人居民身份证"]})
    one = notices.issue(ctx, first.case_no, NoticeKind.ONE_TIME,
                        notices.NoticeRequest(problems={"申请人居民身份证": "复印件不清晰，请带原件"}))
    (tmp_path / "one.pdf").write_bytes(notices.pdf_of(ctx, one))
    text = text_of(tmp_path / "one.pdf")
    assert "户口簿未提交" in text and "申请人居民身份证复印件不清晰，请带原件" in text
    perform(ctx, first.case_no, ActionType.REJECT, {"reason": "申请人已参加城镇职工基本养老保险"})
    no = notices.issue(ctx, first.case_no, NoticeKind.REJECTION)
    (tmp_path / "no.pdf").write_bytes(notices.pdf_of(ctx, no))
    text = text_of(tmp_path / "no.pdf")
    assert "申请人已参加城镇职工基本养老保险" in text and "60日" in text and "6个月" in text
    assert "行政复议" in text and "行政诉讼" in text


# -- signing and sync -----------------------------------------------------------------------

def check_signed(ctx: AppContext, tmp_path: Path, case_no: str, notice: notices.NoticeRecord,
                 signed: notices.NoticeRecord) -> None:
    """The signature is bound to the notice as issued, and drawn into the signed copy only."""
    assert signed.signed is not None and signed.pdf_sha256 == notice.pdf_sha256
    assert notices.signature_holds(ctx, signed)
    record = notices.signature_record(ctx, signed)
    assert record.document_sha256 == notice.pdf_sha256 and record.role == "applicant"
    assert record.decoded() == scribble()
    assert not signature.verify(record, signed.signed.pdf_sha256)  # bound to the notice, not to the copy
    listed = notices.notices_of(ctx, case_no)
    assert [(n.kind, n.signed) for n in listed] == [(NoticeKind.ACCEPTANCE, signed.signed)]
    copy, plain = tmp_path / "signed.pdf", tmp_path / "plain.pdf"
    copy.write_bytes(notices.pdf_of(ctx, listed[0]))
    plain.write_bytes(notices.pdf_of(ctx, listed[0], signed=False))
    assert text_of(copy) == text_of(plain)  # the same notice, with ink added
    px, box = 150 / 25.4, SIGNATURE_BOX
    region = (slice(int((box.y + 2) * px), int((box.y + box.h - 2) * px)),
              slice(int((box.x + 2) * px), int((box.x + box.w - 2) * px)))
    assert (page_image(copy)[region] < 100).sum() > 200
    assert (page_image(plain)[region] < 100).sum() == 0
    with pytest.raises(UserError, match="已签名"):
        notices.sign(ctx, case_no, listed[0], scribble())


def test_the_applicant_signs_the_notice_it_syncs_and_its_qr_code_opens_the_progress_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], pages: dict[str, Path], person_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "township"
    with PlatformProcess(tmp_path / "platform") as platform:
        init_data_dir(folder, TOWNSHIP, platform.url)
        folders.cheap(folder)
        monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
        run_json(folder, capsys, "login", "--user", USERS[TOWNSHIP])
        made = run_json(folder, capsys, "case", "new", "--item", ITEM, "--applicant", str(person_file),
                        "--material", f"城乡居民基本养老保险参保登记表={pages['text']}",
                        "--material", f"申请人居民身份证={pages['alpha']}", "--material", f"户口簿={pages['text']}")
        run_json(folder, capsys, "case", "accept", made["case_no"])
        ctx = folders.open_signed_in(folder)
        try:
            notice = notices.issue(ctx, made["case_no"], NoticeKind.ACCEPTANCE)
            with pytest.raises(UserError, match="无需签名"):
                notices.sign(ctx, made["case_no"], replace(notice, kind=NoticeKind.RECEIPT), scribble())
            signed = notices.sign(ctx, made["case_no"], notice, scribble())
            check_signed(ctx, tmp_path, made["case_no"], notice, signed)
        finally:
            ctx.close()
        assert run_json(folder, capsys, "sync", "--once")["pending"] == 0
        shown = run_json(folder, capsys, "case", "show", made["case_no"])
        assert not shown["refused"]
        assert shown["notices"][0]["signed"]["pdf_sha256"] == signed.print_sha256

        token = platform.token(TOWNSHIP)
        assert signed.signed is not None
        for sha in (notice.pdf_sha256, signed.signed.pdf_sha256, signed.signed.record_sha256):
            r = httpx.get(f"{platform.url}/api/v1/blobs/{sha}", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
            assert r.status_code == 200 and len(r.content) > 0
        # The QR code's page: status and deadline, no personal data; a wrong code learns nothing.
        url = progress_url(platform.url, made["case_no"], made["id"])
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200
        assert "已受理" in page.text and shown["deadline"]["date"] in page.text
        assert PERSON["name"] not in page.text and PERSON["id_number"] not in page.text
        wrong = httpx.get(url[:-1] + ("A" if url[-1] != "A" else "B"), timeout=10)
        unknown = httpx.get(progress_url(platform.url, "1" * 30, made["id"]), timeout=10)
        assert wrong.status_code == unknown.status_code == 404 and wrong.text == unknown.text
