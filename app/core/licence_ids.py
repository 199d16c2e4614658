"""E-licence identifiers (电子证照标识): ``1.2.156.3005.2.<类型>.<颁发机构>.<流水号>.<版本号>.<校验位>``.

The parts, as the national e-licence identifier rules (GB/T 36904-2018 and the 全国一体化政务服务平台
电子证照 standards) lay them out and DESIGN §7 takes them:

- the root ``1.2.156.3005.2`` (the national e-licence OID arc);
- the licence type code: the defining department's 18-character unified credit code and a 3-digit
  sequence (``11100000000013338W011``);
- the issuing unit's 18-character unified credit code;
- the serial (流水号): digits and capital letters the issuer makes unique among its licences;
- the version, three digits (``001`` for a first issue);
- one check character, ISO/IEC 7064 MOD 37,36 (a hybrid system over 0-9A-Z).

**What the check character covers.** The check is computed over the type code, issuer code, serial
and version written one after the other, without the root and without the dots. MOD 37,36 is
defined over 0-9A-Z only, so the dots cannot enter it, and the root is the same on every
identifier, so including it would protect nothing. This is what the issuers' published
identifiers do: ``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`` (a
housing-ministry licence in a provincial interface specification) checks with ``U`` exactly so.
The standard's own text was not available here; the published identifier is the evidence.

**Serials that never collide offline.** Several PCs of one unit issue licences while offline, with
no reservation from the platform. A serial is therefore made of the issuing installation's id
(the random UUID every data folder is given once, under which the platform already files that PC's
chain links; 32 capital hex characters) and that installation's own counter (6 digits), which the
store advances in the same transaction that records the 出件 action. Two PCs have different
installation ids, so their serials differ whatever their counters; one PC never hands out a counter
twice. The platform holds the rule: a licence whose serial's installation is not the one that sent
the action, or whose identifier is already registered, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import Message, UserError
from app.core.ids import credit_code_problem

ROOT = "1.2.156.3005.2"
FIRST_VERSION = "001"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
#: the longest identifier read at all (a root, two 18/21-character codes, a long serial): hostile text is cut off
MAX_LENGTH = 160
#: the longest serial taken from another issuer (the published ones run to 32)
MAX_SERIAL = 64
STATION_LENGTH = 32
COUNTER_DIGITS = 6
MAX_COUNTER = 10 ** COUNTER_DIGITS - 1

#: a licence type code: the defining department's credit code and a 3-digit sequence
TYPE_CODE_RE = re.compile(r"[0-9A-Z]{18}[0-9]{3}")
_SERIAL_RE = re.compile(rf"[0-9A-Z]{{1,{MAX_SERIAL}}}")
_VERSION_RE = re.compile(r"[0-9]{3}")
_STATION_RE = re.compile(rf"[0-9A-F]{{{STATION_LENGTH}}}")
_OUR_SERIAL_RE = re.compile(rf"([0-9A-F]{{{STATION_LENGTH}}})([0-9]{{{COUNTER_DIGITS}}})")


def mod37_36(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of ``text`` (0-9A-Z); ValueError on other characters."""
    modulus = 36
    product = modulus
    for ch in text:
        if ch not in _VALUE:
            raise ValueError(f"not in 0-9A-Z: {ch!r}")
        total = (product + _VALUE[ch]) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(modulus + 1 - product) % modulus]


@dataclass(frozen=True, slots=True)
class LicenceId:
    """A well-formed e-licence identifier, check character verified."""

    type_code: str
    issuer: str
    serial: str
    version: str

    @property
    def check(self) -> str:
        return mod37_36(self.protected)

    @property
    def protected(self) -> str:
        """What the check character covers: type, issuer, serial and version, without dots."""
        return f"{self.type_code}{self.issuer}{self.serial}{self.version}"

    def __str__(self) -> str:
        return f"{ROOT}.{self.type_code}.{self.issuer}.{self.serial}.{self.version}.{self.check}"

    @property
    def station(self) -> str | None:
        """The installation id a serial made here starts with, or None for a serial made elsewhere."""
        match = _OUR_SERIAL_RE.fullmatch(self.serial)
        return match.group(1) if match else None


def _bad(part: str, problem: str, text: str) -> UserError:
    return UserError("电子证照标识的{part}有误：{problem}", part=part, problem=problem,
                     log=f"bad licence id {text[:MAX_LENGTH]!r}: {part}")


def parse(text: object) -> LicenceId:
    """The identifier in ``text``; UserError in Chinese naming the part that is wrong."""
    if not isinstance(text, str):
        raise UserError("电子证照标识应为文字", log=f"licence id of type {type(text).__name__}")
    raw = text.strip()
    if len(raw) > MAX_LENGTH:
        raise UserError("电子证照标识过长（不应超过 {limit} 个字符）", limit=MAX_LENGTH,
                        log=f"licence id of {len(raw)} characters")
    if not raw.startswith(ROOT + "."):
        raise _bad(Message("根代码"), Message("应以 1.2.156.3005.2 开头"), raw)
    parts = raw[len(ROOT) + 1:].split(".")
    if len(parts) != 5:
        raise UserError("电子证照标识应由根代码、证照类型代码、颁发机构代码、流水号、版本号和校验位组成，以“.”分隔",
                        log=f"licence id with {len(parts)} parts after the root: {raw[:MAX_LENGTH]!r}")
    type_code, issuer, serial, version, check = parts
    if not TYPE_CODE_RE.fullmatch(type_code):
        raise _bad(Message("证照类型代码"), Message("应为18位统一社会信用代码加3位顺序号"), raw)
    if problem := credit_code_problem(type_code[:18]):
        raise _bad(Message("证照类型代码"), problem, raw)
    if problem := credit_code_problem(issuer):
        raise _bad(Message("颁发机构代码"), problem, raw)
    if not _SERIAL_RE.fullmatch(serial):
        raise _bad(Message("流水号"), Message("应为1至64位数字或大写字母"), raw)
    if not _VERSION_RE.fullmatch(version) or version == "000":
        raise _bad(Message("版本号"), Message("应为3位数字（001起）"), raw)
    found = LicenceId(type_code, issuer, serial, version)
    if len(check) != 1 or check != found.check:
        raise _bad(Message("校验位"), Message("与前面各部分不符，请核对标识是否抄错"), raw)
    return found


def validate(text: object) -> str:
    """``text`` as a canonical identifier string, or UserError naming the wrong part."""
    return str(parse(text))


def station_of(installation: str) -> str:
    """The serial's station part for an installation id (a UUID): its 32 hex digits in capitals."""
    station = installation.replace("-", "").upper()
    if not _STATION_RE.fullmatch(station):
        raise ValueError(f"installation id is not a UUID: {installation[:40]!r}")
    return station


def serial_of(installation: str, counter: int) -> str:
    """The serial of this installation's ``counter``-th licence."""
    if not 1 <= counter <= MAX_COUNTER:
        raise ValueError(f"licence counter out of range: {counter}")
    return f"{station_of(installation)}{counter:0{COUNTER_DIGITS}d}"


def make(type_code: str, issuer: str, serial: str, version: str = FIRST_VERSION) -> LicenceId:
    """A new identifier from its parts, checked as :func:`parse` checks one read back."""
    made = LicenceId(type_code, issuer, serial, version)
    return parse(str(made))
