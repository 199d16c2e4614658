"""Machine readable zones (机读码) of passports and ID cards, ICAO Doc 9303 parts 3–5.

Parses the two layouts a counter meets: TD3 (passports, 2 lines of 44 characters) and TD1
(ID cards, 3 lines of 30), verifying every check digit including the composite one, and
builds the key for Basic Access Control from the three fields it needs (document number,
birth date and expiry date, each with its check digit). The clerk types either the second
MRZ line of a passport or those three fields; a mistake there is a :class:`UserError` with
what to check, because a wrong key costs an authentication attempt on the chip.

Pure: dates come in as ``today`` where a century must be guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from app.core.errors import N_, UserError

MrzFormat = Literal["TD1", "TD3"]

_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "<": 0}
_WEIGHTS = (7, 3, 1)
_MRZ_CHARS = re.compile(r"[0-9A-Z<]*")
_DOC_NUMBER = re.compile(r"[0-9A-Z]{1,22}")
#: An expiry year further ahead than this is taken to be in the past century (ICAO's worked
#: example expires in "94"); no travel document is valid for this long.
_EXPIRY_HORIZON_YEARS = 50

_WRONG_SHAPE = N_("机读码应为两行、每行44个字符（护照），或三行、每行30个字符（身份卡），请核对后重新输入")


def check_digit(field: str) -> str:
    """The ICAO 9303 check digit of ``field`` (weights 7-3-1, letters 10–35, ``<`` 0)."""
    try:
        total = sum(_VALUES[c] * _WEIGHTS[i % 3] for i, c in enumerate(field))
    except KeyError:
        raise UserError("机读码只能包含大写字母、数字和“<”", log="check digit of a field with invalid characters") \
            from None
    return str(total % 10)


def _verify(field: str, digit: str, label: str, *, blank_ok: bool = False) -> None:
    # An empty optional field may carry "<" as its check digit (Doc 9303-4 §4.2.2.1).
    if blank_ok and digit == "<" and set(field) <= {"<"}:
        return
    if check_digit(field) != digit:
        raise UserError("机读码中{label}的校验位不符，请逐字核对{label}", label=label,
                        log=f"MRZ check digit mismatch in {label!r} field")


def _date(text: str, label: str) -> tuple[int, int, int]:
    if not text.isdigit() or len(text) != 6:
        raise UserError("机读码中的{label}应为6位数字（年年月月日日）",
                        label=label, log=f"MRZ {label!r} is not 6 digits")
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    try:
        dt.date(2000 + yy, mm, dd)  # 2000 is a leap year: 29 February is accepted for any century
    except ValueError:
        raise UserError("机读码中的{label}“{text}”不是有效日期",
                        label=label, text=text, log=f"MRZ {label!r} is not a date") from None
    return yy, mm, dd


def birth_date(text: str, today: dt.date | None = None) -> dt.date:
    """A YYMMDD birth date: in this century unless that would be after today."""
    today = today or dt.date.today()
    yy, mm, dd = _date(text, N_("出生日期"))
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    date = _safe_date(year, mm, dd)
    if date > today:
        date = _safe_date(year - 100, mm, dd)
    return date


def expiry_date(text: str, today: dt.date | None = None) -> dt.date:
    """A YYMMDD expiry date: in this century unless implausibly far in the future."""
    today = today or dt.date.today()
    yy, mm, dd = _date(text, N_("有效期"))
    year = 2000 + yy if 2000 + yy <= today.year + _EXPIRY_HORIZON_YEARS else 1900 + yy
    return _safe_date(year, mm, dd)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February of a year that is not leap in the chosen century
        raise UserError("机读码中的日期“{year:02d}{month:02d}{day:02d}”不是有效日期",
                        year=year % 100, month=month, day=day,
                        log="MRZ date is 29 February of a non-leap year") from None


@dataclass(frozen=True, slots=True)
class BacKey:
    """What Basic Access Control needs: document number, birth and expiry date (YYMMDD)."""

    document_number: str
    birth: str
    expiry: str

    def mrz_information(self) -> str:
        """The key seed's input: the three fields, each followed by its check digit."""
        return mrz_information(self.document_number, self.birth, self.expiry)


