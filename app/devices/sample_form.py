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


def form_page(px_per_mm: float, title: str, lines: Sequence[str], *, seal: bool,
              seal_text: str = "受理专用章") -> npt.NDArray[np.uint8]:
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
        draw.text((cx, cy), seal_text, font=small, fill=SEAL_RED, anchor="mm")
    return np.asarray(page)


def card_page(px_per_mm: float, lines: Sequence[str]) -> npt.NDArray[np.uint8]:
    """A copy of a resident ID card on A4 (RGB): the card's frame with a photo area and its text
    in the upper half, the rest of the sheet blank, as a counter photocopies one."""
    def mm(v: float) -> int:
        return round(v * px_per_mm)

    width, height = mm(A4_MM[0]), mm(A4_MM[1])
    page = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(page)
    small = ImageFont.truetype(str(FONT_FILE), mm(3.2))
    left, top = (width - mm(85.6)) // 2, mm(40)
    draw.rounded_rectangle((left, top, left + mm(85.6), top + mm(54)), radius=mm(3), outline=(40, 40, 40),
                           width=max(1, mm(0.4)))
    draw.rectangle((left + mm(58), top + mm(8), left + mm(80), top + mm(36)), fill=(170, 170, 170))
    for i, line in enumerate(lines):
        draw.text((left + mm(5), top + mm(7 + i * 7.5)), fullwidth(line), font=small, fill=(25, 25, 25))
    return np.asarray(page)


def sample_for(material: str, sheet: int, px_per_mm: float) -> npt.NDArray[np.uint8]:
    """A made-up sheet of the kind ``material`` names: an ID card copy, a household register page,
    a licence or certificate (with its red seal), or an application form."""
    if "身份证" in material:
        return card_page(px_per_mm, ("姓名　张三", "性别　男　民族　汉", "出生　1986年3月14日",
                                     "住址　梧州市万秀区城东镇", "公民身份号码　450403198603141525"))
    if "户口" in material:
        register = ("户主姓名：张三", "与户主关系：户主", "民族：汉", "出生地：广西梧州", "籍贯：广西苍梧",
                    "服务处所：个体经营")
        return form_page(px_per_mm, "常住人口登记卡", register, seal=True, seal_text="户口专用章")
    if any(word in material for word in ("执照", "许可证", "证书", "证明", "资格证")):
        licence = ("编号：４５０４０３６００１２３４５", "名称：万秀区城东镇张三日用百货店",
                   "经营场所：梧州市万秀区城东镇新兴二路１２号", "有效期限：长期")
        return form_page(px_per_mm, material, licence, seal=True, seal_text="登记机关")
    return form_page(px_per_mm, f"{material or '申请书'}（第{sheet}页）",
                     ("申请人：张三", "申请事项：个体工商户设立登记", "经营场所：梧州市万秀区城东镇",
                      "经营范围：日用百货零售", "本人承诺所填信息真实有效。", "申请人签字："), seal=False)
