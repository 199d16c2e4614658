"""Blank pages, page kinds and the bitonal threshold, on generated pages whose answer is known."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from app.imaging.blank import is_blank
from app.imaging.classify import binarize, classify
from tests.support import pagegen as pg

Image = np.ndarray


# --- what scanners and paper do to a page (beyond pagegen's own) ---------------------------------


def _uneven(img: Image, low: float) -> Image:
    """Light falling off from the top-left corner (1.0) to ``low`` at the bottom-right one."""
    h, w = img.shape[:2]
    ramp = np.add.outer(np.linspace(0, 0.5, h), np.linspace(0, 0.5, w)).astype(np.float32)
    gain = 1.0 - (1.0 - low) * ramp
    if img.ndim == 3:
        gain = gain[..., None]
    return (img * gain).clip(0, 255).astype(np.uint8)


def _tint(img: Image, paper: tuple[int, int, int]) -> Image:
    return (img.astype(np.float32) * (np.array(paper, np.float32) / 255)).astype(np.uint8)


def _bleed(page: Image, seed: int, dpi: int, contrast: float) -> Image:
    """``page`` with the mirrored, blurred text of another page showing through at ``contrast``."""
    back = cv2.cvtColor(pg.text_page(seed + 100, dpi), cv2.COLOR_RGB2GRAY)[:, ::-1]
    shadow = (255 - cv2.GaussianBlur(back, (0, 0), dpi / 100).astype(np.float32)) * contrast
    return (page.astype(np.float32) - shadow[..., None]).clip(0, 255).astype(np.uint8)


def _specks(page: Image, seed: int, dpi: int, n: int, radius_mm: float) -> Image:
    out = page.copy()
    rng = np.random.default_rng(seed)
    h, w = out.shape[:2]
    for _ in range(n):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.circle(out, c, max(1, round(radius_mm * dpi / 25.4)), (40, 40, 40), -1)
    return out


def _dark_edges(page: Image, px: int) -> Image:
    """A few pixels of scanner border left by the crop along the top and left edges."""
    out = page.copy()
    out[:px] = 35
    out[:, : px + 2] = 20
    return out


def _draw(page: Image, text: str, xy_mm: tuple[float, float], dpi: int, pt: float = 12) -> Image:
    im = PILImage.fromarray(page)
    ImageDraw.Draw(im).text(
        (xy_mm[0] * dpi / 25.4, xy_mm[1] * dpi / 25.4), text, font=pg.font(round(pt / 72 * dpi)), fill=(0, 0, 0)
    )
    return np.asarray(im).copy()


def _misregister(img: Image, dx: float, dy: float) -> Image:
    """A scanner's colour misregistration: red moved ``dx`` px across, blue ``dy`` px down."""
    out = img.copy()
    h, w = img.shape[:2]
    for ch, shift in ((0, (dx, 0.0)), (2, (0.0, dy))):
        m = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
        out[..., ch] = cv2.warpAffine(img[..., ch], m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out


def _signature(page: Image, seed: int, colour: tuple[int, int, int], width_px: int) -> Image:
    """A scribbled ballpoint signature in the lower right of the page."""
    out = page.copy()
    rng = np.random.default_rng(seed)
    h, w = out.shape[:2]
    pts = np.cumsum(rng.normal(0, w / 100, (40, 2)), axis=0) + np.array([w * 0.7, h * 0.8])
    cv2.polylines(out, [pts.astype(np.int32)], False, colour, width_px, cv2.LINE_AA)
    return out


# --- blank or not ------------------------------------------------------------------------------

BLANKS: dict[str, Callable[[], Image]] = {
    "pagegen-0": lambda: pg.blank_page(0),
    "pagegen-1": lambda: pg.blank_page(1),
    "pagegen-2": lambda: pg.blank_page(2),
    "pagegen-3-200dpi": lambda: pg.blank_page(3, 200),
    "noisy-200dpi": lambda: pg.add_noise(pg.blank_page(4, 200), 8, 4),
    "uneven-light": lambda: pg.add_noise(_uneven(pg.blank_page(5), 0.6), 3, 5),
    "strong-bleed-through": lambda: pg.add_noise(_bleed(pg.blank_page(6, noise=False), 6, 300, 0.08), 3, 6),
    "dust-and-hair": lambda: cv2.line(
        _specks(pg.blank_page(7), 7, 300, 12, 0.35), (900, 1400), (1010, 1460), (60, 60, 60), 2, cv2.LINE_AA
    ),
    "crop-residue": lambda: _dark_edges(pg.blank_page(8), 6),
    "tinted-200dpi": lambda: pg.add_noise(_tint(pg.blank_page(9, 200), (246, 236, 205)), 5, 9),
    "dim-scan": lambda: pg.add_noise(pg.darken(pg.blank_page(10), 0.6), 3, 10),
    "bleed-uneven-200dpi": lambda: _uneven(_bleed(pg.blank_page(11, 200), 11, 200, 0.05), 0.7),
}


def _one_line(seed: int, dpi: int, text: str) -> Image:
    return pg.add_noise(pg.one_line_page(seed, dpi, text), 5, seed)


ONE_LINERS: dict[str, Callable[[], Image]] = {
    **{f"{text}-300dpi": (lambda t=text, i=i: _one_line(i, 300, t)) for i, text in enumerate(pg.ONE_LINERS)},
    **{f"{text}-200dpi": (lambda t=text, i=i: _one_line(10 + i, 200, t)) for i, text in enumerate(pg.ONE_LINERS[:3])},
    "page-number-and-line": lambda: _draw(_one_line(20, 300, "以下无正文"), "－３－", (100, 280), 300, 10.5),
    "date-on-noisy-back": lambda: _draw(pg.blank_page(21), "２０２４年５月１日", (130, 250), 300),
    "signature-corner": lambda: _draw(pg.add_noise(pg.blank_page(22, noise=False), 4), "签字：", (170, 275), 300),
    "uneven-light": lambda: _uneven(_one_line(23, 300, "本页以下空白"), 0.6),
    "dim-200dpi": lambda: pg.darken(_one_line(24, 200, "（此页无正文）"), 0.6),
    "small-print-200dpi": lambda: _draw(pg.blank_page(25, 200), "此页无正文", (30, 40), 200, 9),
}


@pytest.mark.parametrize("name", BLANKS)
def test_blank_pages_with_scanner_noise_are_blank(name: str) -> None:
    page = BLANKS[name]()
    assert is_blank(page)
    assert is_blank(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY))


