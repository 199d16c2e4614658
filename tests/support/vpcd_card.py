"""An emulated e-passport: ICAO 9303's specimen (ERIKSSON ANNA MARIA, L898902C) on vpcd's reader.

:class:`EmulatedPassport` is the chip: the LDS application, BAC (GET CHALLENGE, EXTERNAL
AUTHENTICATE) and secure messaging for SELECT and READ BINARY of EF.COM and DG1. It is written
from the card's side and on purpose shares no code with ``app/devices/bac.py``: its retail
MAC is computed block by block with DES and a final 3DES block, its CBC by hand, its keys
without parity adjustment, and it checks every MAC the reader sends (6988 and the session
ends, as on a real chip). It counts authentication attempts, to prove there is no retry storm.

:class:`VpcdCard` puts the chip on vpcd's virtual reader: it connects to the port vpcd listens
on and answers vpcd's messages (2-byte big-endian length, then the payload; a 1-byte payload
is a control: 0 power off, 1 power on, 2 reset, 4 get ATR). :meth:`VpcdCard.insert` connects,
:meth:`VpcdCard.remove` disconnects; the serving thread is a daemon and ends by itself.
"""

from __future__ import annotations

import hashlib
import os
import socket
import struct
import threading
import time
from collections.abc import Callable

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

SPECIMEN_MRZ = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C<3UTO6908061F9406236ZE184226B<<<<<14")
LDS_AID = bytes.fromhex("A0000002471001")
#: T=1 (TD1 80, TD2 01), eight historical bytes, TCK.
ATR = bytes.fromhex("3B888001" + "4943414F39333033" + "%02X" % (0x88 ^ 0x80 ^ 0x01 ^ 0x49 ^ 0x43 ^ 0x41 ^ 0x4F
                                                                  ^ 0x39 ^ 0x33 ^ 0x30 ^ 0x33))

OK = b"\x90\x00"
AUTH_FAILED = b"\x63\x00"
SM_MISSING = b"\x69\x82"
SM_WRONG = b"\x69\x88"
CONDITIONS = b"\x69\x85"
NOT_FOUND = b"\x6a\x82"
WRONG_P1P2 = b"\x6b\x00"
WRONG_LENGTH = b"\x67\x00"
NO_INS = b"\x6d\x00"


# --- the card's own cryptography ---------------------------------------------------------

def _des(key8: bytes, block: bytes, *, decrypt: bool = False) -> bytes:
    cipher = Cipher(TripleDES(key8 * 3), modes.ECB())
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(block) + op.finalize()


def _ede(key16: bytes, block: bytes, *, decrypt: bool = False) -> bytes:
    k1, k2 = key16[:8], key16[8:]
    if decrypt:
        return _des(k1, _des(k2, _des(k1, block, decrypt=True)), decrypt=True)
    return _des(k1, _des(k2, _des(k1, block), decrypt=True))


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _blocks(data: bytes) -> list[bytes]:
    return [data[i:i + 8] for i in range(0, len(data), 8)]


def cbc_encrypt(key16: bytes, data: bytes) -> bytes:
    out, chain = b"", bytes(8)
    for block in _blocks(data):
        chain = _ede(key16, _xor(block, chain))
        out += chain
    return out


def cbc_decrypt(key16: bytes, data: bytes) -> bytes:
    out, chain = b"", bytes(8)
    for block in _blocks(data):
        out += _xor(_ede(key16, block, decrypt=True), chain)
        chain = block
    return out


def iso_pad(data: bytes) -> bytes:
    return data + b"\x80" + bytes(7 - len(data) % 8)


