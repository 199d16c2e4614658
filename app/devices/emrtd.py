"""Reading the holder's data from an eMRTD chip (e-passport, ICAO Doc 9303 parts 10 and 11).

One read: SELECT the LDS application, Basic Access Control with the key the clerk typed, then
EF.COM and DG1 under secure messaging; DG1's MRZ (tag 5F1F) is parsed with every check digit
verified. The card is reached through a ``transmit(apdu) -> (data, sw)`` callable, so the
same code runs over PC/SC and against the emulated passport of the tests.

Exactly one authentication attempt is made per read: e-passports slow down or lock after
repeated failures, so a refused key is reported to the clerk and never retried here.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import N_, UserError
from app.core.mrz import BacKey, MrzData, parse_mrz
from app.devices.bac import (
    BacKeys,
    RandomSource,
    SecureMessaging,
    authenticate_command,
    parse_tlvs,
    session_from_response,
)
from app.devices.errors import DeviceError

log = logging.getLogger("devices.emrtd")

Transmit = Callable[[bytes], tuple[bytes, int]]

LDS_AID = bytes.fromhex("A0000002471001")
EF_COM = 0x011E
EF_DG1 = 0x0101
#: The most one READ BINARY asks for: 223 bytes pad to 224, and with DO87, DO99 and DO8E the
#: protected answer still fits the 256 bytes of a short response.
DEFAULT_CHUNK = 0xDF
_MAX_OFFSET = 0x7FFF  # READ BINARY with an offset in P1-P2; DG1 and EF.COM are far smaller
_OK, _END_OF_FILE = 0x9000, 0x6282

WRONG_KEY = N_("证件信息不符，请核对证件号码、出生日期和有效期")
NOT_EMRTD = N_("读卡器上的卡片不是电子护照或电子证件，请放置带芯片的证件")
UNREADABLE = N_("证件芯片中的资料无法识别，请改为手工录入")
NO_BAC = N_("此证件的芯片不支持本程序的读取方式（BAC），请改为手工录入")
_NOT_SUPPORTED = {0x6D00, 0x6E00, 0x6A81}  # instruction, class or function not supported

# EF.COM's tag list names the data groups by their LDS tags (Doc 9303-10 §4.6.1).
_DG_TAGS = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8, 0x69: 9, 0x6A: 10,
            0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16}


class AccessDenied(DeviceError):
    """The chip refused Basic Access Control: the MRZ data typed do not match the document."""


@dataclass(frozen=True, slots=True)
class PassportData:
    """What the chip holds about the holder: DG1's MRZ, and which data groups the chip has."""

    mrz: MrzData
    lds_version: str
    data_groups: tuple[int, ...]

    def applicant(self) -> dict[str, str]:
        """The applicant form (``id_type`` "passport"); nationality, dates and sex stay in :attr:`mrz`."""
        return self.mrz.applicant()


def read_passport(transmit: Transmit, key: BacKey, *, random: RandomSource = secrets.token_bytes,
                  chunk: int = DEFAULT_CHUNK, today: dt.date | None = None) -> PassportData:
    """SELECT, BAC, then EF.COM and DG1 under secure messaging; one authentication attempt."""
    if not 4 <= chunk <= DEFAULT_CHUNK:
        raise ValueError(f"chunk must be 4..{DEFAULT_CHUNK}")
    _, sw = transmit(b"\x00\xa4\x04\x0c" + bytes([len(LDS_AID)]) + LDS_AID)
    if sw != _OK:
        raise DeviceError(NOT_EMRTD, log=f"eMRTD: SELECT of the LDS application answered {sw:04X}")
    sm = _authenticate(transmit, key, random)
    com = _read_file(transmit, sm, EF_COM, chunk)
    dg1 = _read_file(transmit, sm, EF_DG1, chunk)
    lds_version, groups = _parse_com(com)
    return PassportData(_parse_dg1(dg1, today), lds_version, groups)


def _authenticate(transmit: Transmit, key: BacKey, random: RandomSource) -> SecureMessaging:
    rnd_icc, sw = transmit(b"\x00\x84\x00\x00\x08")
    if sw != _OK:
        raise DeviceError(NO_BAC, log=f"BAC: GET CHALLENGE answered {sw:04X}")
    keys = BacKeys.from_mrz(key.mrz_information())
    challenge = authenticate_command(keys, rnd_icc, random)
    answer, sw = transmit(b"\x00\x82\x00\x00\x28" + challenge.data + b"\x28")
    if sw in _NOT_SUPPORTED:
        raise DeviceError(NO_BAC, log=f"BAC: MUTUAL AUTHENTICATE not supported ({sw:04X})")
    if sw != _OK:
        # 6300 on most chips, 6982 on some: either way the key was wrong, and asking again
        # with the same key only brings the chip closer to locking itself.
        raise AccessDenied(WRONG_KEY, log=f"BAC: MUTUAL AUTHENTICATE refused with {sw:04X}")
    return session_from_response(keys, challenge, answer)


