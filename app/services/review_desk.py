"""The reviewer's desk (审查): the 常用意见 each reviewer keeps, whether an opinion will carry the
unit's seal, and giving the opinion (同意 / 退回 / 不同意) on a case forwarded to this unit.

The opinion goes through the case desk (:func:`app.services.case_desk.take`), so it lands on the
review sheet the case came up with, under the unit's seal, exactly as from the command line
(:mod:`app.services.review_sheets`); what comes back says whether the seal went on, and if not why.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import N_, NotFound, UserError
from app.core.lifecycle import OPINION_RESULTS, RETURN_RESULT, ActionType
from app.services import case_desk, seals
from app.services.case_desk import Changed
from app.services.context import AppContext
from app.services.review_sheets import current_sheet
from app.store import cases, opinion_phrases

log = logging.getLogger("services.review_desk")

#: the phrases every reviewer starts with, by conclusion (their own come first)
BUILT_IN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "同意": ("经审核，申请材料齐全，符合法定条件，同意。", "经审核，符合规定，同意办理。"),
    RETURN_RESULT: ("申请材料不符合要求，请按所列事项补正后重新上报。", "材料不齐全，请补正后再报。"),
    "不同意": ("经审核，不符合法定条件，不同意。", "申请事项不属于本级审批范围，不同意。"),
}
#: why no opinion is offered on a case that is not waiting for one here
NOT_FORWARDED_HERE = N_("该办件当前不在本单位待审查（未上报至本单位，或已出具意见）")
#: the longest phrase a reviewer may keep
PHRASE_CHARS = 500


@dataclass(frozen=True, slots=True)
class Given:
    """An opinion given: what changed, and whether the unit's seal went onto the review sheet (if not, why)."""

    changed: Changed
    sealed: bool
    why_not_sealed: str = ""


def phrases(ctx: AppContext, result: str) -> list[str]:
    """The signed-in reviewer's own 常用意见 (newest first), then the built-in ones for ``result``."""
    own = opinion_phrases.phrases(ctx.store.reader(), ctx.session.user)
    return list(dict.fromkeys([*own, *BUILT_IN_PHRASES.get(result, ())]))


def own_phrases(ctx: AppContext) -> list[str]:
    """The phrases the signed-in reviewer added (they may remove these, not the built-in ones)."""
    return opinion_phrases.phrases(ctx.store.reader(), ctx.session.user)


def keep_phrase(ctx: AppContext, text: str) -> None:
    """Add ``text`` to the signed-in reviewer's 常用意见 on this PC."""
    text = text.strip()
    if not text:
        raise UserError("请先填写意见内容，再存为常用意见", log="empty opinion phrase")
    if len(text) > PHRASE_CHARS:
        raise UserError("常用意见不能超过{limit}个字", limit=PHRASE_CHARS, log=f"phrase of {len(text)} chars")
    user, now = ctx.session.user, ctx.clock().isoformat()
    ctx.store.write(lambda w: opinion_phrases.add(w, user, text, now))


def forget_phrase(ctx: AppContext, text: str) -> None:
    """Remove ``text`` from the signed-in reviewer's own 常用意见."""
    user = ctx.session.user
    ctx.store.write(lambda w: opinion_phrases.remove(w, user, text))


def seal_refusal(ctx: AppContext, case_ref: str) -> str:
    """Why an opinion given here now would not carry the unit's seal, or "" if it will."""
    db = ctx.store.reader()
    row = cases.find_case(db, case_ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=case_ref, log=f"no case {case_ref!r}")
    if seals.credentials(ctx) is None:
        return N_("本机没有本单位有效的电子印章证书，意见将不加盖印章；请审批人员先申请印章证书")
    sheet = current_sheet(db, row["id"])
    base = sheet and (sheet.sealed.pdf_sha256 if sheet.sealed else sheet.pdf_sha256)
    if sheet is None or not base or not ctx.store.blobs.has(base):
        return N_("本机尚未取得该办件的上报审查表，意见将不加盖印章；请先同步后再出具意见")
    return ""


def material_names(ctx: AppContext, case_ref: str) -> list[str]:
    """The case's materials, which a 退回 chooses from."""
    db = ctx.store.reader()
    row = cases.find_case(db, case_ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=case_ref, log=f"no case {case_ref!r}")
    return [m.name for m in cases.material_records(db, row["id"])]


def _seals_on_sheet(ctx: AppContext, case_id: str) -> int:
    sheet = current_sheet(ctx.store.reader(), case_id)
    return sheet.sealed.seals if sheet is not None and sheet.sealed is not None else 0


def give_opinion(ctx: AppContext, case_ref: str, result: str, text: str,
                 returns: Sequence[Mapping[str, str]] = ()) -> Given:
    """The signed-in reviewer's opinion on the case, sealed onto its review sheet when this PC can."""
    if result not in OPINION_RESULTS:
        raise UserError("意见结论应为：{opinion_results}", opinion_results="、".join(OPINION_RESULTS),
                        log=f"bad opinion result {result!r}")
    payload: dict[str, Any] = {"result": result, "text": text.strip()}
    if result == RETURN_RESULT:
        payload["returns"] = [{"material": str(r["material"]).strip(), "what": str(r["what"]).strip()}
                              for r in returns]
    why_not = seal_refusal(ctx, case_ref)
    row = cases.find_case(ctx.store.reader(), case_ref)
    assert row is not None  # seal_refusal found it
    before = _seals_on_sheet(ctx, row["id"])
    changed = case_desk.take(ctx, case_ref, ActionType.OPINION, payload)
    sealed = _seals_on_sheet(ctx, row["id"]) > before
    if not sealed and not why_not:
        why_not = N_("意见已出具，但未能加盖印章，请查看日志")
        log.warning("case %s: opinion given, the review sheet's seals did not grow", changed.case_no)
    return Given(changed, sealed, "" if sealed else why_not)
