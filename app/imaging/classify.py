"""How a page is stored (bitonal, grey or colour), and the adaptive threshold for bitonal pages.

:func:`classify` works on a ~75 dpi copy of the page:

* colour: after a white balance on the paper (tinted paper becomes white) and a 2×2 box
  (8×8 px at 300 dpi, where a scanner's colour fringes round black strokes mostly cancel), a
  pixel is coloured when its chroma (max − min channel) is at least ``COLOR_CHROMA`` and at
  least ``COLOR_SATURATION`` of its brightness, and its colour is consistent: fringes that
  survive come in complementary pairs (orange above a stroke, azure below), so averaged over
  ~2 mm their colour vector cancels while real ink keeps ``COLOR_CONSISTENCY`` of its chroma.
  ``COLOR_MIN_MM2`` of such colour — a seal, a blue-ink signature — make the page "color".
* continuous tone: darkness below a coarse paper estimate (wider than a photo) in the
  mid-tone band, where the neighbourhood is smooth (text strokes always sit next to paper
  and ink, a photo's mid-tones do not); ``PHOTO_MIN_MM2`` of it make the page "gray".

Everything else (text, tables, black stamps and handwriting) is "bitonal".
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from app.imaging.arrays import Image, to_gray, u8
from app.imaging.blank import ANALYSIS_DPI, census, small_gray, source_px_per_mm

Kind = Literal["bitonal", "gray", "color"]

#: Chroma (0–255, after white balance) from which a pixel is coloured; scanner colour noise
#: stays far under it once averaged down to 75 dpi.
COLOR_CHROMA = 45
#: …and chroma as a share of the pixel's brightness: paper tint and yellowed paper stay under it.
COLOR_SATURATION = 0.28
#: Share of its averaged chroma a pixel's averaged colour vector keeps when the colour is real.
COLOR_CONSISTENCY = 0.7
#: Coloured area that makes a page "color" (a 42 mm seal is ~300 mm², a short blue ballpoint
#: signature 25–70 mm², a scanner's 1 px colour misregistration < 5 mm²).
COLOR_MIN_MM2 = 15.0
#: Mid-tone band (darkness as a share of the paper level, 0–255) that bitonal storage would lose.
MID_LO, MID_HI = 55, 205
#: Largest grey-level span within ~1.5 mm for a mid-tone to count as continuous tone.
TONE_SPAN = 70
#: Continuous-tone area that makes a page "gray" (a 2 cm × 2 cm photo).
PHOTO_MIN_MM2 = 400.0
#: The paper estimate for mid-tones ignores anything narrower than this (photos included).
COARSE_MM = 50.0

#: binarize: ink is darker than this share of the local paper level…
INK_RATIO = 0.72
#: …or darker than this share of the coarse paper level (keeps black areas up to COARSE_MM black).
SOLID_RATIO = 0.45
#: binarize's paper estimate ignores strokes and solid areas narrower than this.
BINARIZE_BG_MM = 8.0

_CONSISTENT_LUT = np.minimum(np.arange(256) * COLOR_CONSISTENCY, 255).astype(np.uint8)


def _paper_level(channel: Image) -> int:
    """The paper's level in one channel: the 90th percentile (most of a page is paper)."""
    sample = channel[::4, ::4].ravel()
    k = int(0.9 * (sample.size - 1))
    return int(np.partition(sample, k)[k])


def _color_area_mm2(rgb: Image, px_per_mm: float) -> float:
    """Area of clearly and consistently coloured pixels, in mm², on a ~75 dpi RGB copy."""
    # White balance on the paper: tinted paper becomes white, not "colour".
    levels = [max(_paper_level(np.ascontiguousarray(rgb[:, :, c])), 64) for c in range(3)]
    lut = np.minimum(np.arange(256)[:, None] * (255.0 / np.array(levels)), 255).astype(np.uint8)
    r, g, b = cv2.split(cv2.blur(cv2.LUT(rgb, lut.reshape(256, 1, 3)), (2, 2)))
    chroma = cv2.max(cv2.max(cv2.absdiff(r, g), cv2.absdiff(g, b)), cv2.absdiff(r, b))
    hi = cv2.max(cv2.max(r, g), b)
    need = cv2.LUT(hi, np.maximum(np.arange(256) * COLOR_SATURATION, COLOR_CHROMA).astype(np.uint8))
    colored = cv2.compare(chroma, need, cv2.CMP_GE)
    if cv2.countNonZero(colored) < COLOR_MIN_MM2 * px_per_mm * px_per_mm:
        return 0.0
    # Fringes round black strokes come in complementary pairs (orange above, azure below…):
    # averaged over ~2 mm the colour *vector* cancels while its magnitude does not. Real ink
    # keeps its hue, so its averaged vector stays close to its averaged magnitude.
    k = (5, 5)
    rg = cv2.blur(cv2.subtract(r, g, dtype=cv2.CV_16S), k)
    gb = cv2.blur(cv2.subtract(g, b, dtype=cv2.CV_16S), k)
    vector = cv2.max(cv2.max(cv2.convertScaleAbs(rg), cv2.convertScaleAbs(gb)), cv2.convertScaleAbs(rg + gb))
    magnitude = cv2.blur(chroma, k)
    consistent = cv2.compare(vector, cv2.LUT(magnitude, _CONSISTENT_LUT), cv2.CMP_GE)
    return cv2.countNonZero(cv2.bitwise_and(colored, consistent)) / (px_per_mm * px_per_mm)