def mrz_information(document_number: str, birth: str, expiry: str) -> str:
    """``document number<… + cd + birth + cd + expiry + cd`` (Doc 9303-11 §9.7.1).

    A number shorter than 9 characters is padded with ``<`` as in the MRZ; a longer one (TD1
    extension) is used whole.
    """
    number = document_number.upper().ljust(9, "<")
    _date(birth, N_("出生日期"))
    _date(expiry, N_("有效期"))
    return f"{number}{check_digit(number)}{birth}{check_digit(birth)}{expiry}{check_digit(expiry)}"


@dataclass(frozen=True, slots=True)
class MrzData:
    """The holder and document as the MRZ states them, all check digits verified.

    ``sex`` is "F", "M" or "X" (unspecified); names have their fillers turned into spaces.
    """

    format: MrzFormat
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: dt.date
    sex: str
    expiry_date: dt.date
    optional_data: str
    lines: tuple[str, ...]

    @property
    def name(self) -> str:
        """The name as the applicant form holds it: ``SURNAME, GIVEN NAMES``."""
        return f"{self.surname}, {self.given_names}" if self.given_names else self.surname

    def bac_key(self) -> BacKey:
        return BacKey(self.document_number, self.birth_date.strftime("%y%m%d"), self.expiry_date.strftime("%y%m%d"))

    def applicant(self) -> dict[str, str]:
        """The applicant form of a passport holder; the other fields stay on this object."""
        return {"kind": "person", "name": self.name, "id_type": "passport", "id_number": self.document_number,
                "phone": "", "address": ""}


