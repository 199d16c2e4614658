"""The e-licence (电子证照) or 批文 PDF made at 出件, from the item's licence template.

A4 portrait: the title, the licence identifier, the QR code of the platform's verification page,
the holder and the rows the catalogue's template names, the validity, and at the foot the issuing
unit and the date with a free circle of :data:`SEAL_DIAMETER` over them for the unit's round seal.
The CJK font is embedded, so the text extracts. Sealing is a step the caller passes in
(``seal``): the document is made whole first and the seal signs those bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 22.0
TEXT_W = PAGE_W - 2 * MARGIN
FONT = "wqy"
QR_SIZE = 40.0
#: a unit's round seal is 42 mm across; the circle kept for it is a little larger
SEAL_DIAMETER = 42.0
#: the centre of the seal's circle (mm from the top-left corner): over the issuing unit's name
SEAL_CENTRE = (PAGE_W - MARGIN - 38.0, 236.0)

#: seals the finished PDF (PAdES); None leaves it unsealed
Seal = Callable[[bytes], bytes]


@dataclass(frozen=True, slots=True)
class LicenceDocument:
    """Everything printed on one e-licence or 批文."""

    title: str
    licence_id: str
    holder_label: str
    holder_name: str
    #: the rows the template names, after the holder (label, value)
    rows: Sequence[tuple[str, str]]
    valid_from: dt.date
    valid_until: dt.date | None
    issuer_name: str
    issued_on: dt.date
    verification_url: str
    #: a line under the title ("电子证照" or "批准文件")
    kind_label: str = "电子证照"
    extra: Sequence[str] = field(default_factory=tuple)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def validity_text(start: dt.date, end: dt.date | None) -> str:
    """「2026年12月7日 至 2031年12月6日」, or 「2026年12月7日 起长期有效」."""
    return f"{_day(start)} 至 {_day(end)}" if end is not None else f"{_day(start)} 起长期有效"


class _LicencePage(FPDF):
    def __init__(self, font_file: Path, doc: LicenceDocument) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(font_file))
        self.set_margins(MARGIN, 20.0, MARGIN)
        self.set_auto_page_break(False)
        # A fixed creation date: the same licence rendered twice is the same bytes.
        self.creation_date = dt.datetime.combine(doc.issued_on, dt.time(), dt.UTC)
        self.set_title(f"{doc.title} {doc.licence_id}")
        self.set_author(doc.issuer_name)
        self.set_creator("Chuangkou")
        self.set_lang("zh-CN")
        self.add_page()

    def qr(self, url: str, x0: float, y0: float) -> None:
        code = segno.make(url, error="m", micro=False)
        rows = [list(r) for r in code.matrix_iter(scale=1, border=4)]  # the quiet zone the standard asks for
        module = QR_SIZE / len(rows)
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # Runs drawn slightly overlapping: no hairline gaps between modules when rasterised.
                self.rect(x0 + start * module, y0 + r * module, (c - start) * module + 0.02, module + 0.02, style="F")


def _render(doc: LicenceDocument, font_file: Path) -> bytes:
    pdf = _LicencePage(font_file, doc)
    # A double frame, as printed certificates have.
    pdf.set_draw_color(150, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)
    pdf.set_draw_color(0, 0, 0)

    pdf.set_font(FONT, size=24)
    pdf.set_xy(MARGIN, 26)
    pdf.multi_cell(TEXT_W, 12, doc.title, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.set_font(FONT, size=12)
    pdf.cell(TEXT_W, 7, f"（{doc.kind_label}）", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    top = pdf.get_y() + 6
    qr_x = PAGE_W - MARGIN - QR_SIZE
    pdf.qr(doc.verification_url, qr_x, top)
    pdf.set_font(FONT, size=7.5)
    pdf.set_xy(qr_x - 6, top + QR_SIZE)
    pdf.cell(QR_SIZE + 12, 3.6, "扫码核验证照状态", align=Align.C)

    pdf.set_font(FONT, size=10)
    pdf.set_xy(MARGIN, top)
    left_w = TEXT_W - QR_SIZE - 6
    pdf.multi_cell(left_w, 5.5, f"证照标识：{doc.licence_id}", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 10))

    label_w = 40.0
    pdf.set_font(FONT, size=12)
    rows = [(doc.holder_label, doc.holder_name), *doc.rows,
            ("有效期限", validity_text(doc.valid_from, doc.valid_until))]
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_xy(MARGIN + label_w, y)
        pdf.multi_cell(TEXT_W - label_w, 9, value or "—", border="TRB", wrapmode=WrapMode.CHAR,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = pdf.get_y()
        pdf.set_xy(MARGIN, y)
        pdf.cell(label_w, bottom - y, label, border="TLB", align=Align.C)
        pdf.set_xy(MARGIN, bottom)
    pdf.ln(4)
    pdf.set_font(FONT, size=10.5)
    for line in doc.extra:
        pdf.multi_cell(TEXT_W, 6, line, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # The issuing unit and the date, under the circle kept for the round seal.
    cx, cy = SEAL_CENTRE
    pdf.set_font(FONT, size=12.5)
    block_w = 80.0
    pdf.set_xy(cx - block_w / 2, cy - 4)
    pdf.multi_cell(block_w, 7, f"发证机关：{doc.issuer_name}\n{_day(doc.issued_on)}", align=Align.C,
                   wrapmode=WrapMode.CHAR)
    pdf.set_font(FONT, size=8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(MARGIN, PAGE_H - 30)
    pdf.multi_cell(TEXT_W, 4.5, "本证照由发证机关电子印章签章，与纸质证照具有同等效力；"
                   "扫描二维码或访问证照核验页面可查验其状态。", align=Align.C, wrapmode=WrapMode.CHAR)
    pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())


def render(doc: LicenceDocument, font_file: Path, seal: Seal | None = None) -> bytes:
    """The licence's PDF, sealed by ``seal`` when one is given."""
    pdf = _render(doc, font_file)
    return seal(pdf) if seal is not None else pdf
