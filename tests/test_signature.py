"""Signatures: the stored form, the binding to a document, refusing trivial ones, the PNG, the simulated pad."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from app.core.errors import UserError
from app.core.signature import (
    NO_SIGNATURE,
    TOO_SHORT,
    CaptureDevice,
    Point,
    SignatureRecord,
    Strokes,
    check_signature,
    decode,
    encode,
    sign,
    strokes_from,
    verify,
)
from app.devices.errors import DeviceBusy, DeviceError, DeviceMissing, DeviceTimeout
from app.devices.signature_pad import (
    SIMULATED_NAME,
    SimulatedSignaturePad,
    discover_signature_pads,
    open_signature_pad,
    sample_signature,
)
from app.documents.signature_png import pen_width_mm, render_png

UPM = 100_000  # 0.01 mm units
DOC = hashlib.sha256(b"application form").hexdigest()
OTHER_DOC = hashlib.sha256(b"another form").hexdigest()
SIGNED_AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def polyline(points_mm: list[tuple[float, float]], *, t0: int = 0, step_ms: int = 20,
             pressure: float | None = 0.5) -> tuple[Point, ...]:
    return tuple(Point(round(x * 100), round(y * 100), t0 + i * step_ms, pressure)
                 for i, (x, y) in enumerate(points_mm))


def zigzag(width_mm: float = 40, height_mm: float = 12, n: int = 21) -> Strokes:
    """A plausible handwritten scribble: n points zigzagging over width × height, 20 ms apart."""
    pts = [(width_mm * i / (n - 1), height_mm * (i % 2)) for i in range(n)]
    return Strokes((polyline(pts),), UPM, CaptureDevice("test"))


# The stored form

points = st.builds(Point, st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1),
                   st.just(0), st.one_of(st.none(), st.floats(0, 1)))


@st.composite
def any_strokes(draw: st.DrawFn) -> Strokes:
    raw = draw(st.lists(st.lists(points, min_size=1, max_size=8), max_size=5))
    gaps = iter(draw(st.lists(st.integers(0, 5000), min_size=sum(map(len, raw)), max_size=sum(map(len, raw)))))
    t, strokes = 0, []
    for s in raw:
        stroke = []
        for p in s:
            t = t + next(gaps) if stroke or strokes else 0
            stroke.append(replace(p, t=t))
        strokes.append(tuple(stroke))
    device = CaptureDevice(draw(st.text(max_size=40)), draw(st.integers(0, 0xFFFF)), draw(st.integers(0, 0xFFFF)))
    return Strokes(tuple(strokes), draw(st.integers(1, 2**32 - 1)), device)


@given(any_strokes())
def test_encode_decode_round_trip_is_exact(strokes: Strokes) -> None:
    data = encode(strokes)
    assert decode(data) == strokes
    assert encode(decode(data)) == data


def test_stored_form_has_a_versioned_header_and_omits_absent_pressure() -> None:
    with_pressure = zigzag()
    data = encode(with_pressure)
    assert data[:6] == b"CKSG\x01\x00"
    assert data[6] == 0x0F  # x, y, time and pressure
    without = Strokes(tuple(tuple(replace(p, pressure=None) for p in s) for s in with_pressure), UPM)
    assert encode(without)[6] == 0x07
    # 21 points: 14 bytes each with pressure, 12 without.
    assert len(data) - len(encode(without)) == 21 * 2 + len("test") - len("unknown")


def test_mixed_pressure_survives_the_round_trip() -> None:
    strokes = Strokes((polyline([(0, 0), (10, 0)], pressure=None), polyline([(0, 5), (10, 5)], t0=100)), UPM)
    back = decode(encode(strokes))
    assert [p.pressure for p in back.points()] == [None, None, 0.5, 0.5]


@pytest.mark.parametrize("mangle", [
    lambda d: d[:-1],                 # truncated
    lambda d: d + b"\0",              # trailing bytes
    lambda d: b"XXXX" + d[4:],        # not our format
    lambda d: d[:4] + b"\x02" + d[5:],  # a future major version
])
def test_damaged_data_is_a_user_error(mangle: object) -> None:
    with pytest.raises(UserError, match="签名数据已损坏"):
        decode(mangle(encode(zigzag())))  # type: ignore[operator]


def test_points_must_not_go_back_in_time() -> None:
    with pytest.raises(ValueError, match="go back"):
        Strokes((polyline([(0, 0), (1, 1)], t0=0), polyline([(0, 0), (1, 1)], t0=0)), UPM)
    with pytest.raises(ValueError, match="t = 0"):
        Strokes((polyline([(0, 0), (1, 1)], t0=5),), UPM)


def test_strokes_from_a_device_clock_count_from_the_first_point() -> None:
    strokes = strokes_from([[(0, 0, 5000, 0.5), (10, 0, 5010, 0.6)], [(0, 9, 5100, None)]], UPM, CaptureDevice("x"))
    assert [p.t for p in strokes.points()] == [0, 10, 100]


# Refusing empty and trivial signatures

def test_no_strokes_is_refused() -> None:
    with pytest.raises(UserError) as err:
        check_signature(Strokes((), UPM))
    assert str(err.value) == NO_SIGNATURE == "请在签名区签名"


@pytest.mark.parametrize(("strokes", "why"), [
    (Strokes((polyline([(5, 5)]),), UPM), "a dot"),
    (Strokes((polyline([(0, 0), (1, 1), (0, 2), (1, 3)] * 5),), UPM), "a scribble inside 1 × 3 mm"),
    (zigzag(8, 4), "inside 8 × 4 mm"),
    (zigzag(40, 3), "a flat line 3 mm high"),
    (Strokes((polyline([(0, 0), (30, 10)] * 3, step_ms=50),), UPM), "six points"),
    (Strokes((polyline([(i * 10 / 11, i * 5 / 11) for i in range(12)]),), UPM), "a tick: 11 mm of ink"),
    (Strokes((polyline([(40 * i / 20, 12 * (i % 2)) for i in range(21)], step_ms=5),), UPM), "a tenth of a second"),
])
def test_trivial_signatures_are_refused(strokes: Strokes, why: str) -> None:
    # Each case falls short of one threshold only, so each threshold is tested.
    with pytest.raises(UserError) as err:
        check_signature(strokes)
    assert str(err.value) == TOO_SHORT == "签名过短，请重新签名", why


def test_a_normal_signature_is_accepted() -> None:
    check_signature(zigzag())
    check_signature(sample_signature())


# Binding to the document

def test_record_verifies_against_its_document_only() -> None:
    record = sign(sample_signature(), DOC, "申请人", SIGNED_AT)
    assert verify(record, DOC)
    assert verify(record, DOC.upper())
    assert not verify(record, OTHER_DOC)
    assert record.decoded() == sample_signature()


def test_strokes_moved_to_another_document_are_detected() -> None:
    record = sign(sample_signature(), DOC, "申请人", SIGNED_AT)
    moved = replace(record, document_sha256=OTHER_DOC)
    assert not verify(moved, OTHER_DOC)


def test_altered_strokes_role_or_time_are_detected() -> None:
    record = sign(sample_signature(), DOC, "申请人", SIGNED_AT)
    other = encode(zigzag())
    flipped = bytearray(record.strokes)
    flipped[-3] ^= 0x01  # one point's pressure, one step
    for forged in (replace(record, strokes=other), replace(record, strokes=bytes(flipped)),
                   replace(record, strokes=record.strokes[:-14]), replace(record, role="代理人"),
                   replace(record, signed_at=SIGNED_AT + dt.timedelta(days=1))):
        assert not verify(forged, DOC)


def test_record_survives_json_and_refuses_trivial_strokes() -> None:
    record = sign(sample_signature(), DOC, "申请人", SIGNED_AT)
    back = SignatureRecord.from_dict(record.to_dict())
    assert back == record and verify(back, DOC)
    with pytest.raises(UserError, match="签名过短"):
        sign(Strokes((polyline([(5, 5)]),), UPM), DOC, "申请人", SIGNED_AT)


# The PNG

def test_png_is_at_the_requested_dpi_and_sized_to_the_ink() -> None:
    # A horizontal line 50 mm long at full pressure: width = 50 + pen + 2 margins, height = pen + 2 margins.
    line = Strokes((polyline([(10 + i * 2.5, 20) for i in range(21)], pressure=1.0),), UPM)
    for dpi in (300, 600):
        image = Image.open(io.BytesIO(render_png(line, dpi=dpi, margin_mm=2.0, pen_mm=0.6)))
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
        assert image.size == (round((50 + 0.6 + 4) * dpi / 25.4), round((0.6 + 4) * dpi / 25.4))


def test_png_shows_ink_where_the_strokes_were() -> None:
    # An L: down the left side, then along the bottom. The top right stays blank.
    ell = Strokes((polyline([(0, i) for i in range(21)] + [(i, 20) for i in range(1, 21)]),), UPM)
    image = Image.open(io.BytesIO(render_png(ell, dpi=300, margin_mm=2.0))).convert("L")
    px = 300 / 25.4
    def at(x_mm: float, y_mm: float) -> int:  # strokes' mm → pixel (the box starts at -margin-pen/2)
        offset = 2.0 + pen_width_mm(0.5) / 2
        return int(image.getpixel((round((x_mm + offset) * px), round((y_mm + offset) * px))))  # type: ignore[arg-type]
    assert at(0, 10) < 60 and at(10, 20) < 60 and at(0, 0) < 60  # on the ink: dark
    assert at(10, 10) == 255 and at(18, 2) == 255  # inside the L's corner: white
    assert image.getpixel((0, 0)) == 255  # the margin


def test_png_with_transparent_background_and_pressure_varying_width() -> None:
    light = Strokes((polyline([(i, 0) for i in range(21)], pressure=0.0),), UPM)
    heavy = Strokes((polyline([(i, 0) for i in range(21)], pressure=1.0),), UPM)
    def ink_rows(strokes: Strokes) -> int:
        image = Image.open(io.BytesIO(render_png(strokes, dpi=600, background="transparent", margin_mm=1)))
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0  # type: ignore[index]
        alpha = image.getchannel("A")
        column = [alpha.getpixel((alpha.width // 2, y)) for y in range(alpha.height)]
        return sum(1 for a in column if a > 128)  # type: ignore[operator]
    assert ink_rows(heavy) > 2 * ink_rows(light)


def test_an_empty_signature_has_no_picture() -> None:
    with pytest.raises(ValueError, match="empty"):
        render_png(Strokes((), UPM))


# The simulated pad

def test_discovery_lists_the_simulated_pad() -> None:
    (info,) = discover_signature_pads()
    assert (info.name, info.kind, info.simulated) == (SIMULATED_NAME, "signature_pad", True)
    with pytest.raises(DeviceMissing):
        open_signature_pad("hid:056a:00a5")


def test_simulated_pad_gives_the_sample_or_replays_a_recording(tmp_path: Path) -> None:
    pad = open_signature_pad(SIMULATED_NAME)
    try:
        assert pad.info.kind == "signature_pad"
        sample = pad.capture(timeout=5)
        assert sample == sample_signature() and sample.has_pressure
    finally:
        pad.close()
    recording = tmp_path / "signature.bin"
    recording.write_bytes(encode(zigzag()))
    pad = SimulatedSignaturePad(recording)
    try:
        assert pad.capture(timeout=5) == zigzag()
    finally:
        pad.close()


def test_simulated_pad_reports_a_bad_recording(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"CKSG\x01\x00 nonsense")
    for path, words in ((broken, "已损坏"), (tmp_path / "missing.bin", "无法读取")):
        pad = SimulatedSignaturePad(path)
        try:
            with pytest.raises(DeviceError, match=words):
                pad.capture(timeout=5)
        finally:
            pad.close()


def test_a_slow_signer_times_out_and_the_pad_says_it_is_still_busy() -> None:
    pad = SimulatedSignaturePad(speed=1.0)  # takes as long as the sample did (seconds)
    try:
        with pytest.raises(DeviceTimeout, match=r"签名板在0\.05秒内没有响应"):
            pad.capture(timeout=0.05)
        with pytest.raises(DeviceBusy, match="仍未响应"):
            pad.capture(timeout=5)
    finally:
        pad.cancel()  # ends the replay still under way
        pad.close()


def test_a_capture_can_be_cancelled() -> None:
    pad = SimulatedSignaturePad(speed=1.0)
    try:
        threading.Timer(0.05, pad.cancel).start()
        with pytest.raises(DeviceError, match="签名已取消"):
            pad.capture(timeout=10)
    finally:
        pad.close()
