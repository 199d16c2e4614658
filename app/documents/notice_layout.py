"""The page of a notice: A4, the embedded CJK font, the unit's header and footer, tables, the QR code,
and the places kept for the applicant's signature and the unit's seal.

Coordinates are millimetres from the top-left corner. The signature and seal boxes sit at fixed
places on the last page, so a signature can be drawn onto a stored notice later
(:mod:`app.documents.notice_signing`) and the seal issue can place its seal without reading the
layout back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from app.documents.notice_model import UnitHeader

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 20.0
TEXT_W = PAGE_W - 2 * MARGIN
FONT = "wqy"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the page (mm, from the top-left corner)."""

    x: float
    y: float
    w: float
    h: float


#: where the applicant (or the recipient of a service) signs, on the last page
SIGNATURE_BOX = Box(MARGIN, 232.0, 78.0, 26.0)
#: kept free for the unit's seal (a round seal is 42 mm across), on the last page
SEAL_BOX = Box(122.0, 212.0, 68.0, 46.0)
#: content above this line; below it the signature and seal boxes, then the footer
BOTTOM_BLOCK_TOP = 208.0
FOOTER_TOP = 266.0
QR_SIZE = 34.0


class NoticePage(FPDF):
    """An A4 notice with the unit's contact lines at the foot of every page."""

    def __init__(self, font_file: Path, unit: UnitHeader, created: dt.datetime, title: str, *,
                 sealed: bool = False) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unit = unit
        #: the unit's e-seal will be put on it: no dashed space kept for an ink stamp
        self.sealed = sealed
        self.add_font(FONT, "", str(font_file))
        self.set_margins(MARGIN, 18.0, MARGIN)
        self.set_auto_page_break(True, margin=PAGE_H - FOOTER_TOP + 2)
        self.creation_date = created
        self.set_title(title)
        self.set_author(unit.name)
        self.set_creator("Chuangkou")
        self.set_lang("zh-CN")
        #: where text may run the full width again (below the QR code and its caption)
        self.clear_y = 0.0
        self.add_page()

    def footer(self) -> None:
        self.set_y(FOOTER_TOP)
        self.set_draw_color(120, 120, 120)
        self.line(MARGIN, FOOTER_TOP, PAGE_W - MARGIN, FOOTER_TOP)
        self.set_y(FOOTER_TOP + 1.5)
        self.set_font(FONT, size=8.5)
        self.set_text_color(60, 60, 60)
        contact = "    ".join(x for x in (
            f"咨询电话：{self.unit.phone}" if self.unit.phone else "",
            f"投诉电话：{self.unit.complaint_phone}" if self.unit.complaint_phone else "",
        ) if x)
        for line in (contact, f"地址：{self.unit.address}" if self.unit.address else "", self.unit.footer):
            if line:
                self.multi_cell(TEXT_W, 4.2, line, align=Align.C, wrapmode=WrapMode.CHAR,
                                new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    # -- text ---------------------------------------------------------------------------------
    def heading(self, title: str, subtitle: str = "") -> None:
        """The unit's name and the title, centred between equal margins that keep clear of the QR code."""
        side = QR_SIZE + 6
        width = TEXT_W - 2 * side
        self.set_font(FONT, size=13)
        self.set_x(MARGIN + side)
        self.multi_cell(width, 7, self.unit.name, align=Align.C, wrapmode=WrapMode.CHAR,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_font(FONT, size=22)
        self.set_x(MARGIN + side)
        self.cell(width, 11, title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT, size=12)
            self.set_x(MARGIN + side)
            self.cell(width, 6, subtitle, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def numbered(self, label: str, number: str) -> None:
        """「受理编号：4504…」 on a line of its own, left of the QR code."""
        self.set_font(FONT, size=11)
        self.cell(TEXT_W - QR_SIZE - 4, 6, f"{label}：{number}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_y(max(self.get_y(), self.clear_y))

    def paragraph(self, text: str, *, size: float = 12, indent: bool = True, gap: float = 2) -> None:
        self.set_font(FONT, size=size)
        lead = "\u3000\u3000" if indent else ""
        self.multi_cell(TEXT_W, size * 0.58, lead + text, wrapmode=WrapMode.CHAR,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label–value lines in a ruled block (申请人、申请事项 …)."""
        self.set_font(FONT, size=11)
        label_w = 28.0
        for label, value in rows:
            y = self.get_y()
            self.set_xy(MARGIN + label_w, y)
            self.multi_cell(TEXT_W - label_w, 7, value, border="TRB", wrapmode=WrapMode.CHAR,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            bottom = self.get_y()
            self.set_xy(MARGIN, y)
            self.cell(label_w, bottom - y, label, border="TLB", align=Align.C)
            self.set_xy(MARGIN, bottom)
        self.ln(3)

    def grid(self, header: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]],
              centred: Sequence[bool]) -> None:
        """A ruled table (``centred`` per column); the header repeats on a new page."""
        self.set_font(FONT, size=10.5)
        line_h = 6.5

        def head() -> None:
            self.set_fill_color(235, 235, 235)
            for text, w in zip(header, widths, strict=True):
                self.cell(w, line_h, text, border=1, align=Align.C, fill=True)
            self.ln(line_h)

        head()
        for row in rows:
            heights = [self._lines(text, w) * line_h for text, w in zip(row, widths, strict=True)]
            h = max(heights)
            if self.get_y() + h > FOOTER_TOP - 2:
                self.add_page()
                head()
            x, y = MARGIN, self.get_y()
            for text, w, own, mid in zip(row, widths, heights, centred, strict=True):
                self.rect(x, y, w, h)
                self.set_xy(x, y + (h - own) / 2)
                self.multi_cell(w, line_h, text, align=Align.C if mid else Align.L, wrapmode=WrapMode.CHAR)
                x += w
            self.set_xy(MARGIN, y + h)
        self.ln(3)

    def _lines(self, text: str, width: float) -> int:
        lines = self.multi_cell(width, 6.5, text, wrapmode=WrapMode.CHAR, dry_run=True, output="LINES")
        assert isinstance(lines, list)
        return max(1, len(lines))

    # -- QR code ------------------------------------------------------------------------------
    def qr_code(self, url: str, code: str, top: float) -> None:
        """The progress URL as a QR code at the top right, with the query code under it."""
        qr = segno.make(url, error="m", micro=False)
        rows = [list(r) for r in qr.matrix_iter(scale=1, border=4)]  # the quiet zone the standard asks for
        module = QR_SIZE / len(rows)
        x0, y0 = PAGE_W - MARGIN - QR_SIZE, top
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    # Runs drawn slightly overlapping: no hairline gaps between modules when rasterised.
                    self.rect(x0 + start * module, y0 + r * module, (c - start) * module + 0.02, module + 0.02,
                              style="F")
                else:
                    c += 1
        self.clear_y = y0 + QR_SIZE + 9
        self.set_font(FONT, size=7.5)
        self.set_xy(x0 - 6, y0 + QR_SIZE)
        self.cell(QR_SIZE + 12, 3.6, "扫码查询办理进度", align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        if code:
            self.cell(QR_SIZE + 12, 3.6, f"查询码：{code}", align=Align.C)

    # -- signature and seal -------------------------------------------------------------------
    def closing(self, *, signer_label: str, clerk: str, day: str, extra: Sequence[str] = ()) -> None:
        """The block at the foot of the last page: who signs (box), the seal space, clerk and date."""
        if self.get_y() > BOTTOM_BLOCK_TOP:
            self.add_page()
        self.set_font(FONT, size=11)
        self.set_xy(MARGIN, BOTTOM_BLOCK_TOP + 2)
        for line in (*extra, f"经办人：{clerk}"):
            self.cell(SEAL_BOX.x - MARGIN - 4, 6.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if signer_label:
            box = SIGNATURE_BOX
            self.set_xy(box.x, box.y - 6.5)
            self.cell(box.w, 6, f"{signer_label}（签名）：")
            self.set_draw_color(150, 150, 150)
            self.set_dash_pattern(dash=1, gap=1)
            self.rect(box.x, box.y, box.w, box.h)
            self.set_dash_pattern()
            self.set_draw_color(0, 0, 0)
        seal = SEAL_BOX
        if not self.sealed:
            self.set_draw_color(190, 190, 190)
            self.set_dash_pattern(dash=1.5, gap=1.5)
            self.rect(seal.x, seal.y, seal.w, seal.h)
            self.set_dash_pattern()
            self.set_draw_color(0, 0, 0)
            self.set_text_color(150, 150, 150)
            self.set_font(FONT, size=9)
            self.set_xy(seal.x, seal.y + 2)
            self.cell(seal.w, 5, "（印章位置）", align=Align.C)
            self.set_text_color(0, 0, 0)
        self.set_font(FONT, size=11)
        self.set_xy(seal.x, seal.y + seal.h - 16)
        self.multi_cell(seal.w, 6, f"{self.unit.name}\n{day}", align=Align.C, wrapmode=WrapMode.CHAR)
