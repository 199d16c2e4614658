"""Basic Access Control and secure messaging of eMRTD chips (ICAO Doc 9303 part 11, §4.3 and §9.8).

The computations only: key derivation from the MRZ, both halves of MUTUAL AUTHENTICATE, and
the wrapping of command APDUs and unwrapping of responses under secure messaging (2-key
3DES-CBC, ISO 9797-1 MAC algorithm 3 with padding method 2). No card I/O here: the caller
sends what :func:`authenticate_command` builds and hands the answer to :func:`session_from_response`;
randomness is passed in so the ICAO worked example can be replayed exactly.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, modes

try:  # cryptography ≥ 43 moved the legacy ciphers out of the primitives
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - cryptography < 43
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES

from app.core.errors import N_
from app.devices.errors import DeviceError

RandomSource = Callable[[int], bytes]
ENC, MAC = 1, 2  # the counters of the key derivation function
_ZERO_IV = bytes(8)
_SSC_MODULUS = 1 << 64

GARBLED = N_("读取证件芯片时数据校验失败，请将证件放稳后重新读取")


class SecureMessagingError(DeviceError):
    """A response whose MAC or structure is wrong: a garbled transfer or a moved card."""


def pad(data: bytes) -> bytes:
    """ISO 9797-1 padding method 2: 0x80, then zeros to a multiple of 8 bytes."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % 8)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise SecureMessagingError(GARBLED, log="secure messaging: bad padding in decrypted data")
    return stripped[:-1]


def _adjust_parity(key: bytes) -> bytes:
    # DES ignores the low bit of each byte; ICAO's worked example sets it for odd parity.
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) % 2) for b in key)


def derive_key(seed: bytes, counter: int) -> bytes:
    """A 2-key 3DES key (16 bytes) from ``seed``: SHA-1(seed ‖ counter), parity adjusted (§9.7.1)."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return _adjust_parity(digest[:16])


def key_seed(mrz_information: str) -> bytes:
    """K_seed: the first 16 bytes of SHA-1 over the MRZ information."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def _long_key(key: bytes) -> TripleDES:
    # cryptography deprecates 8- and 16-byte keys; DES and 2-key 3DES are 3DES with K1 = K3.
    return TripleDES(key * 3 if len(key) == 8 else key + key[:8])


def _tdes(key: bytes, data: bytes, *, decrypt: bool = False) -> bytes:
    cipher = Cipher(_long_key(key), modes.CBC(_ZERO_IV))
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(data) + op.finalize()


def encrypt(key: bytes, data: bytes) -> bytes:
    """3DES-CBC with a zero IV; ``data`` already padded."""
    return _tdes(key, data)


def decrypt(key: bytes, data: bytes) -> bytes:
    return _tdes(key, data, decrypt=True)


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3 over ``data`` (already padded): DES-CBC with K_a, then the
    last block decrypted with K_b and encrypted with K_a again.
    """
    ka, kb = key[:8], key[8:16]
    chained = _tdes(ka, data)[-8:]
    single_kb = Cipher(_long_key(kb), modes.ECB()).decryptor()
    single_ka = Cipher(_long_key(ka), modes.ECB()).encryptor()
    return single_ka.update(single_kb.update(chained))


@dataclass(frozen=True, slots=True)
class BacKeys:
    """K_enc and K_mac, derived from the MRZ."""

    k_enc: bytes
    k_mac: bytes

    @classmethod
    def from_mrz(cls, mrz_information: str) -> BacKeys:
        seed = key_seed(mrz_information)
        return cls(derive_key(seed, ENC), derive_key(seed, MAC))


@dataclass(frozen=True, slots=True)
class Challenge:
    """The terminal's half of the handshake: its nonce and key material, kept for the answer."""

    rnd_icc: bytes
    rnd_ifd: bytes
    k_ifd: bytes
    data: bytes  # the MUTUAL AUTHENTICATE command data: E_IFD ‖ M_IFD


def authenticate_command(keys: BacKeys, rnd_icc: bytes, random: RandomSource) -> Challenge:
    """The data for MUTUAL AUTHENTICATE, given the card's GET CHALLENGE answer."""
    if len(rnd_icc) != 8:
        raise SecureMessagingError(GARBLED, log=f"BAC: GET CHALLENGE returned {len(rnd_icc)} bytes")
    rnd_ifd, k_ifd = random(8), random(16)
    e_ifd = encrypt(keys.k_enc, rnd_ifd + rnd_icc + k_ifd)
    return Challenge(rnd_icc, rnd_ifd, k_ifd, e_ifd + retail_mac(keys.k_mac, pad(e_ifd)))


