"""Fees paid on a case (收费): the amount in fen, its basis, and the payment platform's order number.

The city collects fees through the unified public payment platform (统一公共支付平台, 004 §18):
the window records what was paid and the platform's order number, never cash. Amounts are
whole fen (integers), so nothing is lost to floating point; the clerk types yuan.

Pure: payloads come from the command line, the window and the platform's feed alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from app.core.errors import UserError

#: No single window fee comes near this (一百万元); a larger figure is a typing slip.
MAX_FEN = 100_000_000
MAX_BASIS = 200
#: 公共支付平台 order numbers (缴款码/订单号) are letters and digits; 10 to 32 of them.
_REFERENCE_RE = re.compile(r"[0-9A-Z]{10,32}")
_YUAN_RE = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


@dataclass(frozen=True, slots=True)
class FeePayment:
    """One payment recorded on a case."""

    amount_fen: int
    basis: str
    reference: str
    at: dt.datetime

    @property
    def yuan(self) -> str:
        """The amount as people read it: 「80.00」."""
        return format_yuan(self.amount_fen)


def format_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def parse_yuan(text: str) -> int:
    """The amount typed in yuan (「80」「80.5」「￥80.50」「80元」, full-width digits too) in fen."""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    plain = raw.removeprefix("¥").removesuffix("元").strip()
    if not _YUAN_RE.fullmatch(plain):
        raise UserError("金额“{raw}”格式不对，请以元为单位填写，如 80 或 80.50（最多两位小数）", raw=raw[:20],
                        log=f"bad amount {raw[:40]!r}")
    try:
        fen = int(Decimal(plain) * 100)
    except InvalidOperation:  # the pattern admits only plain decimals: this would be a bug
        raise ValueError(f"unparsable amount {plain!r}") from None
    check_amount(fen)
    return fen


def check_amount(fen: object) -> None:
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise UserError("缴费金额格式错误", log=f"amount_fen is {type(fen).__name__}")
    if fen <= 0:
        raise UserError("缴费金额应大于零", log=f"amount_fen {fen}")
    if fen > MAX_FEN:
        raise UserError("缴费金额 {amount} 元超出常理，请核对",
                        amount=format_yuan(fen), log=f"amount_fen {fen} too large")


def normal_reference(text: str) -> str:
    """The order number as the platform prints it: upper case, without spaces."""
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip().upper()


def check_fee(payload: Mapping[str, Any]) -> None:
    """Refuse a fee payload that breaks the rules (UserError in plain Chinese)."""
    check_amount(payload.get("amount_fen"))
    basis = payload.get("basis")
    if not isinstance(basis, str) or not basis.strip():
        raise UserError("请填写收费依据", log="fee without a basis")
    if len(basis) > MAX_BASIS or any(ord(ch) < 32 or ord(ch) == 127 for ch in basis):
        raise UserError("收费依据应为不超过{max_basis}字的一段文字",
                        max_basis=MAX_BASIS, log=f"bad fee basis of {len(basis)} chars")
    reference = payload.get("reference")
    if not isinstance(reference, str) or not _REFERENCE_RE.fullmatch(reference):
        shown = reference[:40] if isinstance(reference, str) else ""
        raise UserError("缴费单号“{shown}”格式不对：应为公共支付平台的订单号（10–32位字母或数字）", shown=shown,
                        log=f"bad payment reference {shown!r}")


def fee_of(payload: Mapping[str, Any], at: dt.datetime) -> FeePayment:
    """The payment a checked payload records."""
    check_fee(payload)
    return FeePayment(int(payload["amount_fen"]), str(payload["basis"]).strip(), str(payload["reference"]), at)


def fee_payload(amount_fen: int, basis: str, reference: str) -> dict[str, Any]:
    """The payload of a fee as typed (checked; the order number normalised)."""
    payload: dict[str, Any] = {"amount_fen": amount_fen, "basis": basis.strip(),
                               "reference": normal_reference(reference)}
    check_fee(payload)
    return payload
