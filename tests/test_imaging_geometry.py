"""Page geometry on generated pages whose answer is known: skew, crop, orientation, sheet corners.

Most pages are generated at 150 dpi: the analysis works on a copy shrunk to ~900 px whatever
the input size, so accuracy does not depend on it; crop tests run at 300 dpi, where the
scanner's bands are trimmed at full resolution.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from app.imaging.arrays import halve, to_gray
from app.imaging.deskew import ScanPlan, apply_scan, estimate_skew, plan_scan, straighten_scan
from app.imaging.geometry import plan_page, straighten
from app.imaging.orientation import is_upside_down
from app.imaging.sheet import find_sheet, flatten_illumination, rectify, snap_paper, straighten_shot
from tests.support import pagegen as g

Image = npt.NDArray[np.uint8]
DPI = 150
KINDS: dict[str, Callable[[int], Image]] = {
    "text": lambda s: g.text_page(s, DPI),
    "table": lambda s: g.table_page(s, DPI),
    "mixed": lambda s: g.mixed_page(s, DPI),
}
ANGLES = [0.0, 0.5, -0.5, 1.2, 3.0, -3.0, 7.5, -7.5, 11.3, -12.7, 15.0, -15.0, 20.0, -20.0]


@pytest.fixture(scope="module")
def pages() -> dict[str, Image]:
    return {kind: make(7) for kind, make in KINDS.items()}


def _scan(page: Image, angle: float, seed: int, bed: int = 30) -> Image:
    """A page as a scanner gives it: skewed on a dark bed, with bands, with sensor noise."""
    return g.add_noise(g.scanner_borders(g.rotate_page(page, angle, fill=bed), seed), 4, seed)


# --- deskew ------------------------------------------------------------------------------------

@pytest.mark.parametrize("angle", ANGLES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_skew_is_found_within_0_3_degrees(pages: dict[str, Image], kind: str, angle: float) -> None:
    seed = int(angle * 10) % 17
    bed = (30, 90, 255)[seed % 3]  # a white lid shows no paper edge: the text alone tells
    scan = _scan(pages[kind], angle, seed, bed)
    skew = estimate_skew(to_gray(scan))
    assert skew is not None and abs(skew - angle) <= 0.3
    result = straighten_scan(scan)
    assert abs(result.angle + angle) <= 0.3


def test_straightened_page_lines_up_with_the_original(pages: dict[str, Image]) -> None:
    page = pages["table"]
    result = straighten_scan(_scan(page, 9.0, 3))
    out = to_gray(result.image)
    ref = to_gray(page)
    h, w = min(out.shape[0], ref.shape[0]), min(out.shape[1], ref.shape[1])
    # The table's rules land where they were: the straightened page correlates with the original.
    a = cv2.GaussianBlur(out[:h, :w], (0, 0), 2).astype(float).ravel()
    b = cv2.GaussianBlur(ref[:h, :w], (0, 0), 2).astype(float).ravel()
    assert np.corrcoef(a, b)[0, 1] > 0.9


@pytest.mark.parametrize("seed", range(4))
def test_blank_page_is_never_rotated(seed: int) -> None:
    scan = _scan(g.blank_page(seed, DPI), 0.0, seed)
    assert estimate_skew(to_gray(scan)) is None
    result = straighten_scan(scan)
    assert result.angle == 0.0 and result.upside_down is None


@pytest.mark.parametrize("seed", range(4))
def test_one_short_line_is_never_turned_the_wrong_way(seed: int) -> None:
    # Too short to tell its angle: on a white lid nothing is turned, on a dark bed the paper's
    # edges tell.
    page = g.one_line_page(seed, DPI)
    assert abs(straighten_scan(_scan(page, 0.0, seed, bed=255)).angle) <= 0.3
    assert straighten_scan(_scan(page, 4.0, seed, bed=255)).angle in (0.0, pytest.approx(-4.0, abs=0.3))
    assert straighten_scan(_scan(page, 4.0, seed, bed=30)).angle == pytest.approx(-4.0, abs=0.3)


def test_grey_input_gives_grey_output(pages: dict[str, Image]) -> None:
    gray = to_gray(_scan(pages["text"], 2.0, 1))
    result = straighten_scan(gray)
    assert result.image.ndim == 2 and result.image.dtype == np.uint8
    assert abs(result.angle + 2.0) <= 0.3


# --- crop --------------------------------------------------------------------------------------

def _ink_box(gray: Image) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(gray < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.fixture(scope="module")
def edge_pages() -> list[Image]:
    """300 dpi pages whose content runs close to the paper's edges (4 mm)."""
    return [g.text_page(11, 300, margin_mm=4), g.table_page(12, 300)]