def session_from_response(keys: BacKeys, challenge: Challenge, response: bytes) -> SecureMessaging:
    """Check the card's answer to MUTUAL AUTHENTICATE and derive the session keys and SSC."""
    if len(response) != 40:
        raise SecureMessagingError(GARBLED, log=f"BAC: MUTUAL AUTHENTICATE answered {len(response)} bytes")
    e_icc, m_icc = response[:32], response[32:]
    if not hmac.compare_digest(retail_mac(keys.k_mac, pad(e_icc)), m_icc):
        raise SecureMessagingError(GARBLED, log="BAC: MAC of the card's authentication answer is wrong")
    plain = decrypt(keys.k_enc, e_icc)
    if plain[:8] != challenge.rnd_icc or plain[8:16] != challenge.rnd_ifd:
        raise SecureMessagingError(GARBLED, log="BAC: the card's answer does not echo the nonces")
    seed = bytes(a ^ b for a, b in zip(challenge.k_ifd, plain[16:32], strict=True))
    ssc = int.from_bytes(challenge.rnd_icc[4:] + challenge.rnd_ifd[4:], "big")
    return SecureMessaging(derive_key(seed, ENC), derive_key(seed, MAC), ssc)


# --- BER-TLV, as the data objects of secure messaging and the LDS files use it --------------

def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big") + encode_length(len(value)) + value


def read_tlv(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """(tag, value, offset after it) of the TLV at ``offset``; ValueError when truncated."""
    tag_start = offset
    if data[offset] & 0x1F == 0x1F:  # multi-byte tag: continues while bit 8 is set
        offset += 1
        while data[offset] & 0x80:
            offset += 1
    offset += 1
    tag = int.from_bytes(data[tag_start:offset], "big")
    first = data[offset]
    offset += 1
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 1 <= count <= 3 or offset + count > len(data):
            raise ValueError("bad TLV length")
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise ValueError("TLV value runs past the end")
    return tag, data[offset:offset + length], offset + length


def parse_tlvs(data: bytes) -> list[tuple[int, bytes]]:
    """All TLVs in ``data`` at one level; IndexError/ValueError when malformed."""
    items, offset = [], 0
    while offset < len(data):
        tag, value, offset = read_tlv(data, offset)
        items.append((tag, value))
    return items


class SecureMessaging:
    """A secure messaging session: session keys and the send sequence counter (§9.8)."""

    def __init__(self, ks_enc: bytes, ks_mac: bytes, ssc: int) -> None:
        self.ks_enc = ks_enc
        self.ks_mac = ks_mac
        self.ssc = ssc

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % _SSC_MODULUS
        return self.ssc.to_bytes(8, "big")

    def wrap(self, apdu: bytes) -> bytes:
        """The protected form of a short command APDU (CLA INS P1 P2 [Lc data] [Le])."""
        header, data, le = _split_command(apdu)
        header = bytes([header[0] | 0x0C]) + header[1:]
        objects = b""
        if data:
            objects += tlv(0x87, b"\x01" + encrypt(self.ks_enc, pad(data)))
        if le is not None:
            objects += tlv(0x97, bytes([le]))
        mac = retail_mac(self.ks_mac, pad(self._next_ssc() + pad(header) + objects))
        body = objects + tlv(0x8E, mac)
        return header + bytes([len(body)]) + body + b"\x00"

    def unwrap(self, response: bytes, sw: int) -> tuple[bytes, int]:
        """Check and decrypt a protected response; (data, status word from DO99)."""
        ssc = self._next_ssc()  # the card counts every command, whether it answers with SM or not
        if not response:
            # A card that aborts secure messaging answers with a plain status word.
            if sw in (0x9000, 0x6987, 0x6988):  # 6987/6988: the card found our data objects wrong
                raise SecureMessagingError(GARBLED, log=f"secure messaging: plain answer {sw:04X}")
            return b"", sw
        try:
            objects = parse_tlvs(response)
        except (IndexError, ValueError):
            raise SecureMessagingError(GARBLED, log="secure messaging: malformed response objects") from None
        found = dict(objects)
        if [tag for tag, _ in objects][-1:] != [0x8E] or 0x99 not in found or len(found[0x99]) != 2:
            raise SecureMessagingError(GARBLED, log="secure messaging: response lacks DO99 or DO8E")
        covered = response[:len(response) - 10]  # everything before DO8E (8E 08 + 8 bytes)
        if not hmac.compare_digest(retail_mac(self.ks_mac, pad(ssc + covered)), found[0x8E]):
            raise SecureMessagingError(GARBLED, log="secure messaging: response MAC is wrong")
        data = b""
        if 0x87 in found:
            encrypted = found[0x87]
            if not encrypted or encrypted[0] != 0x01 or (len(encrypted) - 1) % 8:
                raise SecureMessagingError(GARBLED, log="secure messaging: malformed DO87")
            data = unpad(decrypt(self.ks_enc, encrypted[1:]))
        return data, int.from_bytes(found[0x99], "big")


def _split_command(apdu: bytes) -> tuple[bytes, bytes, int | None]:
    """(header, data, Le) of a short APDU; Le 0 means 256 as in ISO 7816-4."""
    if len(apdu) < 4:
        raise ValueError("APDU shorter than its header")
    header, rest = apdu[:4], apdu[4:]
    if not rest:
        return header, b"", None
    if len(rest) == 1:
        return header, b"", rest[0]
    lc = rest[0]
    if len(rest) == 1 + lc:
        return header, rest[1:], None
    if len(rest) == 2 + lc:
        return header, rest[1:-1], rest[-1]
    raise ValueError("APDU length does not match Lc")