def _clean_lines(text: str) -> list[str]:
    # Clerks and OCR add spaces and lower case; the MRZ itself has neither.
    lines = [re.sub(r"\s+", "", line).upper() for line in text.strip().splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if not _MRZ_CHARS.fullmatch(line):
            raise UserError("机读码只能包含大写字母、数字和“<”", log="MRZ with invalid characters")
    return lines


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.rstrip("<").partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _code(field: str) -> str:
    return field.replace("<", "")


def _sex(char: str) -> str:
    if char in ("F", "M"):
        return char
    if char in ("<", "X"):
        return "X"
    raise UserError("机读码中的性别“{char}”无法识别", char=char, log="MRZ sex is not F, M, X or <")


def parse_mrz(text: str, today: dt.date | None = None) -> MrzData:
    """Parse a whole TD1 or TD3 MRZ (line breaks between its lines); every check digit verified."""
    lines = _clean_lines(text)
    if len(lines) == 2 and all(len(line) == 44 for line in lines):
        return _parse_td3(lines, today)
    if len(lines) == 3 and all(len(line) == 30 for line in lines):
        return _parse_td1(lines, today)
    raise UserError(_WRONG_SHAPE, log=f"MRZ of {len(lines)} lines of {[len(line) for line in lines]} characters")


def _parse_td3(lines: list[str], today: dt.date | None) -> MrzData:
    top, bottom = lines
    number, birth, expiry, personal = bottom[0:9], bottom[13:19], bottom[21:27], bottom[28:42]
    _verify(number, bottom[9], N_("证件号码"))
    _verify(birth, bottom[19], N_("出生日期"))
    _verify(expiry, bottom[27], N_("有效期"))
    _verify(personal, bottom[42], "个人号码", blank_ok=True)
    _verify(bottom[0:10] + bottom[13:20] + bottom[21:43], bottom[43], N_("总校验位"))
    surname, given = _names(top[5:44])
    return MrzData("TD3", _code(top[0:2]), _code(top[2:5]), _code(number), surname, given, _code(bottom[10:13]),
                   birth_date(birth, today), _sex(bottom[20]), expiry_date(expiry, today), _code(personal),
                   tuple(lines))


def _parse_td1(lines: list[str], today: dt.date | None) -> MrzData:
    top, middle, bottom = lines
    number, digit, optional = top[5:14], top[14], top[15:30]
    if digit == "<" and optional[0] != "<":
        # A number longer than 9 characters continues in the optional data, its check digit
        # last (Doc 9303-5 §4.2.2 note j).
        extension = optional.split("<", 1)[0]
        number, digit, optional = number + extension[:-1], extension[-1], optional[len(extension):]
    _verify(number, digit, N_("证件号码"))
    birth, expiry = middle[0:6], middle[8:14]
    _verify(birth, middle[6], N_("出生日期"))
    _verify(expiry, middle[14], N_("有效期"))
    _verify(top[5:30] + middle[0:7] + middle[8:15] + middle[18:29], middle[29], N_("总校验位"))
    surname, given = _names(bottom)
    return MrzData("TD1", _code(top[0:2]), _code(top[2:5]), _code(number), surname, given, _code(middle[15:18]),
                   birth_date(birth, today), _sex(middle[7]), expiry_date(expiry, today),
                   _code(optional + middle[18:29]), tuple(lines))


def _date_field(text: str, label: str) -> str:
    """YYMMDD from what a clerk types: ``690806``, ``19690806`` or ``1969-08-06``."""
    digits = re.sub(r"[-./年月日\s]", "", text.strip())
    if len(digits) == 8 and digits.isdigit():
        digits = digits[2:]
    if len(digits) != 6 or not digits.isdigit():
        raise UserError("{label}应写成“1969-08-06”或机读码中的6位数字“690806”", label=label,
                        log=f"{label!r} given in an unrecognised form")
    _date(digits, label)
    return digits


def bac_key_from_fields(document_number: str, birth: str, expiry: str) -> BacKey:
    """The BAC key from the three fields as the clerk typed them off the data page."""
    number = re.sub(r"\s+", "", document_number).upper().rstrip("<")
    if not _DOC_NUMBER.fullmatch(number):
        raise UserError("证件号码只能包含字母和数字，请按证件资料页填写",
                        log=f"document number of {len(number)} characters is not alphanumeric")
    return BacKey(number, _date_field(birth, N_("出生日期")), _date_field(expiry, N_("有效期")))


def parse_bac_key(text: str, today: dt.date | None = None) -> BacKey:
    """The BAC key from what the clerk typed: a whole MRZ, a passport's second MRZ line, or
    the three fields (document number, birth date, expiry date) separated by spaces or commas.
    """
    if "\n" in text.strip():
        return parse_mrz(text, today).bac_key()
    compact = re.sub(r"\s+", "", text).upper()
    parts = [p for p in re.split(r"[\s,，;；]+", text.strip()) if p]
    if len(compact) == 44 or (len(parts) != 3 and "<" in compact):
        line = _clean_lines(compact)[0]
        if len(line) != 44:
            raise UserError("请输入护照机读码的第二行（44个字符），或依次输入证件号码、出生日期和有效期",
                            log=f"single MRZ line of {len(line)} characters")
        number, birth, expiry = line[0:9], line[13:19], line[21:27]
        _verify(number, line[9], N_("证件号码"))
        _verify(birth, line[19], N_("出生日期"))
        _verify(expiry, line[27], N_("有效期"))
        _verify(line[0:10] + line[13:20] + line[21:43], line[43], N_("总校验位"))
        return BacKey(_code(number), birth, expiry)
    if len(parts) != 3:
        raise UserError("请输入护照机读码的第二行，或依次输入证件号码、出生日期和有效期（用空格分隔）",
                        log=f"BAC key input of {len(parts)} parts")
    return bac_key_from_fields(*parts)
