"""One material (电子材料) = one PDF of its pages, embedded without re-encoding (img2pdf)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import img2pdf

_A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
_LAYOUT = img2pdf.get_layout_fun(_A4, fit=img2pdf.FitMode.into, auto_orient=True)


def build_material_pdf(
    pages: Sequence[bytes], *, case_id: str, material: str, page_hashes: Sequence[str], created: dt.datetime
) -> bytes:
    """A PDF with one A4 page per image; metadata records case, material and page hashes.

    ``created`` is the case's receive time, so the same inputs always give the same bytes
    (and the same blob).
    """
    pdf: bytes = img2pdf.convert(
        list(pages),
        layout_fun=_LAYOUT,
        title=material,
        subject=f"case={case_id}; material={material}",
        keywords=[f"page-sha256={h}" for h in page_hashes],
        creator="Chuangkou",
        producer="Chuangkou (img2pdf)",
        creationdate=created,
        moddate=created,
        nodate=False,
    )
    return pdf
