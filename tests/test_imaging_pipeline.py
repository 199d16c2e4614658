"""The page pipeline end to end on generated pages: what comes out is straight, judged and small."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image as PILImage

from app.core.errors import UserError
from app.imaging.decode import RawPage, decode_bytes
from app.imaging.pipeline import PipelineOptions, process_batch, process_page
from tests.support import pagegen as g


def raw(pixels: np.ndarray, dpi: float | None = 300.0, index: int = 0) -> RawPage:
    a = np.ascontiguousarray(pixels)
    a.setflags(write=False)
    return RawPage(a, dpi, index)


@pytest.fixture(scope="module")
def scanned_text() -> np.ndarray:
    return g.scanner_borders(g.add_noise(g.rotate_page(g.text_page(5), 4.0), 3, 5), 5)


def _stored(data: bytes) -> PILImage.Image:
    img = PILImage.open(io.BytesIO(data))
    img.load()
    return img


def test_a_skewed_scanned_text_page_comes_out_straight_bitonal_g4(scanned_text: np.ndarray) -> None:
    page = process_page(raw(scanned_text), PipelineOptions(source="scanner"))
    assert page.kind == "bitonal" and page.media_type == "image/tiff"
    assert page.angle == pytest.approx(-4.0, abs=0.3)
    assert not page.blank and page.warnings == ()
    stored = _stored(page.data)
    assert stored.info["compression"] == "group4"
    assert stored.size == (page.width, page.height) and stored.info["dpi"] == pytest.approx((300, 300))
    assert len(page.data) < 120_000  # a text page stays small enough for a township uplink


def test_a_page_with_a_red_seal_and_photo_is_a_colour_jpeg_at_200_dpi() -> None:
    page = process_page(raw(g.mixed_page(2)), PipelineOptions(source="scanner"))
    assert page.kind == "color" and page.media_type == "image/jpeg"
    stored = _stored(page.data)
    assert stored.mode == "RGB" and stored.size == (page.width, page.height)
    assert page.dpi == 200 and abs(page.width - 1654) <= 2  # A4 width at 200 dpi


def test_a_grey_photo_page_stays_grey() -> None:
    grey = np.asarray(PILImage.fromarray(g.mixed_page(4)).convert("L"))
    page = process_page(raw(grey))
    assert page.kind == "gray" and _stored(page.data).mode == "L"


def test_force_colour_keeps_a_text_page_in_colour() -> None:
    text = g.text_page(6)
    assert process_page(raw(text)).kind == "bitonal"
    assert process_page(raw(text), PipelineOptions(force_color=True)).kind == "color"


def test_blank_backs_are_blank_and_stored_small() -> None:
    page = process_page(raw(g.scanner_borders(g.blank_page(3), 3)), PipelineOptions(source="scanner"))
    assert page.blank and page.kind == "bitonal" and page.warnings == ()
    assert len(page.data) < 10_000


def test_a_blurred_page_is_flagged_and_still_encoded() -> None:
    page = process_page(raw(g.blur(g.text_page(7), 3.0)))
    assert [w.code for w in page.warnings] == ["blurred"]
    assert page.warnings[0].message(3) == "第3页模糊，请重新扫描"
    assert page.data


def test_a_blurred_colour_page_is_flagged_from_its_sharpness_tiles() -> None:
    """A colour page is judged without being made in grey at full resolution: the sharpness
    tiles are warped alone, and must see the blur the whole page would show."""
    scan = g.add_noise(g.scanner_borders(g.rotate_page(g.blur(g.mixed_page(7), 3.0), 1.5), 7), 3, 7)
    page = process_page(raw(scan), PipelineOptions(source="scanner"))
    assert page.kind == "color" and page.warning_codes == ("blurred",)
    sharp = g.add_noise(g.scanner_borders(g.rotate_page(g.mixed_page(7), 1.5), 7), 3, 7)
    assert process_page(raw(sharp), PipelineOptions(source="scanner")).warning_codes == ()


def test_a_camera_shot_is_rectified_to_a4_at_the_photos_resolution() -> None:
    shot, _corners = g.camera_shot(g.text_page(8), seed=8)
    page = process_page(raw(shot, dpi=72.0))  # phones write 72 dpi without meaning it
    assert page.source == "camera" and page.kind == "bitonal"
    assert 100 <= page.dpi <= 300
    assert page.height / page.width == pytest.approx(297 / 210, rel=0.01)


def test_a_photo_without_a_sheet_is_kept_whole_and_flagged() -> None:
    shot = g.empty_shot(seed=2)
    page = process_page(raw(shot), PipelineOptions(source="camera"))
    assert "sheet_not_found" in [w.code for w in page.warnings]
    assert (page.width, page.height) in ((shot.shape[1], shot.shape[0]),
                                         # a grey or colour page over 200 dpi is stored at 200
                                         (round(shot.shape[1] * 200 / page.dpi), round(shot.shape[0] * 200 / page.dpi)))


def test_without_a_stated_resolution_the_page_is_taken_as_a4() -> None:
    text = g.text_page(9, dpi=200)
    page = process_page(raw(text, dpi=None))
    assert page.dpi == pytest.approx(200, rel=0.01)
    assert _stored(page.data).info["dpi"] == pytest.approx((page.dpi, page.dpi), abs=0.5)


def test_a_batch_comes_back_in_order_with_few_pages_in_flight() -> None:
    kinds = ["text", "mixed", "blank"] * 5
    made = {"text": g.text_page(1, dpi=150), "mixed": g.mixed_page(1, dpi=150), "blank": g.blank_page(1, dpi=150)}
    lock = threading.Lock()
    pulled = 0
    lead = 0

    def jobs() -> Iterator[tuple[RawPage, PipelineOptions]]:
        nonlocal pulled
        for i, kind in enumerate(kinds):
            with lock:
                pulled += 1
            yield raw(made[kind], 150.0, i), PipelineOptions()

    out = []
    for page in process_batch(jobs(), workers=2):
        with lock:
            lead = max(lead, pulled - len(out))
        out.append(page)
    assert [p.kind if not p.blank else "blank" for p in out] == ["bitonal", "color", "blank"] * 5
    assert lead <= 2 * 2  # never more than 2 × workers pages decoded ahead of the consumer


def test_a_corrupt_page_in_a_batch_stops_it_after_the_pages_before() -> None:
    good = io.BytesIO()
    PILImage.fromarray(g.text_page(2, dpi=150)).save(good, "PNG", dpi=(150, 150))

    def jobs() -> Iterator[tuple[RawPage, PipelineOptions]]:
        yield from ((p, PipelineOptions()) for p in decode_bytes(good.getvalue(), "第1页.png"))
        yield from ((p, PipelineOptions()) for p in decode_bytes(good.getvalue()[:5000], "第2页.png"))

    seen = []
    with pytest.raises(UserError) as refused:
        for page in process_batch(jobs(), workers=2):
            seen.append(page)
    assert len(seen) == 1
    assert "第2页.png" in refused.value.message


@pytest.mark.parametrize(("seed", "angle"), [(11, -2.6), (14, 2.9), (15, 1.9)])
def test_a_skewed_page_under_a_white_lid_leaves_no_band_wedges(seed: int, angle: float) -> None:
    """A white lid hides the sheet's edges, so the crop keeps the lid; the scanner's dark bands
    beside it, turned with the page, once stayed as wedges: a text page became a 400 KB grey
    JPEG flagged «内容不完整»."""
    make = g.table_page if seed == 15 else g.text_page
    scan = g.add_noise(g.scanner_borders(g.rotate_page(make(seed), angle, fill=255), seed), 3, seed)
    page = process_page(raw(scan), PipelineOptions(source="scanner"))
    assert page.kind == "bitonal" and page.warnings == ()
    ink = np.asarray(_stored(page.data).convert("L")) < 128
    edge = 40  # 3.4 mm: forms keep wider margins than this
    assert not ink[:edge].any() and not ink[-edge:].any() and not ink[:, :edge].any() and not ink[:, -edge:].any()