@pytest.mark.parametrize(("angle", "bed"), [(0.0, 20), (0.5, 45), (-3.0, 90), (7.5, 20), (-15.0, 45), (20.0, 20)])
def test_crop_keeps_every_ink_pixel_and_drops_the_bands(edge_pages: list[Image], angle: float, bed: int) -> None:
    for i, page in enumerate(edge_pages):
        result = straighten_scan(_scan(page, angle, i + 3, bed))
        out = to_gray(result.image)
        ph, pw = page.shape[:2]
        # The paper, and only the paper: within a few pixels of its size.
        assert abs(out.shape[0] - ph) <= 4 and abs(out.shape[1] - pw) <= 4
        # No band left: a few pixels in from each edge is paper.
        for line in (out[3], out[-4], out[:, 3], out[:, -4]):
            assert np.median(line) > 230
        # No ink lost: the ink spans what it spanned on the page (a cut would shrink it), and does
        # not reach the edges.
        inner = np.full_like(out, 255)
        inner[3:-3, 3:-3] = out[3:-3, 3:-3]
        x0, y0, x1, y1 = _ink_box(inner)
        px0, py0, px1, py1 = _ink_box(to_gray(page))
        assert abs((x1 - x0) - (px1 - px0)) <= 3 and abs((y1 - y0) - (py1 - py0)) <= 3
        assert min(x0, y0) > 20


def test_crop_reports_where_the_page_was(pages: dict[str, Image]) -> None:
    page = pages["text"]
    framed = g.scanner_borders(page, 5)
    result = straighten_scan(framed)
    x, y, w, h = result.crop
    assert result.angle == 0.0
    assert np.array_equal(framed[y:y + h, x:x + w], result.image)
    assert abs(w - page.shape[1]) <= 2 and abs(h - page.shape[0]) <= 2


def test_white_lid_scan_keeps_the_whole_page() -> None:
    page = g.text_page(13, 300, margin_mm=4)
    result = straighten_scan(g.add_noise(g.rotate_page(page, -6.0, fill=255), 3))
    assert abs(result.angle - 6.0) <= 0.3
    x0, y0, x1, y1 = _ink_box(to_gray(result.image))
    px0, py0, px1, py1 = _ink_box(to_gray(page))
    assert abs((x1 - x0) - (px1 - px0)) <= 3 and abs((y1 - y0) - (py1 - py0)) <= 3


# --- orientation -------------------------------------------------------------------------------

def _no_title(seed: int) -> Image:
    page = g.text_page(seed, DPI)
    page[130:200] = 255  # the title's band at 150 dpi
    return page


ORIENTATION_KINDS: dict[str, Callable[[int], Image]] = {
    **KINDS,
    "short": lambda s: g.text_page(s, DPI, lines=3 + s % 5),
    "no-title": _no_title,
    "one-line": lambda s: g.one_line_page(s, DPI),
    "blank": lambda s: g.blank_page(s, DPI),
}


Answers = dict[tuple[str, bool], list[bool | None]]


@pytest.fixture(scope="module")
def orientation_results() -> Answers:
    """is_upside_down through straighten_scan for 6 seeds of each kind, upright and turned."""
    out: Answers = {}
    for kind, make in ORIENTATION_KINDS.items():
        for seed in range(6):
            page = make(seed)
            for turned in (False, True):
                scan = _scan(page[::-1, ::-1] if turned else page, (0.0, 0.8, -4.0)[seed % 3], seed)
                out.setdefault((kind, turned), []).append(straighten_scan(scan).upside_down)
    return out


def test_upright_pages_are_never_called_upside_down(orientation_results: Answers) -> None:
    for kind in ORIENTATION_KINDS:
        assert True not in orientation_results[(kind, False)], kind


def test_turned_pages_are_never_called_upright(orientation_results: Answers) -> None:
    for kind in ORIENTATION_KINDS:
        assert False not in orientation_results[(kind, True)], kind


def test_turned_text_pages_are_mostly_recognised(orientation_results: Answers) -> None:
    found = [r for kind in ("text", "table", "mixed", "short", "no-title") for r in orientation_results[(kind, True)]]
    assert sum(r is True for r in found) >= 0.8 * len(found)
    # Nothing to go by: no answer.
    assert set(orientation_results[("blank", True)]) == {None}
    assert set(orientation_results[("one-line", True)]) == {None}


