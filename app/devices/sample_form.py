"""The made-up application form the simulated scanner and camera show.

The bundled CJK font has no Latin glyphs, so digits and signs are drawn in their full-width
forms (:func:`fullwidth`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from app.store.bundled import FONT_FILE

A4_MM = (210.0, 297.0)
SEAL_RED = (200, 30, 35)


def fullwidth(text: str) -> str:
    """ASCII digits and signs as their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def form_page(px_per_mm: float, title: str, lines: Sequence[str], *, seal: bool) -> npt.NDArray[np.uint8]:
    """An A4 application form (RGB) at ``px_per_mm``: the title, a framed block of ruled lines,
    and with ``seal`` the receiving unit's red seal (so colour must survive)."""
    def mm(v: float) -> int:
        return round(v * px_per_mm)

    width, height = mm(A4_MM[0]), mm(A4_MM[1])
    page = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(page)
    big = ImageFont.truetype(str(FONT_FILE), mm(7))
    small = ImageFont.truetype(str(FONT_FILE), mm(4.5))
    draw.text((width // 2, mm(35)), fullwidth(title), font=big, fill=(20, 20, 20), anchor="mm")
    draw.rectangle((mm(20), mm(52), width - mm(20), mm(170)), outline=(30, 30, 30), width=max(1, mm(0.4)))
    for i, line in enumerate(lines):
        draw.text((mm(27), mm(62 + i * 15)), fullwidth(line), font=small, fill=(25, 25, 25))
        draw.line((mm(20), mm(73 + i * 15), width - mm(20), mm(73 + i * 15)), fill=(120, 120, 120),
                  width=max(1, mm(0.1)))
    if seal:
        cx, cy, r = width - mm(55), mm(225), mm(20)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL_RED, width=mm(1.2))
        draw.text((cx, cy), "受理专用章", font=small, fill=SEAL_RED, anchor="mm")
    return np.asarray(page)