def _protected(transmit: Transmit, sm: SecureMessaging, apdu: bytes) -> tuple[bytes, int]:
    data, sw = transmit(sm.wrap(apdu))
    return sm.unwrap(data, sw)


def _read_file(transmit: Transmit, sm: SecureMessaging, fid: int, chunk: int) -> bytes:
    """A whole elementary file: its TLV header first, for the length, then the rest in chunks."""
    _, sw = _protected(transmit, sm, b"\x00\xa4\x02\x0c\x02" + fid.to_bytes(2, "big"))
    if sw != _OK:
        raise DeviceError(UNREADABLE, log=f"eMRTD: SELECT of file {fid:04X} answered {sw:04X}")
    content = _read_binary(transmit, sm, fid, 0, 4)
    total = _tlv_size(content)
    if total > _MAX_OFFSET:
        raise DeviceError(UNREADABLE, log=f"eMRTD: file {fid:04X} of {total} bytes is too large for this reader")
    while len(content) < total:  # each pass reads at least one byte, or raises
        content += _read_binary(transmit, sm, fid, len(content), min(chunk, total - len(content)))
    return content[:total]


def _tlv_size(header: bytes) -> int:
    """Tag, length and value bytes of the file whose first bytes are ``header``.

    The LDS files start with a one-byte tag (60 for EF.COM, 61 for DG1, …).
    """
    count = header[1] & 0x7F if len(header) >= 2 and header[1] & 0x80 else 0
    if len(header) < 2 + count or header[0] & 0x1F == 0x1F or not count <= 2 or header[1] == 0x80:
        raise DeviceError(UNREADABLE, log="eMRTD: file does not start with a supported TLV header")
    if not count:
        return 2 + header[1]
    return 2 + count + int.from_bytes(header[2:2 + count], "big")


def _read_binary(transmit: Transmit, sm: SecureMessaging, fid: int, offset: int, length: int) -> bytes:
    data, sw = _protected(transmit, sm, b"\x00\xb0" + offset.to_bytes(2, "big") + bytes([length]))
    if sw not in (_OK, _END_OF_FILE) or not data:
        raise DeviceError(UNREADABLE, log=f"eMRTD: READ BINARY of {fid:04X} at {offset} answered {sw:04X} "
                                          f"with {len(data)} bytes")
    return data


def _parse_com(com: bytes) -> tuple[str, tuple[int, ...]]:
    try:
        (tag, body), = parse_tlvs(com)
        fields = dict(parse_tlvs(body)) if tag == 0x60 else {}
    except (IndexError, ValueError):
        fields = {}
    if 0x5C not in fields:
        raise DeviceError(UNREADABLE, log="eMRTD: EF.COM is malformed or lacks its tag list")
    groups = tuple(sorted(_DG_TAGS[t] for t in fields[0x5C] if t in _DG_TAGS))
    if 1 not in groups:
        raise DeviceError(UNREADABLE, log="eMRTD: EF.COM does not list DG1")
    version = fields.get(0x5F01, b"").decode("ascii", "replace")
    return f"{version[:2]}.{version[2:]}" if len(version) == 4 else version, groups


def _parse_dg1(dg1: bytes, today: dt.date | None) -> MrzData:
    try:
        (tag, body), = parse_tlvs(dg1)
        fields = dict(parse_tlvs(body)) if tag == 0x61 else {}
        text = fields[0x5F1F].decode("ascii")
    except (IndexError, ValueError, KeyError, UnicodeDecodeError):
        raise DeviceError(UNREADABLE, log="eMRTD: DG1 is malformed or lacks the MRZ (5F1F)") from None
    width = {88: 44, 90: 30}.get(len(text))
    if width is None:  # TD2 (2 × 36) and MRV visas are not documents a window takes
        raise DeviceError(UNREADABLE, log=f"eMRTD: DG1 MRZ of {len(text)} characters is not TD1 or TD3")
    try:
        return parse_mrz("\n".join(text[i:i + width] for i in range(0, len(text), width)), today)
    except UserError as exc:
        raise DeviceError(UNREADABLE, log=f"eMRTD: DG1 MRZ is invalid ({exc.log})") from exc
