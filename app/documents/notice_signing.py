"""A signed copy of a notice: the signature's picture drawn into the signature box of the stored PDF.

The notice itself is not re-rendered (what the applicant was shown stays byte for byte in the
original); the copy is the original with one overlay on its last page, so everything else in it
is unchanged and its text still extracts.
"""

from __future__ import annotations

import io

import pikepdf
from fpdf import FPDF
from PIL import Image

from app.core.signature import Strokes
from app.documents.notice_layout import PAGE_H, PAGE_W, SIGNATURE_BOX, Box
from app.documents.signature_png import render_png

_PT = 72 / 25.4
#: keep a little air between the ink and the dashed box
_PAD_MM = 1.5


def _fit(png: bytes, box: Box) -> tuple[float, float, float, float]:
    """Where the picture goes in ``box``: scaled down to fit, never up beyond life size, centred."""
    with Image.open(io.BytesIO(png)) as im:
        w_px, h_px = im.size
        dpi = float(im.info.get("dpi", (300, 300))[0]) or 300.0
    w, h = w_px / dpi * 25.4, h_px / dpi * 25.4
    room_w, room_h = box.w - 2 * _PAD_MM, box.h - 2 * _PAD_MM
    scale = min(1.0, room_w / w, room_h / h)
    w, h = w * scale, h * scale
    return box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h


def _overlay(png: bytes, box: Box) -> bytes:
    page = FPDF(orientation="P", unit="mm", format=(PAGE_W, PAGE_H))
    page.set_creator("Chuangkou")
    page.add_page()
    x, y, w, h = _fit(png, box)
    page.image(io.BytesIO(png), x=x, y=y, w=w, h=h)
    return bytes(page.output())


def signed_copy(notice_pdf: bytes, strokes: Strokes, box: Box = SIGNATURE_BOX) -> bytes:
    """``notice_pdf`` with the signature drawn into ``box`` on its last page (ink on transparent)."""
    png = render_png(strokes, background="transparent")
    overlay = pikepdf.open(io.BytesIO(_overlay(png, box)))
    with pikepdf.open(io.BytesIO(notice_pdf)) as pdf:
        last = pikepdf.Page(pdf.pages[-1])
        last.add_overlay(overlay.pages[0], pikepdf.Rectangle(0, 0, PAGE_W * _PT, PAGE_H * _PT))
        out = io.BytesIO()
        # Fixed ids and no timestamps from pikepdf: the same signature on the same notice gives the same bytes.
        pdf.save(out, deterministic_id=True)
    overlay.close()
    return out.getvalue()
