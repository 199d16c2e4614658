"""The 上报审查表: the sheet a case travels upward with, one opinion box per tier, each sealed by its unit.

Seed 003 三(三) sends a township case up to the county (and on to the city) with each level's
opinion, and 「需盖章的采用电子印章」. The forwarding unit renders the sheet with its own opinion
printed in the first box and seals it there. A higher unit never re-renders it: it adds its
opinion and seal in its own box as a later signature (an incremental update), so the earlier
seals stay valid and the sheet shows every level's opinion in one file.

The boxes sit at fixed places on the sheet's last page, so a unit that did not make the sheet
knows where its box is without reading the layout back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fpdf.enums import Align, WrapMode, XPos, YPos

from app.documents.notice_layout import FONT, MARGIN, TEXT_W, Box, NoticePage
from app.documents.notice_model import NoticeMaterial, UnitHeader, chinese_date

TITLE = "上报审查表"
#: at most this many levels above the window: township → county → city
MAX_LEVELS = 3
_TOP, _BOX_H, _GAP = 26.0, 74.0, 4.0
_LABEL_W = 22.0
#: a round seal is 42 mm across; its box sits at the lower right of an opinion box
_SEAL_W, _SEAL_H = 62.0, 46.0


def opinion_box(level: int) -> Box:
    """The whole box of the ``level``-th opinion (0 = the forwarding unit's) on the last page."""
    if not 0 <= level < MAX_LEVELS:
        raise ValueError(f"opinion level {level} out of range")
    return Box(MARGIN, _TOP + level * (_BOX_H + _GAP), TEXT_W, _BOX_H)


def opinion_text_box(level: int) -> Box:
    """Where the opinion's words go: right of the label, above the seal's row."""
    box = opinion_box(level)
    return Box(box.x + _LABEL_W + 2, box.y + 2, box.w - _LABEL_W - 4, box.h - _SEAL_H + 4)


def opinion_seal_box(level: int) -> Box:
    """Where the level's seal goes, over its unit's name and date (lower right of the box)."""
    box = opinion_box(level)
    return Box(box.x + box.w - _SEAL_W - 2, box.y + box.h - _SEAL_H - 1, _SEAL_W, _SEAL_H)


@dataclass(frozen=True, slots=True)
class SheetOpinion:
    """One level's opinion as the sheet prints it."""

    unit_name: str
    result: str
    text: str
    day: dt.date


@dataclass(frozen=True, slots=True)
class OpinionSheet:
    """Everything the forwarding unit prints on the sheet."""

    unit: UnitHeader
    case_no: str
    item_name: str
    applicant_name: str
    received_on: dt.date
    accepted_on: dt.date | None
    promised_days: int | None
    deadline: dt.date | None
    #: the unit the case goes up to, by name
    forwarded_to: str
    clerk: str
    issued_at: dt.datetime
    materials: tuple[NoticeMaterial, ...]
    #: the label of each opinion box, lowest level first (e.g. 乡镇（街道）意见, 县（区）意见, 市级意见)
    levels: tuple[str, ...]
    #: the forwarding unit's own opinion, printed in the first box
    first: SheetOpinion


def opinion_lines(opinion: SheetOpinion) -> tuple[str, str]:
    """The opinion's words and the signature line under them, as every level's box shows them."""
    words = opinion.result + ("。" + opinion.text if opinion.text else "。")
    return words, f"{opinion.unit_name}    {chinese_date(opinion.day)}"


def render_sheet(sheet: OpinionSheet, font_file: Path) -> bytes:
    """The sheet as PDF bytes: the case's facts and materials, then a last page of opinion boxes."""
    if not 1 <= len(sheet.levels) <= MAX_LEVELS:
        raise ValueError(f"{len(sheet.levels)} opinion levels")
    pdf = NoticePage(font_file, sheet.unit, sheet.issued_at, TITLE, sealed=True)
    pdf.heading(TITLE)
    pdf.numbered("受理编号", sheet.case_no)
    deadline = ""
    if sheet.promised_days is not None:
        until = f"（{chinese_date(sheet.deadline)} 前）" if sheet.deadline else ""
        deadline = f"{sheet.promised_days} 个工作日{until}"
    pdf.fields((
        ("申请事项", sheet.item_name),
        ("申请人", sheet.applicant_name),
        ("受理单位", sheet.unit.name),
        ("收件日期", chinese_date(sheet.received_on)),
        ("受理日期", chinese_date(sheet.accepted_on) if sheet.accepted_on else "—"),
        ("承诺时限", deadline or "—"),
        ("上报至", sheet.forwarded_to),
        ("经办人", sheet.clerk),
    ))
    if sheet.materials:
        pdf.paragraph("随附申请材料：", indent=False, size=11)
        rows = [(str(i), m.name, str(m.pages) if m.pages else "") for i, m in enumerate(sheet.materials, 1)]
        pdf.grid(("序号", "材料名称", "页数"), (16, 128, 26), rows, (True, False, True))
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.set_xy(MARGIN, 14)
    pdf.cell(TEXT_W, 8, f"{TITLE}（审查意见）  受理编号：{sheet.case_no}", align=Align.C)
    for level, label in enumerate(sheet.levels):
        _box(pdf, level, label)
    _opinion(pdf, 0, sheet.first)
    return bytes(pdf.output())


def _box(pdf: NoticePage, level: int, label: str) -> None:
    box = opinion_box(level)
    pdf.set_draw_color(0, 0, 0)
    pdf.rect(box.x, box.y, box.w, box.h)
    pdf.line(box.x + _LABEL_W, box.y, box.x + _LABEL_W, box.y + box.h)
    pdf.set_font(FONT, size=11)
    lines = pdf.multi_cell(_LABEL_W - 4, 6, label, wrapmode=WrapMode.CHAR, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    pdf.set_xy(box.x + 2, box.y + (box.h - 6 * len(lines)) / 2)
    pdf.multi_cell(_LABEL_W - 4, 6, label, align=Align.C, wrapmode=WrapMode.CHAR)


def _opinion(pdf: NoticePage, level: int, opinion: SheetOpinion) -> None:
    words, signature = opinion_lines(opinion)
    text = opinion_text_box(level)
    pdf.set_font(FONT, size=11.5)
    pdf.set_xy(text.x, text.y + 2)
    pdf.multi_cell(text.w, 6.5, words, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   max_line_height=6.5)
    seal = opinion_seal_box(level)
    pdf.set_font(FONT, size=11)
    pdf.set_xy(seal.x, seal.y + seal.h - 16)
    pdf.multi_cell(seal.w, 6, signature.replace("    ", "\n"), align=Align.C, wrapmode=WrapMode.CHAR)