@pytest.mark.parametrize("name", ONE_LINERS)
def test_a_page_with_one_short_line_is_not_blank(name: str) -> None:
    assert not is_blank(ONE_LINERS[name]())


@pytest.mark.parametrize("make", [pg.text_page, pg.table_page, pg.mixed_page], ids=["text", "table", "mixed"])
def test_full_pages_are_not_blank(make: Callable[[int, int], Image]) -> None:
    assert not is_blank(make(1, 150))


def test_a_lone_seal_or_signature_is_not_blank() -> None:
    seal_only = pg.seal(pg.blank_page(30, noise=False), (1200, 1600), 248)
    assert not is_blank(seal_only)
    assert not is_blank(_signature(pg.blank_page(31), 31, (20, 20, 20), 5))


def test_dpi_makes_no_difference_to_the_answer() -> None:
    line = _one_line(40, 200, "本页以下空白")
    assert not is_blank(line, dpi=200)
    assert is_blank(pg.blank_page(40, 200), dpi=200)


# --- page kinds ----------------------------------------------------------------------------------


@cache
def _text(seed: int, dpi: int = 300) -> Image:
    return pg.text_page(seed, dpi)


@cache
def _mixed(seed: int, dpi: int = 300) -> Image:
    return pg.mixed_page(seed, dpi)


def _photo_page(seed: int, colour: bool) -> Image:
    page = pg.text_page(seed, 300, lines=8)
    pg.photo_block(page, (300, 1800, 900, 700), seed)
    if not colour:
        page = cv2.cvtColor(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return page


@pytest.mark.parametrize("seed", [1, 2])
def test_text_and_table_pages_are_bitonal(seed: int) -> None:
    assert classify(_text(seed)) == "bitonal"
    assert classify(pg.table_page(seed)) == "bitonal"
    assert classify(cv2.cvtColor(_text(seed), cv2.COLOR_RGB2GRAY)) == "bitonal"


def test_noisy_tinted_text_page_stays_bitonal() -> None:
    page = pg.add_noise(_tint(_text(1), (245, 228, 195)), 10)
    assert classify(page) == "bitonal"
    assert classify(pg.add_noise(_tint(_text(2), (250, 232, 160)), 6)) == "bitonal"  # yellow form paper
    assert classify(_uneven(pg.add_noise(_tint(pg.table_page(3), (232, 240, 250)), 8), 0.7)) == "bitonal"


def test_colour_misregistration_of_one_pixel_does_not_make_colour() -> None:
    # Red and blue fringes round every stroke, as a scanner whose channels are 1 px apart gives.
    assert classify(pg.add_noise(_misregister(_text(1), 1.0, 1.0), 5)) == "bitonal"
    assert classify(pg.add_noise(_misregister(pg.table_page(1), 1.0, -1.0), 5)) == "bitonal"


def test_black_stamp_and_handwriting_stay_bitonal() -> None:
    page = _signature(_text(2).copy(), 2, (25, 25, 30), 6)
    cv2.circle(page, (1800, 2900), 240, (30, 30, 30), 14)
    assert classify(page) == "bitonal"


def test_mixed_page_with_red_seal_is_colour() -> None:
    assert classify(_mixed(1)) == "color"
    assert classify(_mixed(2, 200), dpi=200) == "color"


def test_red_seal_alone_on_a_text_page_is_colour() -> None:
    page = pg.seal(_text(3).copy(), (1800, 2900), 248)
    assert classify(page) == "color"
    assert classify(pg.add_noise(_tint(page, (248, 240, 220)), 8)) == "color"


def test_blue_ink_signature_is_colour() -> None:
    assert classify(_signature(_text(4), 4, (40, 60, 170), 4)) == "color"


def test_photo_block_makes_the_page_grey_or_colour() -> None:
    assert classify(_photo_page(5, colour=False)) == "gray"
    assert classify(_photo_page(5, colour=True)) in ("gray", "color")
    assert classify(cv2.cvtColor(_photo_page(6, colour=True), cv2.COLOR_RGB2GRAY)) == "gray"


def test_force_colour_makes_every_non_blank_page_colour() -> None:
    assert classify(_text(1), force_color=True) == "color"
    assert classify(pg.one_line_page(1), force_color=True) == "color"
    assert classify(pg.blank_page(1), force_color=True) != "color"
    # A grey file has no colour to keep, but it is still not binarised.
    assert classify(cv2.cvtColor(_text(1), cv2.COLOR_RGB2GRAY), force_color=True) == "gray"


# --- the bitonal threshold -----------------------------------------------------------------------


def _thin_strokes_page() -> Image:
    """1 px rules and 7 pt text: the finest strokes a form carries at 300 dpi."""
    im = PILImage.new("L", pg.page_size(300), 255)
    draw = ImageDraw.Draw(im)
    for i in range(30):
        y = 300 + i * 90
        draw.line([(300, y), (2100, y + i % 3)], fill=0, width=1)
        draw.text((300, y + 12), "根据国家有关规定申请人应当如实提交材料并对材料的真实性负责", font=pg.font(29), fill=0)
    return cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2RGB)