def test_an_upside_down_scan_comes_out_upright(pages: dict[str, Image]) -> None:
    page = pages["text"]
    result = straighten_scan(g.scanner_borders(page[::-1, ::-1], 2))
    assert result.upside_down is True
    out = result.image
    assert abs(out.shape[0] - page.shape[0]) <= 2 and abs(out.shape[1] - page.shape[1]) <= 2
    h, w = min(out.shape[0], page.shape[0]), min(out.shape[1], page.shape[1])
    assert np.abs(out[:h, :w].astype(int) - page[:h, :w]).mean() < 3


def test_a_centred_seal_at_the_foot_of_a_form_is_not_a_title() -> None:
    page = g.table_page(4, DPI)
    page[100:220] = 255  # no title
    g.seal(page, (page.shape[1] // 2, page.shape[0] - 250), 120)
    assert is_upside_down(to_gray(page)) is not True


# --- camera shots ------------------------------------------------------------------------------

SHOTS = [(0, "wood"), (1, "desk"), (2, "dark"), (3, "wood"), (4, "desk"), (5, "dark"), (6, "desk"), (7, "wood"),
         (8, "dark")]


@pytest.mark.parametrize(("seed", "background"), SHOTS)
def test_sheet_corners_within_1_percent_of_the_diagonal(seed: int, background: g.Background) -> None:
    page = list(KINDS.values())[seed % 3](seed)
    shot, truth = g.camera_shot(page, seed, background=background)
    corners = find_sheet(shot)
    assert corners is not None
    diagonal = np.linalg.norm(truth[2] - truth[0])
    assert np.linalg.norm(corners - truth, axis=1).max() <= 0.01 * diagonal


@pytest.mark.parametrize("background", ["wood", "desk", "dark"])
def test_a_shot_of_the_bare_background_finds_no_sheet(background: g.Background) -> None:
    shot = g.empty_shot(4, background=background)
    result = straighten_shot(shot)
    assert not result.found and result.corners is None and result.image is shot


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_page_filling_the_frame_is_kept_whole(kind: str) -> None:
    shot = g.filling_shot(KINDS[kind](3), 3)
    result = straighten_shot(shot)
    assert not result.found and result.image is shot


def test_a_sheet_cut_by_the_frame_is_not_cropped() -> None:
    shot, truth = g.camera_shot(g.text_page(2, DPI), 2, background="dark")
    cut = np.ascontiguousarray(shot[:, int(truth[:, 0].min()) + 100:])
    assert find_sheet(cut) is None


def test_rectified_shot_is_the_page_at_a4_size(pages: dict[str, Image]) -> None:
    page = pages["mixed"]
    shot, _ = g.camera_shot(page, 11, background="wood")
    result = straighten_shot(shot, dpi=DPI)
    assert result.found and result.image.shape == page.shape
    a = cv2.GaussianBlur(to_gray(result.image), (0, 0), 2).astype(float).ravel()
    b = cv2.GaussianBlur(to_gray(page), (0, 0), 2).astype(float).ravel()
    assert np.corrcoef(a, b)[0, 1] > 0.9


def test_rectify_snaps_to_standard_papers_and_keeps_odd_ones() -> None:
    img = np.full((1200, 1600, 3), 200, np.uint8)

    def quad(w: float, h: float) -> npt.NDArray[np.float64]:
        return np.array([[100, 100], [100 + w, 104], [100 + w, 104 + h], [100, 100 + h]], np.float64)

    assert rectify(img, quad(856, 540), dpi=300).shape[:2] == (638, 1011)  # an ID card, lying
    assert rectify(img, quad(700, 990), dpi=100).shape[:2] == (1169, 827)  # A4
    assert rectify(img, quad(700, 990), dpi=100, paper="A5").shape[:2] == (827, 583)
    assert rectify(img, quad(800, 1000), dpi=300).shape[:2] == (1000, 800)  # 5:4, nothing standard
    assert snap_paper(11 / 8.5) == "Letter" and snap_paper(1.5) is None


def test_flatten_makes_paper_white_and_keeps_ink_colour() -> None:
    page = g.mixed_page(5, DPI)
    h, w = page.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    light = 0.62 + 0.3 * (xx / w) + 0.05 * np.sin(yy / h * 3)
    tint = np.array([1.0, 0.96, 0.88])  # warm lamp
    dim = (page * light[..., None] * tint).astype(np.uint8)
    flat = flatten_illumination(dim)
    paper = cv2.erode((page.min(axis=2) == 255).astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    assert np.percentile(to_gray(flat)[paper], 5) > 235
    photo = (page.std(axis=2) > 25) & (page.min(axis=2) < 200) & ~paper
    assert np.abs(flat[photo].mean(axis=0) - page[photo].mean(axis=0)).max() < 12
    red = (page[..., 0].astype(int) - page[..., 1] > 100)
    assert (flat[red][:, 0].astype(int) - flat[red][:, 1]).mean() > 90


# --- one entry point ---------------------------------------------------------------------------

def test_auto_tells_a_photo_from_a_scan(pages: dict[str, Image]) -> None:
    shot, _ = g.camera_shot(pages["text"], 1, background="desk")
    photo = straighten(shot, "auto", dpi=DPI)
    assert photo.source == "camera" and photo.found and photo.corners is not None
    assert photo.image.shape == pages["text"].shape
    scan = straighten(_scan(pages["text"], 2.5, 1), "auto", dpi=DPI)
    assert scan.source == "scanner" and scan.found and abs(scan.angle + 2.5) <= 0.3
    plain = straighten(pages["table"], "auto")
    assert plain.source == "scanner" and plain.image.shape == pages["table"].shape


def test_camera_source_without_a_sheet_keeps_the_photo() -> None:
    shot = g.empty_shot(2, background="dark")
    result = straighten(shot, "camera")
    assert not result.found and result.image is shot and result.corners is None


def test_a_turned_photo_comes_out_upright(pages: dict[str, Image]) -> None:
    shot, _ = g.camera_shot(pages["text"][::-1, ::-1], 6, background="wood")
    result = straighten(shot, "camera", dpi=DPI)
    assert result.found and result.upside_down is True
    a = cv2.GaussianBlur(to_gray(result.image), (0, 0), 2).astype(float).ravel()
    b = cv2.GaussianBlur(to_gray(pages["text"]), (0, 0), 2).astype(float).ravel()
    assert np.corrcoef(a, b)[0, 1] > 0.9


# --- the pixels of a planned page, made as each use needs them -----------------------------------

@pytest.fixture(scope="module")
def planned() -> tuple[Image, ScanPlan]:
    scan = _scan(g.mixed_page(3, 300), -2.3, 3)
    return scan, plan_scan(to_gray(scan))


def test_grey_and_colour_warps_agree(planned: tuple[Image, ScanPlan]) -> None:
    scan, plan = planned
    gray = apply_scan(to_gray(scan), plan)
    rgb = apply_scan(scan, plan)
    assert gray.shape == rgb.shape[:2]
    assert np.abs(gray.astype(int) - to_gray(rgb)).max() <= 2


def test_a_window_is_that_part_of_the_whole_page(planned: tuple[Image, ScanPlan]) -> None:
    scan, plan = planned
    gray = to_gray(scan)
    whole = apply_scan(gray, plan)
    for x, y, w, h in ((0, 0, 120, 90), (900, 1400, 118, 118), (whole.shape[1] - 50, whole.shape[0] - 70, 50, 70)):
        part = apply_scan(gray, plan, window=(x, y, w, h))
        # The same warp, to OpenCV's rounding of its sample positions (1/32 px).
        diff = np.abs(part.astype(int) - whole[y:y + h, x:x + w])
        assert diff.max() <= 8 and (diff > 0).mean() < 0.01


def test_a_page_made_small_matches_the_page_made_large_and_resized(planned: tuple[Image, ScanPlan]) -> None:
    scan, plan = planned
    whole = apply_scan(scan, plan)
    w, h = plan.size
    size = (round(w * 2 / 3), round(h * 2 / 3))
    direct = apply_scan(scan, plan, size).astype(float)
    resized = cv2.resize(whole, size, interpolation=cv2.INTER_AREA).astype(float)
    blur = (0, 0)
    assert np.abs(cv2.GaussianBlur(direct, blur, 1.5) - cv2.GaussianBlur(resized, blur, 1.5)).mean() < 2.0
    shrunk = apply_scan(halve(scan, 2), plan, (w // 4, h // 4), 4).astype(float)
    quarter = cv2.resize(whole, (w // 4, h // 4), interpolation=cv2.INTER_AREA).astype(float)
    assert np.abs(shrunk - quarter).mean() < 3.0


def test_a_scan_with_a_photo_on_it_is_no_camera_shot() -> None:
    """A photo printed on a scanned page darkens part of the sheet; that is not a room's light."""
    scan = g.add_noise(g.scanner_borders(g.rotate_page(g.mixed_page(21, 300), 2.2, fill=90), 21), 3, 21)
    page = plan_page(scan)
    assert page.source == "scanner" and page.angle == pytest.approx(-2.2, abs=0.3)
