"""Fees paid on a case (收费), recorded as actions: only for an item whose catalogue entry charges one."""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound, UserError
from app.core.fees import fee_payload
from app.core.lifecycle import ActionType, CaseState
from app.services.case_actions import ActionResult, perform
from app.services.context import AppContext
from app.store import cases


def fee_basis(ctx: AppContext, case_ref: str) -> tuple[str, str] | None:
    """The catalogue's fee (收费标准) and its basis for the item of ``case_ref``; None if it charges none."""
    row = cases.find_case(ctx.store.reader(), case_ref)
    if row is None:
        raise NotFound("找不到办件“{case_ref}”，请核对受理编号", case_ref=case_ref, log=f"no case {case_ref!r}")
    item = ctx.catalog.get(row["item_code"])
    if item is None or not item.fee.charged:
        return None
    return item.fee.amount, item.fee.basis


def record_fee(ctx: AppContext, case_ref: str, amount_fen: int, basis: str, reference: str) -> ActionResult:
    """Record a payment on case ``case_ref``; refused for an item without a fee, and nothing written."""
    if fee_basis(ctx, case_ref) is None:
        row = cases.find_case(ctx.store.reader(), case_ref)
        name = row["item_name"] if row else case_ref
        raise UserError("“{name}”不收费，无需登记缴费", name=name, log="record_fee on an item without a fee")
    return perform(ctx, case_ref, ActionType.RECORD_FEE, fee_payload(amount_fen, basis, reference))


def fees_view(state: CaseState) -> list[dict[str, Any]]:
    """The payments as ``case show`` gives them."""
    return [{"amount_fen": f.amount_fen, "amount": f.yuan, "basis": f.basis, "reference": f.reference,
             "at": f.at.isoformat()} for f in state.fees]
