"""Check rules for the identifiers a window sees: resident ID numbers and credit codes.

GB 11643-1999 (公民身份号码) and GB 32100-2015 (法人和其他组织统一社会信用代码).
Pure functions: each returns the reason an identifier is invalid, or ``None``.
"""

from __future__ import annotations

import datetime as _dt

from app.core.errors import N_, Message

# Province-level prefixes of GB/T 2260 division codes (plus 71/81/82 and 83 for
# Taiwan/HK/Macau residence permits, which reuse the 18-digit layout).
_PROVINCES = frozenset(str(n) for n in (
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
))
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_problem(number: str, today: _dt.date | None = None) -> str | None:
    """Why ``number`` is not a valid 18-digit resident ID number, or None if it is.

    The message is plain Chinese, fit to show a clerk. A lower-case ``x`` is
    accepted as the check character (card readers and people both type it).
    """
    n = number.strip().upper()
    if len(n) != 18:
        return Message("身份证号码应为18位，现为{length}位", length=len(n))
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return N_("身份证号码前17位应为数字，最后一位为数字或X")
    if n[:2] not in _PROVINCES:
        return N_("身份证号码的地址码无效")
    try:
        born = _dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return N_("身份证号码中的出生日期无效")
    if born.year < 1900 or (today is not None and born > today):
        return N_("身份证号码中的出生日期无效")
    if resident_id_check_char(n[:17]) != n[17]:
        return N_("身份证号码校验位不正确，请核对后重新输入")
    return None


def birth_date(number: str) -> _dt.date:
    """The birth date held in a valid resident ID number."""
    n = number.strip()
    return _dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None if it is."""
    c = code.strip().upper()
    if len(c) != 18:
        return Message("统一社会信用代码应为18位，现为{length}位", length=len(c))
    bad = [ch for ch in c if ch not in CREDIT_CHARSET]
    if bad:
        return Message("统一社会信用代码含有无效字符「{bad}」（不使用I、O、Z、S、V）", bad=bad[0])
    if not c[2:8].isdigit():
        return N_("统一社会信用代码第3至8位应为行政区划码")
    if credit_code_check_char(c[:17]) != c[17]:
        return N_("统一社会信用代码校验位不正确，请核对后重新输入")
    return None


def division_of_credit_code(code: str) -> str:
    """The 6-digit administrative division code inside a credit code."""
    return code.strip().upper()[2:8]


_PHONE_SEPARATORS = str.maketrans("", "", " -()（）")


def phone_problem(text: str) -> str | None:
    """Why ``text`` is not a mainland mobile or landline number a clerk could call back, or None.

    Mobile: 11 digits starting 13–19 (optionally +86 or 86 in front). Landline: an area code
    (0 and 2–3 digits) and a 7–8 digit number, or the local number alone; an extension may
    follow after 转 or #. Spaces, hyphens and brackets are allowed anywhere.
    """
    t = text.strip()
    if not t:
        return None
    main, _, extension = t.replace("#", "转").partition("转")
    digits = main.translate(_PHONE_SEPARATORS)
    if extension and not extension.strip().isdigit():
        return N_("分机号只能是数字")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit():
        return N_("联系电话只能包含数字、空格和“-”")
    if digits.startswith("1"):
        if len(digits) != 11:
            return Message("手机号码应为11位，现为{length}位", length=len(digits))
        if digits[1] not in "3456789":
            return N_("手机号码第2位应为3至9")
        return None
    if digits.startswith("0"):
        area_len = 3 if digits[1] in "12" else 4  # 010, 02x; others 0xxx
        if not 7 <= len(digits) - area_len <= 8:
            return N_("固定电话应为区号加7至8位号码，如 0774-3822345")
        return None
    if 7 <= len(digits) <= 8:
        return None
    return N_("请输入11位手机号码，或带区号的固定电话")
