"""The test page generator gives what it promises: sizes, determinism, and true ground truth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.support import pagegen as g


def _ink_rows(page: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    return np.flatnonzero((gray < 128).any(axis=1))


def test_a4_size_at_300_and_100_dpi() -> None:
    assert g.text_page(0).shape == (3508, 2480, 3)
    assert g.table_page(0, 100).shape == (1169, 827, 3)
    assert g.blank_page(0, 100).dtype == np.uint8


@pytest.mark.parametrize("make", [g.text_page, g.table_page, g.one_line_page, g.blank_page, g.mixed_page])
def test_same_seed_same_page_other_seed_other_page(make) -> None:  # type: ignore[no-untyped-def]
    a, b, c = make(3, 100), make(3, 100), make(4, 100)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_text_page_has_margins_and_many_lines() -> None:
    page = g.text_page(1, 100)
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    ink = np.argwhere(gray < 128)
    margin = 25 / 25.4 * 100
    assert ink[:, 1].min() >= margin - 2 and ink[:, 1].max() <= 827 - margin + 2
    assert ink[:, 0].min() >= margin - 2
    # Rows of text separated by white leading: count the ink bands.
    rows = (gray < 128).any(axis=1).astype(np.int8)
    bands = int((np.diff(rows) == 1).sum())
    assert bands >= 25


def test_text_page_margin_option_puts_ink_near_the_edge() -> None:
    gray = cv2.cvtColor(g.text_page(1, 100, margin_mm=4), cv2.COLOR_RGB2GRAY)
    ink = np.argwhere(gray < 128)
    assert ink[:, 1].min() < 20 and ink[:, 1].max() > 827 - 25


def test_one_line_page_has_one_short_line() -> None:
    rows = _ink_rows(g.one_line_page(5, 100, "本页以下空白"))
    assert 0 < rows.max() - rows.min() < 25


def test_blank_page_is_bright_with_only_specks() -> None:
    gray = cv2.cvtColor(g.blank_page(2, 100), cv2.COLOR_RGB2GRAY)
    assert 235 < gray.mean() < 252
    assert (gray < 128).sum() < 60
    assert np.array_equal(g.blank_page(2, 100, noise=False), np.full_like(gray, 255)[..., None].repeat(3, 2))


def test_seal_is_red_ink_over_the_page() -> None:
    page = g.text_page(2, 100, lines=3)
    before = page.copy()
    g.seal(page, (400, 600), 70)
    changed = np.any(page != before, axis=2)
    ys, xs = np.nonzero(changed)
    assert xs.min() >= 320 and xs.max() <= 480
    assert ys.min() >= 520 and ys.max() <= 680
    r, gch, b = (page[changed].astype(int).T)
    assert np.median(r - gch) > 60 and np.median(r - b) > 60


def test_photo_block_fills_its_box_with_colour() -> None:
    page = g.blank_page(0, 100, noise=False)
    g.photo_block(page, (100, 200, 300, 150), seed=1)
    block = page[200:350, 100:400].astype(int)
    assert block.std() > 20
    assert np.abs(block[..., 0] - block[..., 1]).mean() > 10
    assert (page[:200] == 255).all() and (page[350:] == 255).all()


def test_rotate_page_turns_by_the_exact_angle() -> None:
    page = g.table_page(1, 100)
    turned = g.rotate_page(page, 10.0)
    h, w = page.shape[:2]
    c, s = np.cos(np.radians(10)), np.sin(np.radians(10))
    assert abs(turned.shape[1] - (w * c + h * s)) < 2 and abs(turned.shape[0] - (w * s + h * c)) < 2
    back = g.rotate_page(turned, -10.0)
    top, left = (back.shape[0] - h) // 2, (back.shape[1] - w) // 2
    centre = back[top + 200:top + h - 200, left + 200:left + w - 200].astype(float)
    orig = page[200:h - 200, 200:w - 200].astype(float)
    assert np.corrcoef(centre.ravel(), orig.ravel())[0, 1] > 0.9


def test_scanner_borders_frame_the_untouched_page() -> None:
    page = g.text_page(3, 100)
    framed = g.scanner_borders(page, 7)
    fh, fw = framed.shape[:2]
    assert fh > page.shape[0] and fw > page.shape[1]
    gray = cv2.cvtColor(framed, cv2.COLOR_RGB2GRAY)
    assert gray[0].mean() < 180 and gray[-1].mean() < 180 and gray[:, 0].mean() < 180 and gray[:, -1].mean() < 180
    res = cv2.matchTemplate(framed, page, cv2.TM_SQDIFF)
    assert res.min() == 0


@pytest.mark.parametrize("background", ["wood", "desk", "dark"])
def test_camera_shot_corners_are_where_the_paper_is(background: g.Background) -> None:
    page = g.text_page(4, 100)
    shot, corners = g.camera_shot(page, 9, out_size=(1088, 816), background=background)
    assert shot.shape == (816, 1088, 3) and corners.shape == (4, 2)
    assert (corners >= 0).all() and (corners[:, 0] < 1088).all() and (corners[:, 1] < 816).all()
    # Undoing the perspective with the true corners gives the page back.
    h, w = page.shape[:2]
    dst = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]], np.float32)
    hom = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    back = cv2.warpPerspective(shot, hom, (w, h))
    a = cv2.cvtColor(back, cv2.COLOR_RGB2GRAY).astype(float)
    b = cv2.GaussianBlur(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), (0, 0), 1.5).astype(float)
    assert np.corrcoef(cv2.GaussianBlur(a, (0, 0), 1.5).ravel(), b.ravel())[0, 1] > 0.8
    # And the paper is brighter than the background just outside each edge (except on a light desk).
    if background != "desk":
        centre = corners.mean(axis=0)
        gray = cv2.cvtColor(shot, cv2.COLOR_RGB2GRAY)
        for i in range(4):
            mid = (corners[i] + corners[(i + 1) % 4]) / 2
            unit = (mid - centre) / np.linalg.norm(mid - centre)
            inside, outside = (mid - 6 * unit).round().astype(int), (mid + 6 * unit).round().astype(int)
            assert int(gray[inside[1], inside[0]]) - int(gray[outside[1], outside[0]]) > 60
