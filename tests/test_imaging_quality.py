"""The quality gate: clean pages pass, and each defect gives exactly its own warning."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import cv2
import numpy as np
import pytest

from app.imaging.quality import MESSAGES, PageWarning, check_page
from tests.support import pagegen as pg

Image = np.ndarray


@cache
def _scan(kind: str, dpi: int) -> Image:
    """A generated page as a scanner gives it (a little sensor noise)."""
    make: dict[str, Callable[[int, int], Image]] = {
        "text": pg.text_page,
        "table": pg.table_page,
        "mixed": pg.mixed_page,
        "one-line": pg.one_line_page,
    }
    return pg.add_noise(make[kind](7, dpi), 4, 7)


def _shift(img: Image, dx_mm: float, dy_mm: float, dpi: int) -> Image:
    """The paper moved on the glass: content shifted, the uncovered part white."""
    dx, dy = round(dx_mm * dpi / 25.4), round(dy_mm * dpi / 25.4)
    out = np.full_like(img, 255)
    h, w = img.shape[:2]
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = img[
        max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
    ]
    return out


def _codes(img: Image, dpi: int) -> list[str]:
    return [w.code for w in check_page(img, dpi=dpi)]


PAGES = [(kind, dpi) for dpi in (300, 200) for kind in ("text", "table", "mixed", "one-line")]


@pytest.mark.parametrize(("kind", "dpi"), PAGES)
def test_clean_pages_have_no_warnings(kind: str, dpi: int) -> None:
    assert _codes(_scan(kind, dpi), dpi) == []


def test_a_slightly_soft_scan_and_narrow_margins_pass() -> None:
    assert _codes(pg.blur(_scan("text", 300), 1.5), 300) == []
    assert _codes(pg.add_noise(pg.text_page(8, 300, margin_mm=8), 4), 300) == []


def test_a_few_pixels_of_scanner_border_left_by_the_crop_are_not_cut_off_text() -> None:
    page = _scan("text", 300).copy()
    rng = np.random.default_rng(3)
    for y in range(0, page.shape[0], 40):  # a ragged dark rim along the left edge, up to 1 mm
        page[y : y + 40, : int(rng.integers(0, 12))] = 25
    page[-5:] = 60  # and a straight grey one along the bottom
    assert _codes(page, 300) == []


@pytest.mark.parametrize(("dpi", "sigma"), [(300, 3.0), (300, 2.6), (200, 2.0)])
def test_a_blurred_page_is_blurred_and_nothing_else(dpi: int, sigma: float) -> None:
    assert _codes(pg.blur(_scan("text", dpi), sigma), dpi) == ["blurred"]


def test_a_blurred_table_or_single_line_is_blurred() -> None:
    assert _codes(pg.blur(_scan("table", 300), 3.0), 300) == ["blurred"]
    assert _codes(pg.blur(_scan("one-line", 300), 3.0), 300) == ["blurred"]


@pytest.mark.parametrize("kind", ["text", "one-line"])
def test_a_dark_page_is_too_dark_and_nothing_else(kind: str) -> None:
    assert _codes(pg.darken(_scan(kind, 300), 0.35), 300) == ["too_dark"]
    assert _codes(pg.darken(_scan(kind, 200), 0.35), 200) == ["too_dark"]


def test_a_dim_but_readable_page_passes() -> None:
    assert _codes(pg.darken(_scan("text", 300), 0.65), 300) == []


@pytest.mark.parametrize(
    ("kind", "dx", "dy", "dpi"),
    [("text", -30, 0, 300), ("text", 30, 0, 300), ("text", 0, -40, 300), ("text", 0, 45, 200), ("table", -22, 0, 300)],
)
def test_text_running_off_an_edge_is_cut_off_and_nothing_else(kind: str, dx: float, dy: float, dpi: int) -> None:
    assert _codes(_shift(_scan(kind, dpi), dx, dy, dpi), dpi) == ["cut_off"]


def test_a_blank_page_is_only_blank() -> None:
    assert _codes(pg.blank_page(3), 300) == ["blank"]
    assert _codes(pg.blank_page(4, 200), 200) == ["blank"]


def test_a_few_loose_marks_are_almost_empty() -> None:
    page = pg.blank_page(5).copy()
    cv2.circle(page, (700, 1200), 18, (0, 0, 0), -1)
    cv2.line(page, (1400, 2300), (1500, 2340), (20, 20, 20), 6)
    cv2.putText(page, "x", (1200, 1800), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 5)
    assert _codes(page, 300) == ["almost_empty"]


def test_grey_input_is_judged_like_colour() -> None:
    blurred = pg.blur(_scan("mixed", 300), 3.0)
    assert _codes(cv2.cvtColor(blurred, cv2.COLOR_RGB2GRAY), 300) == _codes(blurred, 300) == ["blurred"]


def test_warnings_say_what_to_do_for_the_page_number() -> None:
    assert PageWarning("blurred").message(3) == "第3页模糊，请重新扫描"
    assert PageWarning("too_dark").message(1) == "第1页太暗，请调亮后重新扫描"
    assert PageWarning("cut_off").message(12) == "第12页内容不完整（边缘被裁切），请摆正后重新扫描"
    assert PageWarning("almost_empty").message(2) == "第2页几乎没有内容，请确认是否放错"
    assert PageWarning("sheet_not_found").message(5) == "第5页未找到纸张边缘，已保留整张照片，请确认"
    assert PageWarning("blank").message(4) == "第4页是空白页"
    assert set(MESSAGES) == {"blurred", "too_dark", "cut_off", "almost_empty", "sheet_not_found", "blank"}
    assert PageWarning("blurred", "edge sigma 0.2 mm") == PageWarning("blurred")
    with pytest.raises(ValueError):
        PageWarning("smudged")