CLEAN_PAGES: dict[str, Callable[[], Image]] = {
    "text": lambda: _text(1),
    "table": lambda: pg.table_page(2),
    "thin-strokes": _thin_strokes_page,
    "text-200dpi": lambda: _text(3, 200),
}
SCANS: dict[str, Callable[[Image], Image]] = {
    "noise": lambda p: pg.add_noise(p, 10),
    "soft-focus": lambda p: pg.add_noise(pg.blur(p, 1.0), 5),
    "uneven-light": lambda p: pg.add_noise(_uneven(p, 0.45), 5),
    "tinted": lambda p: pg.add_noise(_tint(p, (245, 230, 200)), 6),
    "dim": lambda p: pg.add_noise(pg.darken(p, 0.5), 3),
}


@pytest.mark.parametrize("scan", SCANS)
@pytest.mark.parametrize("page", CLEAN_PAGES)
def test_binarize_keeps_every_stroke_and_adds_no_speckle(page: str, scan: str) -> None:
    clean = cv2.cvtColor(CLEAN_PAGES[page](), cv2.COLOR_RGB2GRAY)
    truth = clean < 128
    paper = cv2.erode(clean, np.ones((5, 5), np.uint8)) == 255  # at least 2 px from any ink
    out = binarize(cv2.cvtColor(SCANS[scan](cv2.cvtColor(clean, cv2.COLOR_GRAY2RGB)), cv2.COLOR_RGB2GRAY))
    assert out.shape == clean.shape and out.dtype == np.uint8
    assert set(np.unique(out)) <= {0, 255}
    ink = out == 0
    assert ink[truth].mean() >= 0.95
    assert ink[paper].mean() < 0.005


def test_binarize_leaves_blank_paper_white() -> None:
    out = binarize(cv2.cvtColor(pg.blank_page(3), cv2.COLOR_RGB2GRAY))
    assert (out == 0).mean() < 0.0005


def test_binarize_keeps_wide_black_areas_black_and_white_letters_in_them_white() -> None:
    page = _text(4).copy()
    cv2.rectangle(page, (400, 1500), (900, 1780), (0, 0, 0), -1)  # 42 × 24 mm label with white letters
    cv2.putText(page, "NO 12", (430, 1700), cv2.FONT_HERSHEY_SIMPLEX, 4, (255, 255, 255), 14)
    cv2.rectangle(page, (1200, 1500), (1800, 1740), (0, 0, 0), -1)  # 51 × 20 mm solid bar
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    out = binarize(pg.add_noise(_uneven(gray, 0.7), 5))
    label = np.zeros(gray.shape, bool)
    label[1500:1781, 400:901] = True
    assert (out[label & (gray < 50)] == 0).mean() > 0.99
    assert (out[label & (gray > 200)] == 255).mean() > 0.95
    assert (out[1500:1741, 1200:1801] == 0).mean() > 0.99


def test_a_red_seal_that_ends_up_bitonal_stays_legible() -> None:
    stamp = pg.seal(np.full((700, 700, 3), 255, np.uint8), (350, 350), 248)
    page = _text(5).copy()
    region = np.s_[2400:3100, 1500:2200]
    page[region] = np.minimum(page[region], stamp)
    out = binarize(pg.add_noise(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), 5))[region]
    seal_ink = cv2.cvtColor(stamp, cv2.COLOR_RGB2GRAY) < 200
    # Paper inside the seal, 2 px or more away from any seal or text ink.
    paper = cv2.erode(cv2.cvtColor(page[region], cv2.COLOR_RGB2GRAY), np.ones((5, 5), np.uint8)) == 255
    assert (out[seal_ink] == 0).mean() > 0.95  # ring, star and characters all black
    assert (out[paper] == 255).mean() > 0.99  # and the paper between them white, not a blot
