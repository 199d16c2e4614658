"""The notices as A4 PDFs: 受理通知书 (受理承诺单), 一次性告知书, 不予受理通知书, 补正通知书, 送达回证 and
材料接收清单 (004 §15–16, 002 四(七), 000 四(二)).

:func:`render` takes a :class:`NoticeDetails` and the font file and returns the PDF. The font is
embedded (subset), so the notice prints and extracts the same on any PC.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.notice_kinds import NoticeKind
from app.documents.notice_layout import MARGIN, NoticePage
from app.documents.notice_model import NoticeDetails, chinese_date

#: the statutory periods for challenging a refusal (行政复议法 第二十条, 行政诉讼法 第四十六条)
REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6


def render(details: NoticeDetails, font_file: Path) -> bytes:
    """The notice as PDF bytes."""
    if details.kind not in _BODIES:
        raise ValueError(f"{details.kind.name} has its own layout")
    pdf = NoticePage(font_file, details.unit, details.issued_at, details.kind.value, sealed=details.sealed)
    top = pdf.get_y()
    if details.progress_url:
        pdf.qr_code(details.progress_url, details.query_code, top)
        pdf.set_xy(MARGIN, top)
    _BODIES[details.kind](pdf, details)
    return bytes(pdf.output())


def _salutation(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.paragraph(f"{d.applicant_name}：", indent=False)


def _materials(pdf: NoticePage, d: NoticeDetails) -> None:
    rows = [(str(i), m.name, str(m.pages) if m.pages else "") for i, m in enumerate(d.materials, 1)]
    pdf.grid(("序号", "材料名称", "页数"), (16, 128, 26), rows, (True, False, True))


def _problems(pdf: NoticePage, d: NoticeDetails) -> None:
    rows = [(str(i), m.name, m.problem or "未提交") for i, m in enumerate(d.materials, 1)]
    pdf.grid(("序号", "材料名称", "需要补齐、补正的内容"), (16, 62, 92), rows, (True, False, False))


def _time_limit(d: NoticeDetails) -> str:
    if not d.promised_days:
        return "本事项为即办件，当场办结。"
    assert d.accepted_on is not None and d.deadline is not None
    text = (f"本事项承诺办理时限为 {d.promised_days} 个工作日，自受理之日起计算，"
            f"承诺于 {chinese_date(d.deadline)} 前办结（法定节假日不计入）。")
    if d.deadline_provisional:
        text += f"{d.deadline.year}年节假日安排公布前按周一至周五计算，如有调整以实际安排为准。"
    return text


def _acceptance(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value, "（受理承诺单）")
    pdf.numbered("受理编号", d.case_no)
    _salutation(pdf, d)
    accepted = chinese_date(d.accepted_on or d.issued_on)
    pdf.paragraph(f"您（单位）于 {chinese_date(d.received_on)} 提交的“{d.item_name}”申请，经审查，申请材料齐全、"
                  f"符合法定形式，本机关于 {accepted} 决定予以受理。")
    pdf.paragraph(_time_limit(d))
    pdf.paragraph("收到的申请材料如下：", indent=False)
    _materials(pdf, d)
    pdf.paragraph("请妥善保管本通知书，凭受理编号或扫描二维码查询办理进度。", size=10.5)
    pdf.closing(signer_label="申请人", clerk=d.clerk, day=chinese_date(d.issued_on),
                extra=(f"受理日期：{accepted}",))


def _one_time(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value, "（补齐补正材料一次性告知）")
    pdf.numbered("收件编号", d.case_no)
    _salutation(pdf, d)
    pdf.paragraph(f"您（单位）于 {chinese_date(d.received_on)} 申请办理的“{d.item_name}”，申请材料不齐全或者"
                  "不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知您需要补齐、"
                  "补正的全部材料如下：")
    _problems(pdf, d)
    pdf.paragraph("请按上述要求补齐、补正全部材料后再次提交，本机关自收到全部补正材料之日起审查。", size=11)
    pdf.closing(signer_label="申请人", clerk=d.clerk, day=chinese_date(d.issued_on))


def _rejection(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value)
    pdf.numbered("收件编号", d.case_no)
    _salutation(pdf, d)
    pdf.paragraph(f"您（单位）于 {chinese_date(d.received_on)} 提交的“{d.item_name}”申请，经审查，"
                  f"不予受理，理由如下：")
    pdf.paragraph(d.reason or "（未填写）")
    pdf.paragraph("根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定不予受理。")
    pdf.paragraph(f"如对本决定不服，可以自收到本通知书之日起 {REVIEW_DAYS} 日内依法申请行政复议，"
                  f"或者在 {LAWSUIT_MONTHS} 个月内依法向人民法院提起行政诉讼。")
    if d.materials:
        pdf.paragraph("您提交的申请材料已退还（或由您领回）：", indent=False, size=11)
        _materials(pdf, d)
    pdf.closing(signer_label="申请人", clerk=d.clerk, day=chinese_date(d.issued_on))


def _correction(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value)
    pdf.numbered("受理编号", d.case_no)
    _salutation(pdf, d)
    pdf.paragraph(f"您（单位）申请办理的“{d.item_name}”，在审查过程中发现申请材料需要补正"
                  + (f"（{d.reason}）" if d.reason else "") + "。请补正以下材料：")
    _problems(pdf, d)
    pdf.paragraph("请按上述要求补正后提交至本窗口。补正期间不计入承诺办理时限。", size=11)
    pdf.closing(signer_label="申请人", clerk=d.clerk, day=chinese_date(d.issued_on))


def _service(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value)
    pdf.numbered("受理编号", d.case_no)
    pdf.fields((
        ("送达文书", f"{d.result_name or '办理结果'}（{d.item_name}）"),
        ("受送达人", d.applicant_name),
        ("送达方式", d.delivery_method or "窗口自取"),
        ("送达地点", d.unit.address or d.unit.name),
        ("送达人", d.clerk),
        ("送达日期", chinese_date(d.issued_on)),
        ("备注", d.delivery_note or "—"),
    ))
    pdf.paragraph("受送达人收到上述文书后，请在下方签名确认。", size=11)
    pdf.closing(signer_label="受送达人", clerk=d.clerk, day=chinese_date(d.issued_on))


def _receipt(pdf: NoticePage, d: NoticeDetails) -> None:
    pdf.heading(d.kind.value)
    pdf.numbered("收件编号", d.case_no)
    pdf.paragraph(f"今收到 {d.applicant_name} 申请办理“{d.item_name}”的下列材料：", indent=False)
    _materials(pdf, d)
    pages = sum(m.pages for m in d.materials)
    pdf.paragraph(f"共 {len(d.materials)} 份材料，{pages} 页。收件日期：{chinese_date(d.received_on)}。", size=11)
    pdf.paragraph("本清单仅证明收到上述材料，是否受理以受理通知书或一次性告知书为准。", size=10.5)
    pdf.closing(signer_label="申请人", clerk=d.clerk, day=chinese_date(d.issued_on))


_BODIES: dict[NoticeKind, Callable[[NoticePage, NoticeDetails], None]] = {
    NoticeKind.ACCEPTANCE: _acceptance,
    NoticeKind.ONE_TIME: _one_time,
    NoticeKind.REJECTION: _rejection,
    NoticeKind.CORRECTION: _correction,
    NoticeKind.SERVICE: _service,
    NoticeKind.RECEIPT: _receipt,
}
