"""Handwritten signatures: the pen's strokes, their stored form, and their binding to a document.

A signature is what the pen did, not a picture of it: for each point its position, the time
since the first point and, where the input has it, the pressure. Strokes run from pen-down to
pen-up. The picture (:mod:`app.documents.signature_png`) is drawn from them when needed.

Stored form ("CKSG" 1.0), in the spirit of ISO/IEC 19794-7 (signature time series): a
header naming the capture device, the resolution and the channels present, then fixed-size
point records. All integers are big-endian::

    offset size  field
     0     4     format id b"CKSG"
     4     1     major version (1)
     5     1     minor version (0)
     6     1     channel flags: 0x01 x, 0x02 y, 0x04 time (always set), 0x08 pressure
     7     1     reserved, 0
     8     4     resolution: device units per metre (x and y alike), as PNG's pHYs
    12     2     capture device USB vendor id (0: none, e.g. the on-screen pad)
    14     2     capture device USB product id (0: none)
    16     1     n = length of the device name in bytes (UTF-8, at most 255)
    17     n     device name
    17+n   2     number of strokes
    then for each stroke: point count (4 bytes, at least 1), then each point:
                 x (int32, device units), y (int32, device units, growing downwards),
                 t (uint32, ms since the signature's first point),
                 pressure (uint16, only with flag 0x08: 0..65534 for 0..1, 65535 = not recorded)

A :class:`Point` holds its pressure already rounded to those 65 534 steps, so what a caller
holds is exactly what is stored and :func:`decode` of :func:`encode` gives an equal value.

A :class:`SignatureRecord` binds encoded strokes to the SHA-256 of the document signed, the
signer's role and the time; its digest covers all four, so strokes copied onto another
document or altered are detected by :func:`verify`. The digest is a plain SHA-256 that
anyone can recompute: it protects against mix-ups and naive edits. Protection against a
deliberate forger comes from where the digest is kept (the case's audit chain), not from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from app.core.chain import canonical_json
from app.core.errors import N_, UserError

MAGIC = b"CKSG"
VERSION = (1, 0)
CH_X, CH_Y, CH_T, CH_PRESSURE = 0x01, 0x02, 0x04, 0x08
#: Pressure is stored in this many steps over 0..1; the next value means "not recorded".
PRESSURE_STEPS = 65534
NO_PRESSURE = 0xFFFF
_HEADER = struct.Struct(">4sBBBBIHHB")
_COUNT16, _COUNT32 = struct.Struct(">H"), struct.Struct(">I")
_POINT = struct.Struct(">iiI")
_PRESSURE = struct.Struct(">H")
_INT32 = (-(2**31), 2**31 - 1)
_UINT32_MAX = 2**32 - 1

# A signature shorter than any of these is a dot, a tick or a slip of the pen, not a name.
# Two Chinese characters written small on a pad are about 12 × 6 mm with 40 mm of ink and
# take a second or more; the limits sit well below that so a hurried signature still passes.
MIN_POINTS = 10
MIN_INK_MM = 15.0
MIN_LONG_SIDE_MM = 10.0
MIN_SHORT_SIDE_MM = 5.0
MIN_DURATION_MS = 200

#: The messages a signer sees (the window translates them, context "SignaturePadWidget").
NO_SIGNATURE = N_("请在签名区签名")
TOO_SHORT = N_("签名过短，请重新签名")
CORRUPT = N_("签名数据已损坏或格式不受支持，请重新签名")

_HEX64 = re.compile(r"[0-9a-f]{64}")
RECORD_FORMAT = "ck-signature-record/1"


@dataclass(frozen=True, slots=True)
class Point:
    """One sample of the pen: position in device units, ms since the first point, pressure 0..1.

    ``pressure`` is None when the input has none (a mouse); otherwise it is rounded to the
    stored steps on construction.
    """

    x: int
    y: int
    t: int
    pressure: float | None = None

    def __post_init__(self) -> None:
        if not (_INT32[0] <= self.x <= _INT32[1] and _INT32[0] <= self.y <= _INT32[1]):
            raise ValueError(f"point position out of range: {self.x}, {self.y}")
        if not 0 <= self.t <= _UINT32_MAX:
            raise ValueError(f"point time out of range: {self.t}")
        if self.pressure is not None:
            if not 0.0 <= self.pressure <= 1.0:  # also refuses NaN
                raise ValueError(f"pressure must be within 0..1, not {self.pressure!r}")
            object.__setattr__(self, "pressure", round(self.pressure * PRESSURE_STEPS) / PRESSURE_STEPS)


Stroke = tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class CaptureDevice:
    """What captured the strokes: a name, and the USB ids of a hardware pad (0 when none)."""

    name: str
    vendor_id: int = 0
    product_id: int = 0

    def __post_init__(self) -> None:
        if len(self.name.encode("utf-8")) > 255:
            raise ValueError("capture device name longer than 255 bytes")
        if not (0 <= self.vendor_id <= 0xFFFF and 0 <= self.product_id <= 0xFFFF):
            raise ValueError("USB vendor and product ids are 16-bit")


@dataclass(frozen=True, slots=True)
class Strokes:
    """A signature as captured: its strokes in order, the resolution and the capture device.

    Times never go back, across strokes too, and the first point is at t = 0.
    """

    strokes: tuple[Stroke, ...]
    units_per_metre: int
    device: CaptureDevice = field(default_factory=lambda: CaptureDevice("unknown"))

    def __post_init__(self) -> None:
        strokes = tuple(tuple(s) for s in self.strokes)
        object.__setattr__(self, "strokes", strokes)
        if not 1 <= self.units_per_metre <= _UINT32_MAX:
            raise ValueError(f"resolution out of range: {self.units_per_metre}")
        if len(strokes) > 0xFFFF:
            raise ValueError("more than 65535 strokes")
        if any(not s for s in strokes):
            raise ValueError("a stroke has no points")
        times = [p.t for s in strokes for p in s]
        if times and times[0] != 0:
            raise ValueError(f"the first point must be at t = 0, not {times[0]}")
        if any(b < a for a, b in pairwise(times)):
            raise ValueError("point times go back")

    def __iter__(self) -> Iterator[Stroke]:
        return iter(self.strokes)

    def __len__(self) -> int:
        return len(self.strokes)

    def points(self) -> Iterator[Point]:
        return (p for s in self.strokes for p in s)

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.strokes)

    @property
    def has_pressure(self) -> bool:
        return any(p.pressure is not None for p in self.points())

    def mm(self, units: float) -> float:
        """A length in device units, in millimetres."""
        return units * 1000.0 / self.units_per_metre

    def bounds(self) -> tuple[int, int, int, int]:
        """(min x, min y, max x, max y) in device units; all zero when there is no point."""
        xs = [p.x for p in self.points()]
        ys = [p.y for p in self.points()]
        if not xs:
            return (0, 0, 0, 0)
        return (min(xs), min(ys), max(xs), max(ys))

    def ink_length_mm(self) -> float:
        """How far the pen travelled while down (pen-up moves between strokes not counted)."""
        units = sum(math.hypot(b.x - a.x, b.y - a.y)
                    for s in self.strokes for a, b in pairwise(s))
        return self.mm(units)

    def duration_ms(self) -> int:
        return max((p.t for p in self.points()), default=0)


def check_signature(strokes: Strokes) -> None:
    """Refuse an empty signature or a trivial one (a dot, a tick) with a message for the signer."""
    if strokes.point_count == 0:
        raise UserError(NO_SIGNATURE, log="signature refused: no strokes")
    x0, y0, x1, y1 = strokes.bounds()
    width, height = strokes.mm(x1 - x0), strokes.mm(y1 - y0)
    ink, duration, count = strokes.ink_length_mm(), strokes.duration_ms(), strokes.point_count
    reasons = [
        *([f"{count} points < {MIN_POINTS}"] if count < MIN_POINTS else []),
        *([f"ink {ink:.1f} mm < {MIN_INK_MM:g}"] if ink < MIN_INK_MM else []),
        *([f"box {width:.1f}x{height:.1f} mm"]
          if max(width, height) < MIN_LONG_SIDE_MM or min(width, height) < MIN_SHORT_SIDE_MM else []),
        *([f"{duration} ms < {MIN_DURATION_MS}"] if duration < MIN_DURATION_MS else []),
    ]
    if reasons:
        raise UserError(TOO_SHORT, log="signature refused as trivial: " + ", ".join(reasons))


def encode(strokes: Strokes) -> bytes:
    """The stored form (see the module docstring)."""
    pressure = strokes.has_pressure
    flags = CH_X | CH_Y | CH_T | (CH_PRESSURE if pressure else 0)
    name = strokes.device.name.encode("utf-8")
    out = [_HEADER.pack(MAGIC, *VERSION, flags, 0, strokes.units_per_metre,
                        strokes.device.vendor_id, strokes.device.product_id, len(name)),
           name, _COUNT16.pack(len(strokes))]
    for stroke in strokes:
        out.append(_COUNT32.pack(len(stroke)))
        for p in stroke:
            out.append(_POINT.pack(p.x, p.y, p.t))
            if pressure:
                level = NO_PRESSURE if p.pressure is None else round(p.pressure * PRESSURE_STEPS)
                out.append(_PRESSURE.pack(level))
    return b"".join(out)


def decode(data: bytes) -> Strokes:
    """Strokes from their stored form; a :class:`UserError` when the bytes are not one."""
    try:
        return _decode(memoryview(data))
    except (struct.error, ValueError) as e:
        raise UserError(CORRUPT, log=f"signature data not readable: {e}") from None


def _decode(data: memoryview) -> Strokes:
    magic, major, minor, flags, _reserved, upm, vendor, product, n = _HEADER.unpack_from(data, 0)
    if magic != MAGIC:
        raise ValueError(f"not a signature (format id {bytes(magic)!r})")
    if (major, minor) != VERSION:
        raise ValueError(f"unsupported version {major}.{minor}")
    if flags & ~(CH_X | CH_Y | CH_T | CH_PRESSURE) or flags & (CH_X | CH_Y | CH_T) != CH_X | CH_Y | CH_T:
        raise ValueError(f"unsupported channels {flags:#04x}")
    pos = _HEADER.size
    if pos + n > len(data):
        raise ValueError("truncated device name")
    name = bytes(data[pos:pos + n]).decode("utf-8")
    pos += n
    (count,) = _COUNT16.unpack_from(data, pos)
    pos += _COUNT16.size
    record = _POINT.size + (_PRESSURE.size if flags & CH_PRESSURE else 0)
    strokes: list[Stroke] = []
    for _ in range(count):
        (points,) = _COUNT32.unpack_from(data, pos)
        pos += _COUNT32.size
        if pos + points * record > len(data):
            raise ValueError("truncated stroke")
        stroke = []
        for _ in range(points):
            x, y, t = _POINT.unpack_from(data, pos)
            pressure: float | None = None
            if flags & CH_PRESSURE:
                (level,) = _PRESSURE.unpack_from(data, pos + _POINT.size)
                pressure = None if level == NO_PRESSURE else level / PRESSURE_STEPS
            stroke.append(Point(x, y, t, pressure))
            pos += record
        strokes.append(tuple(stroke))
    if pos != len(data):
        raise ValueError(f"{len(data) - pos} bytes after the last stroke")
    return Strokes(tuple(strokes), upm, CaptureDevice(name, vendor, product))


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """Encoded strokes bound to the document signed (its SHA-256, hex), the signer's role and the time."""

    document_sha256: str
    role: str
    signed_at: dt.datetime
    strokes: bytes
    digest: str

    def decoded(self) -> Strokes:
        return decode(self.strokes)

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form (the strokes as hex) for a case's files or an action's payload."""
        return {"format": RECORD_FORMAT, "document_sha256": self.document_sha256, "role": self.role,
                "signed_at": self.signed_at.isoformat(), "strokes": self.strokes.hex(), "digest": self.digest}

    @classmethod
    def from_dict(cls, d: dict[str, str]) -> SignatureRecord:
        if d.get("format") != RECORD_FORMAT:
            raise UserError(CORRUPT, log=f"unknown signature record format {d.get('format')!r}")
        try:
            return cls(d["document_sha256"], d["role"], dt.datetime.fromisoformat(d["signed_at"]),
                       bytes.fromhex(d["strokes"]), d["digest"])
        except (KeyError, ValueError) as e:
            raise UserError(CORRUPT, log=f"signature record not readable: {e!r}") from None


def record_digest(document_sha256: str, role: str, signed_at: dt.datetime, encoded: bytes) -> str:
    """SHA-256 over the document's hash, the role, the time and the encoded strokes (canonical JSON)."""
    body = canonical_json({"format": RECORD_FORMAT, "document_sha256": document_sha256, "role": role,
                           "signed_at": signed_at.isoformat(),
                           "strokes_sha256": hashlib.sha256(encoded).hexdigest()})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def sign(strokes: Strokes, document_sha256: str, role: str, signed_at: dt.datetime) -> SignatureRecord:
    """Bind accepted strokes to a document; refuses an empty or trivial signature (:func:`check_signature`)."""
    if not _HEX64.fullmatch(document_sha256):
        raise ValueError("document_sha256 must be 64 lowercase hex digits")
    if not role.strip():
        raise ValueError("a signature needs the signer's role")
    if signed_at.utcoffset() is None:
        raise ValueError("signed_at must carry its UTC offset")
    check_signature(strokes)
    encoded = encode(strokes)
    return SignatureRecord(document_sha256, role, signed_at, encoded,
                           record_digest(document_sha256, role, signed_at, encoded))


def verify(record: SignatureRecord, document_sha256: str) -> bool:
    """Whether ``record`` signs this document and nothing in it changed since it was made."""
    if record.document_sha256 != document_sha256.lower():
        return False
    try:
        record.decoded()
        expected = record_digest(record.document_sha256, record.role, record.signed_at, record.strokes)
    except (UserError, ValueError):
        return False
    return hmac.compare_digest(expected, record.digest)


def strokes_from(raw: Sequence[Sequence[tuple[int, int, int, float | None]]], units_per_metre: int,
                 device: CaptureDevice) -> Strokes:
    """Strokes from (x, y, t, pressure) tuples whose times count from any origin (a device's clock)."""
    first = next((t for s in raw for _, _, t, _ in s), 0)
    return Strokes(tuple(tuple(Point(x, y, t - first, p) for x, y, t, p in s) for s in raw),
                   units_per_metre, device)