def mac(key16: bytes, message: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3 (padding method 2): DES-CBC, the last block by 3DES."""
    blocks = _blocks(iso_pad(message))
    chain = bytes(8)
    for block in blocks[:-1]:
        chain = _des(key16[:8], _xor(block, chain))
    return _ede(key16, _xor(blocks[-1], chain))


def kdf(seed: bytes, counter: int) -> bytes:
    return hashlib.sha1(seed + struct.pack(">I", counter)).digest()[:16]


def mrz_information(line2: str) -> str:
    """Document number, birth and expiry with their check digits, cut from a TD3 line 2."""
    return line2[0:10] + line2[13:20] + line2[21:28]


# --- the chip ----------------------------------------------------------------------------

def ef_com() -> bytes:
    """EF.COM of Doc 9303-11's worked example: LDS 1.6, Unicode 4.0.0, DG1 and DG2."""
    body = b"\x5f\x01\x04" + b"0106" + b"\x5f\x36\x06" + b"040000" + b"\x5c\x02\x61\x75"
    return b"\x60" + bytes([len(body)]) + body


def dg1(mrz_lines: tuple[str, ...]) -> bytes:
    mrz = "".join(mrz_lines).encode("ascii")
    inner = b"\x5f\x1f" + bytes([len(mrz)]) + mrz
    return b"\x61" + bytes([len(inner)]) + inner


def _parse_do(data: bytes) -> list[tuple[int, bytes]]:
    """The card's reading of the reader's data objects (one-byte tags, short or 81 lengths)."""
    objects, i = [], 0
    while i < len(data):
        tag, length = data[i], data[i + 1]
        i += 2
        if length == 0x81:
            length, i = data[i], i + 1
        objects.append((tag, data[i:i + length]))
        i += length
    return objects


def _do(tag: int, value: bytes) -> bytes:
    length = bytes([len(value)]) if len(value) < 0x80 else bytes([0x81, len(value)])
    return bytes([tag]) + length + value


class EmulatedPassport:
    """The chip's side of BAC and secure messaging, over ``process(apdu) -> response``."""

    def __init__(self, mrz_lines: tuple[str, ...] = SPECIMEN_MRZ, *, rnd_icc: bytes | None = None,
                 k_icc: bytes | None = None, files: dict[int, bytes] | None = None) -> None:
        seed = hashlib.sha1(mrz_information(mrz_lines[-1]).encode("ascii")).digest()[:16]
        self.k_enc, self.k_mac = kdf(seed, 1), kdf(seed, 2)
        self.files = files if files is not None else {0x011E: ef_com(), 0x0101: dg1(mrz_lines)}
        self._fixed_rnd_icc, self._fixed_k_icc = rnd_icc, k_icc
        self.auth_attempts = 0
        self.commands: list[bytes] = []  # every APDU as received
        self.reads: list[tuple[int, int, int]] = []  # (file, offset, Le) of each protected READ BINARY
        self.reset()

    def reset(self) -> None:
        """Power on or reset: nothing selected, no challenge, no session."""
        self.app_selected = False
        self.rnd_icc: bytes | None = None
        self.session: tuple[bytes, bytes] | None = None
        self.ssc = 0
        self.current_file: int | None = None

    def process(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        if len(apdu) < 4:
            return WRONG_LENGTH
        cla, ins, p1 = apdu[0], apdu[1], apdu[2]
        if cla & 0x0C == 0x0C:
            return self._secure(apdu)
        if self.session is not None:
            self.session = None  # a plain command ends secure messaging (Doc 9303-11 §9.8.6)
        if ins == 0xA4 and p1 == 0x04:
            self.app_selected = apdu[5:5 + apdu[4]] == LDS_AID
            self.rnd_icc = None
            return OK if self.app_selected else NOT_FOUND
        if not self.app_selected:
            return CONDITIONS
        if ins == 0x84:
            if apdu[4:] != b"\x08":
                return WRONG_LENGTH
            self.rnd_icc = self._fixed_rnd_icc or os.urandom(8)
            return self.rnd_icc + OK
        if ins == 0x82:
            return self._authenticate(apdu)
        if ins in (0xA4, 0xB0):
            return SM_MISSING  # the data groups are read only after BAC
        return NO_INS

    def _authenticate(self, apdu: bytes) -> bytes:
        self.auth_attempts += 1
        rnd_icc, self.rnd_icc = self.rnd_icc, None  # one answer per challenge
        if rnd_icc is None:
            return CONDITIONS
        if apdu[4] != 0x28 or len(apdu) != 5 + 0x28 + 1:
            return WRONG_LENGTH
        e_ifd, m_ifd = apdu[5:37], apdu[37:45]
        if mac(self.k_mac, e_ifd) != m_ifd:
            return AUTH_FAILED
        plain = cbc_decrypt(self.k_enc, e_ifd)
        rnd_ifd, k_ifd = plain[:8], plain[16:32]
        if plain[8:16] != rnd_icc:
            return AUTH_FAILED
        k_icc = self._fixed_k_icc or os.urandom(16)
        e_icc = cbc_encrypt(self.k_enc, rnd_icc + rnd_ifd + k_icc)
        session_seed = _xor(k_ifd, k_icc)
        self.session = (kdf(session_seed, 1), kdf(session_seed, 2))
        self.ssc = int.from_bytes(rnd_icc[4:] + rnd_ifd[4:], "big")
        return e_icc + mac(self.k_mac, e_icc) + OK

    def _secure(self, apdu: bytes) -> bytes:
        if self.session is None:
            return SM_MISSING
        ks_enc, ks_mac = self.session
        header = apdu[:4]
        if len(apdu) < 6 or len(apdu) != 5 + apdu[4] + 1:
            self.session = None
            return SM_WRONG
        objects = _parse_do(apdu[5:5 + apdu[4]])
        tags = [tag for tag, _ in objects]
        if tags not in ([0x87, 0x97, 0x8E], [0x87, 0x8E], [0x97, 0x8E]) or len(objects[-1][1]) != 8:
            self.session = None
            return SM_WRONG
        self.ssc += 1
        covered = b"".join(_do(tag, value) for tag, value in objects[:-1])
        if mac(ks_mac, self.ssc.to_bytes(8, "big") + iso_pad(header) + covered) != objects[-1][1]:
            self.session = None  # a wrong MAC ends the session: the reader must authenticate again
            return SM_WRONG
        fields = dict(objects)
        data = b""
        if 0x87 in fields:
            padded = cbc_decrypt(ks_enc, fields[0x87][1:])
            data = padded[:padded.rstrip(b"\x00").rfind(b"\x80")]
        le = (fields[0x97][0] or 256) if 0x97 in fields else None
        answer, status = self._inner(header[1], header[2], header[3], data, le)
        self.ssc += 1
        body = _do(0x87, b"\x01" + cbc_encrypt(ks_enc, iso_pad(answer))) if answer else b""
        body += _do(0x99, status)
        return body + _do(0x8E, mac(ks_mac, self.ssc.to_bytes(8, "big") + body)) + OK

    def _inner(self, ins: int, p1: int, p2: int, data: bytes, le: int | None) -> tuple[bytes, bytes]:
        if ins == 0xA4:
            if p1 != 0x02 or len(data) != 2:
                return b"", WRONG_P1P2
            fid = int.from_bytes(data, "big")
            if fid not in self.files:
                return b"", NOT_FOUND
            self.current_file = fid
            return b"", OK
        if ins == 0xB0:
            if self.current_file is None:
                return b"", CONDITIONS
            offset = p1 << 8 | p2
            content = self.files[self.current_file]
            if p1 & 0x80 or offset > len(content) or le is None:
                return b"", WRONG_P1P2
            self.reads.append((self.current_file, offset, le))
            chunk = content[offset:offset + le]
            return chunk, OK if len(chunk) == le else b"\x62\x82"
        return b"", NO_INS


# --- on vpcd's virtual reader ------------------------------------------------------------

class VpcdCard:
    """The emulated chip on vpcd's reader; ``connect()`` returns a socket connected to vpcd."""

    LIFETIME_S = 120.0  # a forgotten card stops by itself

    def __init__(self, chip: EmulatedPassport, connect: Callable[[], socket.socket]) -> None:
        self.chip = chip
        self._connect = connect
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def insert(self) -> None:
        """Put the card on the reader: connect to vpcd and answer it from a daemon thread."""
        if self._thread is not None:
            raise RuntimeError("card already inserted")
        self._stop.clear()
        self._sock = self._connect()
        self._sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Take the card off the reader: the connection closes, vpcd reports the card gone."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _serve(self, sock: socket.socket) -> None:
        deadline = time.monotonic() + self.LIFETIME_S
        try:
            while not self._stop.is_set() and time.monotonic() < deadline:
                header = self._receive(sock, 2, deadline)
                if header is None:
                    return
                payload = self._receive(sock, struct.unpack(">H", header)[0], deadline)
                if payload is None:
                    return
                reply = self._answer(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError:
            return  # vpcd went away (pcscd stopped): the card is simply gone
        finally:
            sock.close()

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            if payload[0] == 0x04:
                return ATR
            self.chip.reset()  # power off, power on and reset all start the chip afresh
            return None
        return self.chip.process(payload)

    def _receive(self, sock: socket.socket, size: int, deadline: float) -> bytes | None:
        """Exactly ``size`` bytes, or None on EOF, on :meth:`remove` or past the deadline."""
        data = b""
        while len(data) < size:
            if self._stop.is_set() or time.monotonic() > deadline:
                return None
            try:
                part = sock.recv(size - len(data))
            except TimeoutError:
                continue
            if not part:
                return None
            data += part
        return data
