"""Reading what the platform sent: untrusted JSON checked field by field into typed values.

Every reply is hostile until it has passed through here. A value that does not fit raises
:class:`WireError` naming where it was (``results[3].seq``) in English for the log; the
callers turn it into a :class:`~app.sync.client.PlatformError` the clerk can read, or set
one feed entry aside. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
#: far beyond any real value, small enough that arithmetic on it stays exact
MAX_INT = 2**62


class WireError(ValueError):
    """A reply that does not have the shape the platform promises."""


def obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise WireError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def items(value: Any, where: str, *, max_items: int) -> Sequence[Any]:
    if not isinstance(value, list):
        raise WireError(f"{where}: expected an array, got {type(value).__name__}")
    if len(value) > max_items:
        raise WireError(f"{where}: {len(value)} items, more than {max_items}")
    return value


def text(m: Mapping[str, Any], key: str, where: str, *, max_len: int = 1000, default: str | None = None) -> str:
    value = m.get(key, default)
    if not isinstance(value, str):
        raise WireError(f"{where}.{key}: expected a string, got {type(value).__name__}")
    if len(value) > max_len:
        raise WireError(f"{where}.{key}: {len(value)} characters, more than {max_len}")
    return value


def optional_text(m: Mapping[str, Any], key: str, where: str, *, max_len: int = 1000) -> str | None:
    return None if m.get(key) is None else text(m, key, where, max_len=max_len)


def integer(value: Any, where: str, *, lo: int = 0, hi: int = MAX_INT) -> int:
    # bool is an int in Python; true is not a cursor
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(f"{where}: expected an integer, got {type(value).__name__}")
    if not lo <= value <= hi:
        raise WireError(f"{where}: {value} outside {lo}..{hi}")
    return value


def number_field(m: Mapping[str, Any], key: str, where: str, *, lo: int = 0, hi: int = MAX_INT) -> int:
    return integer(m.get(key), f"{where}.{key}", lo=lo, hi=hi)


def flag(m: Mapping[str, Any], key: str, where: str) -> bool:
    value = m.get(key)
    if not isinstance(value, bool):
        raise WireError(f"{where}.{key}: expected true or false, got {type(value).__name__}")
    return value


def timestamp(m: Mapping[str, Any], key: str, where: str) -> str:
    """An ISO 8601 time, returned as sent (it is stored as text)."""
    value = text(m, key, where, max_len=64)
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise WireError(f"{where}.{key}: {value[:40]!r} is not an ISO time") from None
    return value


def sha256(value: Any, where: str) -> str:
    if not isinstance(value, str) or not SHA256_HEX.fullmatch(value):
        raise WireError(f"{where}: not a SHA-256 in lowercase hex")
    return value


def header_int(value: str | None, where: str, *, hi: int = MAX_INT) -> int:
    """A numeric header such as Upload-Offset: digits only, no sign, no spaces inside."""
    if value is None or not value.strip().isdigit() or len(value.strip()) > 19:
        raise WireError(f"header {where}: {str(value)[:40]!r} is not a non-negative integer")
    return integer(int(value.strip()), f"header {where}", hi=hi)
