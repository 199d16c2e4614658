"""Masking of resident ID numbers and mobile phone numbers in text bound for logs and reports.

Log files leave the counter: they are attached to support tickets, copied to USB sticks,
shown in crash dialogs. What identifies a resident must not travel with them:
``450403199001011525`` becomes ``4504**********1525`` and ``13807740001`` becomes
``138****0001`` — enough left for an engineer to tell two applicants apart.

What is masked, as a whole token (no ASCII letter or digit right before or after it):

* an 18-character resident ID: 17 digits then a digit or X/x, the birth year starting 18, 19
  or 20. The check character and the date are not checked: a mistyped number, which is
  exactly what a validation failure logs, is still someone's;
* a 15-digit first-generation ID: ``DDDDDD YYMMDD NNN`` with a real month and day;
* a mainland mobile number: ``1[3-9]`` and 9 more digits, optionally after ``+86``/``86`` and
  written 3-4-4 with spaces or hyphens.

What is left alone, because it is not a whole token of those shapes: SHA-256 hex (64 chars),
UUIDs, 20-digit case numbers, credit codes with letters, timestamps, counts of other lengths.
A count of exactly 11 digits starting 13–19 (a 13 GB file size, say) is masked: the cost of
that is small, the cost of the opposite is not. Landline numbers are not masked.

Pure and without I/O, so the crash dialog and anything else that shows log text can use it.
"""

from __future__ import annotations

import re

_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"
_ID18 = r"[1-9][0-9]{5}(?:18|19|20)[0-9]{9}[0-9Xx]"
_ID15 = r"[1-9][0-9]{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}"
_MOBILE = r"(?P<cc>\+?86[ -]?)?(?P<head>1[3-9][0-9])(?P<s1>[ -]?)[0-9]{4}(?P<s2>[ -]?)(?P<tail>[0-9]{4})"

#: one resident ID number (18 or 15 characters), alone in the text
RESIDENT_ID = re.compile(f"{_BEFORE}(?:{_ID18}|{_ID15}){_AFTER}")
#: one mobile phone number, alone in the text
MOBILE = re.compile(f"{_BEFORE}{_MOBILE}{_AFTER}")
_ANY = re.compile(f"{_BEFORE}(?:(?P<id>{_ID18}|{_ID15})|{_MOBILE}){_AFTER}")


def mask_id_number(number: str) -> str:
    """``450403199001011525`` → ``4504**********1525``: the first and last four kept."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    """``13807740001`` → ``138****0001``; a ``+86`` prefix and 3-4-4 separators are kept."""
    match = MOBILE.fullmatch(number)
    if match is None:
        return mask_id_number(number)
    return _masked_phone(match)


def _masked_phone(m: re.Match[str]) -> str:
    return f"{m['cc'] or ''}{m['head']}{m['s1']}****{m['s2']}{m['tail']}"


def _replace(m: re.Match[str]) -> str:
    return mask_id_number(m["id"]) if m["id"] else _masked_phone(m)


def mask_personal_numbers(text: str) -> str:
    """``text`` with every resident ID number and mobile phone number in it masked."""
    return _ANY.sub(_replace, text)


def has_personal_numbers(text: str) -> bool:
    """Whether ``text`` holds a resident ID number or a mobile phone number unmasked."""
    return _ANY.search(text) is not None