def _coarse_paper(gray: Image, px_per_mm: float) -> Image:
    """The paper level following only slow changes of light: dark areas up to ``COARSE_MM``
    wide (photos, black blocks) do not pull it down. Made on a 4× smaller copy, where a max
    filter that wide is cheap."""
    tiny = cv2.resize(gray, (max(1, gray.shape[1] // 4), max(1, gray.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    k = max(3, round(COARSE_MM * px_per_mm / 4) | 1)
    paper = cv2.blur(cv2.dilate(tiny, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k, k))
    return u8(cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR))


def _photo_area_mm2(gray: Image, px_per_mm: float) -> float:
    """Area of continuous-tone regions, in mm², on a ~75 dpi grey copy."""
    ratio = cv2.divide(gray, _coarse_paper(gray, px_per_mm), scale=255)
    mid = cv2.inRange(cv2.bitwise_not(ratio), MID_LO, MID_HI)
    k_span = max(3, round(1.5 * px_per_mm) | 1)
    box = np.ones((k_span, k_span), np.uint8)
    span = cv2.subtract(cv2.dilate(gray, box), cv2.erode(gray, box))
    smooth = cv2.threshold(span, TONE_SPAN - 1, 255, cv2.THRESH_BINARY_INV)[1]
    photo = cv2.morphologyEx(cv2.bitwise_and(mid, smooth), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return cv2.countNonZero(photo) / (px_per_mm * px_per_mm)


def analysis_halvings(px_per_mm: float, floor_dpi: float = ANALYSIS_DPI) -> int:
    """How many 2× halvings take a page of ``px_per_mm`` down towards ``floor_dpi``, not below it."""
    n = 0
    while px_per_mm / 2 >= floor_dpi / 25.4 * 0.99:
        px_per_mm /= 2
        n += 1
    return n


def _halve(img: Image, px_per_mm: float, floor_dpi: float) -> tuple[Image, float]:
    """``img`` halved (area average, fast in OpenCV) while it stays at or above ``floor_dpi``."""
    for _ in range(analysis_halvings(px_per_mm, floor_dpi)):
        if min(img.shape[:2]) < 8:
            break
        img = u8(cv2.resize(img, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
        px_per_mm /= 2
    return img, px_per_mm


def classify(img: Image, *, force_color: bool = False, dpi: float | None = None) -> Kind:
    """How to store a straightened page: "bitonal" (text only), "gray" (photos) or "color".

    Grey input is never "color". With ``force_color`` (a unit's setting for materials that
    need colour) no page but a blank one is made bitonal: an RGB page is "color", a grey one
    (a file without colour, or a colour scan of neutral paper) "gray". ``dpi`` makes the physical thresholds
    exact; without it the page is taken to be A4.
    """
    px_per_mm = source_px_per_mm(img, dpi)
    if img.ndim == 2:
        gray, small_px_per_mm = small_gray(img, px_per_mm)
        if force_color:
            return "bitonal" if census(gray, small_px_per_mm).blank else "gray"
        return _tone(gray, small_px_per_mm)
    rgb, small_px_per_mm = _halve(img, px_per_mm, ANALYSIS_DPI)
    return classify_shrunk(rgb, small_px_per_mm, force_color=force_color)


def classify_shrunk(rgb: Image, px_per_mm: float, *, force_color: bool = False) -> Kind:
    """:func:`classify` of an RGB page from its copy shrunk to the analysis resolution (as
    :func:`analysis_halvings` tells), whose pixels per millimetre are ``px_per_mm``."""
    gray = to_gray(rgb)
    if force_color:
        return "bitonal" if census(gray, px_per_mm).blank else "color"
    if _color_area_mm2(rgb, px_per_mm) >= COLOR_MIN_MM2:
        return "color"
    return _tone(gray, px_per_mm)


def _tone(gray: Image, px_per_mm: float) -> Kind:
    """Whether a shrunk grey page holds a photo's worth of continuous tone ("gray") or not."""
    return "gray" if _photo_area_mm2(gray, px_per_mm) >= PHOTO_MIN_MM2 else "bitonal"


def binarize(gray: Image, *, dpi: float | None = None) -> Image:
    """Bitonal copy of a grey page (0 = ink, 255 = paper), at full resolution.

    A pixel is ink when it is darker than ``INK_RATIO`` of the local paper level (estimated on
    a ~75 dpi copy with a grey dilation wider than any stroke, so uneven light and tinted
    paper do not turn black) or darker than ``SOLID_RATIO`` of a coarse paper level that
    follows only slow changes of light (so a black area wider than the local estimate stays
    black). The threshold map is computed small and
    scaled up, so the full-resolution work is one resize and one comparison.
    """
    return u8(cv2.bitwise_not(ink_mask(gray, dpi=dpi)))


def ink_mask(gray: Image, *, dpi: float | None = None, small: tuple[Image, float] | None = None) -> Image:
    """The ink of :func:`binarize` as a mask (255 = ink, 0 = paper), the form the G4 encoder
    takes. ``small`` is ``small_gray(gray, …)`` (and its pixels per mm) when the caller has it."""
    if gray.ndim != 2:
        raise ValueError("binarize and ink_mask take a grey image")
    small_img, px_per_mm = small_gray(gray, source_px_per_mm(gray, dpi)) if small is None else small
    k = max(3, round(BINARIZE_BG_MM * px_per_mm) | 1)
    paper = cv2.blur(cv2.dilate(small_img, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k, k))
    solid = _coarse_paper(small_img, px_per_mm) * np.float32(SOLID_RATIO)
    thr_small = np.maximum(paper * np.float32(INK_RATIO), solid).astype(np.uint8)
    thr = u8(cv2.resize(thr_small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR))
    # Compared in place: a page-sized buffer less to allocate (and fault in) per page.
    return u8(cv2.compare(gray, thr, cv2.CMP_LT, dst=thr))
