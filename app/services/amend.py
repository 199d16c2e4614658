"""Amending a case's materials before acceptance (补正材料): edit pages, rebuild what changed.

Only new pages (inserted, rescanned, a material added) go through the page pipeline, in one
batch; pages kept are reused as stored, and a turn is the PDF page's /Rotate, so their bytes
never change. Only a material whose pages changed gets a new PDF; the others keep theirs,
byte for byte, and are not uploaded again.

As at intake, everything that can be refused (the case's state, a page number, a flagged
page without a reason, an unreadable file) is found before anything is written; new blobs
are written first, then one transaction replaces the material rows and appends the
``amend_materials`` action, which carries the whole material list it leaves — the platform
and the other windows apply it as it stands.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from app.core.errors import N_, InvalidTransition, Message, NotFound, UserError
from app.core.lifecycle import ActionType, CaseState, Status, apply, authority_refusal, refusal
from app.core.material_edits import (
    AddMaterial,
    DeletePage,
    Draft,
    Edit,
    InsertPages,
    MovePage,
    RemoveMaterial,
    ReplacePage,
    RotatePage,
    Slot,
    apply_edits,
    check_names,
    describe,
)
from app.documents.material_pdf import PdfPage, build_material_pdf
from app.imaging.pipeline import ProcessedPage
from app.services.case_actions import current_state, with_unit_names, write_action
from app.services.context import AppContext
from app.services.intake import IntakeOptions, MaterialInput, PageFlag, gate, page_record, run_pipeline
from app.store import cases
from app.store.blobs import sha256_hex

log = logging.getLogger("services.amend")

Page = cases.PageRecord | ProcessedPage

#: each edit word: what follows it, and how many words that is (None: the material, then any
#: number of files, at least one)
_OPS: dict[str, tuple[str, int | None]] = {
    "insert": ("材料名称 页码 文件…", None), "rescan": ("材料名称 页码 文件", 3), "delete": ("材料名称 页码", 2),
    "move": ("材料名称 页码 新页码", 3), "rotate": ("材料名称 页码 角度", 3), "add": ("材料名称 文件…", None),
    "remove": ("材料名称", 1),
}


@dataclass(frozen=True, slots=True)
class EditPlan:
    """The clerk's edits, in order, and the files each new-page edit brings (by ``source``)."""

    edits: tuple[Edit, ...]
    sources: tuple[tuple[Path, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Amended:
    """What an amendment did: the case, the materials rebuilt, the pages dropped or flagged."""

    case_id: str
    case_no: str
    status: Status
    rebuilt: tuple[str, ...]
    dropped_blank: tuple[PageFlag, ...] = ()
    accepted_warnings: tuple[PageFlag, ...] = ()


def parse_edits(words_list: Sequence[Sequence[str]]) -> EditPlan:
    """Edits as the command line takes them: ``rotate 申请表 2 90``, ``insert 申请表 3 a.jpg b.jpg`` …"""
    edits: list[Edit] = []
    sources: list[tuple[Path, ...]] = []

    def number(text: str, what: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise UserError("{what}应为整数，而不是“{text}”",
                            what=what, text=text, log=f"not a number: {text!r}") from None

    def source(files: Sequence[str]) -> int:
        sources.append(tuple(Path(f) for f in files))
        return len(sources) - 1

    for words in words_list:
        op, args = (words[0], list(words[1:])) if words else ("", [])
        if op not in _OPS:
            raise UserError("不认识的修改“{op}”，可用：{ops}",
                            op=op, ops="、".join(_OPS), log=f"unknown edit {list(words)!r}")
        usage, count = _OPS[op]
        usage = f"{op} {usage}"
        if count is not None and len(args) != count:
            raise UserError("修改的写法应为：{usage}", usage=usage, log=f"bad edit {list(words)!r}")
        first_file = 2 if op == "insert" else 1
        if count is None and len(args) <= first_file:
            raise UserError("请给出要插入的页面文件：{usage}" if op == "insert" else "请给出要新增的页面文件：{usage}",
                            usage=usage,
                            log=f"edit without files {list(words)!r}")
        name = args[0]
        if op == "insert":
            edits.append(InsertPages(name, number(args[1], N_("页码")), source(args[2:])))
        elif op == "rescan":
            edits.append(ReplacePage(name, number(args[1], N_("页码")), source(args[2:])))
        elif op == "delete":
            edits.append(DeletePage(name, number(args[1], N_("页码"))))
        elif op == "move":
            edits.append(MovePage(name, number(args[1], N_("页码")), number(args[2], "新页码")))
        elif op == "rotate":
            edits.append(RotatePage(name, number(args[1], N_("页码")), number(args[2], "旋转角度")))
        elif op == "add":
            edits.append(AddMaterial(name, source(args[1:])))
        else:
            edits.append(RemoveMaterial(name))
    return EditPlan(tuple(edits), tuple(sources))


def amend_materials(ctx: AppContext, ref: str, plan: EditPlan, options: IntakeOptions | None = None) -> Amended:
    """Apply the clerk's edits to a received case's materials; UserError, with nothing written, if refused."""
    options = options or IntakeOptions()
    org = ctx.settings.get("unit.org")
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    case_id = row["id"]
    ctx.check_role(ActionType.AMEND_MATERIALS, _check_allowed(db, row, org).status)  # before the pipeline
    before = cases.material_records(db, case_id)
    check_names([m.name for m in before], plan.edits)
    processed, dropped = _process_sources(ctx, plan, options)
    drafts = [_draft(m) for m in before]
    after = apply_edits(drafts, plan.edits, _resolver(plan, processed))
    flags = [PageFlag(d.name, n, w.code) for d in after for n, slot in enumerate(d.slots, 1)
             if isinstance(slot.page, ProcessedPage) for w in slot.page.warnings]
    override = gate(flags, options)

    now = ctx.clock()
    received_at = dt.datetime.fromisoformat(row["received_at"])
    old = {m.id: m for m in before}
    records: list[cases.MaterialRecord] = []
    rebuilt: list[str] = []
    pdfs: list[bytes] = []
    for d in after:
        pages = [_stored(slot) for slot in d.slots]
        kept = old.get(d.id) if d.id is not None else None
        if kept is not None and kept.name == d.name and kept.pages == tuple(pages):
            records.append(kept)
            continue
        pdf = build_material_pdf([PdfPage(_bytes(ctx, s.page), s.rotation) for s in d.slots], case_id=case_id,
                                 material=d.name, page_hashes=[p.sha256 for p in pages], created=received_at,
                                 modified=now)
        pdfs.append(pdf)
        rebuilt.append(d.name)
        records.append(cases.MaterialRecord(id=d.id or ctx.new_id(), name=d.name, pdf_sha256=sha256_hex(pdf),
                                            pdf_bytes=len(pdf), pages=tuple(pages)))
    if records == before:
        raise UserError("修改后材料与原来相同，无需补正", log="amendment changes nothing")
    # Blobs first (each atomic); a crash before the transaction leaves only unreferenced files.
    for d in after:
        for slot in d.slots:
            if isinstance(slot.page, ProcessedPage):
                ctx.store.blobs.put(slot.page.data)
    for pdf in pdfs:
        ctx.store.blobs.put(pdf)
    payload: dict[str, Any] = {"materials": [m.to_dict() for m in records],
                               "changes": [describe(e) for e in plan.edits]}
    if override:
        payload["quality_override"] = override

    def write(w: sqlite_utils.Database) -> Status:
        current = cases.find_case(w, case_id)
        assert current is not None
        if current["head_seq"] != row["head_seq"]:
            raise UserError("编辑期间该办件已有新的操作，请重新打开办件后再修改", log=f"case {case_id} moved on")
        state = _check_allowed(w, current, org)
        action = ctx.action(case_id, ActionType.AMEND_MATERIALS, payload, item_code=current["item_code"], at=now)
        new_state = apply(state, action)
        released = cases.replace_materials(w, case_id, records, now.isoformat())
        write_action(ctx, w, action, new_state, current["head_seq"], current["head_hash"])
        log.info("case %s: materials amended (%s); rebuilt %s; %d blobs released", current["case_no"],
                 ", ".join(e["op"] for e in payload["changes"]), rebuilt, len(released))
        return new_state.status

    status = ctx.store.write(write)
    return Amended(case_id, row["case_no"], status, tuple(rebuilt), tuple(dropped), tuple(flags))


def _check_allowed(db: sqlite_utils.Database, row: dict[str, Any], org: str) -> CaseState:
    state = current_state(db, row["id"])
    why = with_unit_names(db, authority_refusal(state, row["org"], org, ActionType.AMEND_MATERIALS)) or \
        refusal(state, ActionType.AMEND_MATERIALS)
    if why:
        raise InvalidTransition(why, log=f"amend_materials refused in state {state.status}")
    return state


def _process_sources(ctx: AppContext, plan: EditPlan,
                     options: IntakeOptions) -> tuple[list[list[ProcessedPage]], list[PageFlag]]:
    """The new pages of every edit that brings some, in one pipeline batch."""
    names = {e.source: e.material for e in plan.edits if isinstance(e, InsertPages | ReplacePage | AddMaterial)}
    inputs = [MaterialInput(names.get(i, ""), files) for i, files in enumerate(plan.sources)]
    return run_pipeline(ctx, inputs, options) if inputs else ([], [])


def _resolver(plan: EditPlan, processed: Sequence[Sequence[ProcessedPage]]) -> Callable[[int], Sequence[Page]]:
    """The pages an edit brings; a clear refusal when the pipeline left none (all blank)."""
    what = {}
    for e in plan.edits:
        if isinstance(e, ReplacePage):
            what[e.source] = Message("材料“{material}”第{page}页重新扫描的页面是空白页",
                                     material=e.material, page=e.page)
        elif isinstance(e, InsertPages):
            what[e.source] = Message("材料“{material}”要插入的页面都是空白页", material=e.material)
        elif isinstance(e, AddMaterial):
            what[e.source] = Message("新增材料“{material}”的各页都是空白页", material=e.material)

    def resolve(source: int) -> Sequence[Page]:
        if not processed[source]:
            raise UserError("{what}，请检查纸张是否放反后重新扫描",
                            what=what[source], log=f"source {source}: every page blank")
        return processed[source]

    return resolve


def _draft(m: cases.MaterialRecord) -> Draft[Page]:
    slots: tuple[Slot[Page], ...] = tuple(Slot(p, p.rotation) for p in m.pages)
    return Draft(m.name, slots, m.id)


def _stored(slot: Slot[Page]) -> cases.PageRecord:
    page = slot.page
    if isinstance(page, ProcessedPage):
        return page_record(page, slot.rotation)
    return cases.PageRecord(page.sha256, page.bytes, page.kind, page.blank, page.warnings, slot.rotation)


def _bytes(ctx: AppContext, page: Page) -> bytes:
    return page.data if isinstance(page, ProcessedPage) else ctx.store.blobs.read(page.sha256)
