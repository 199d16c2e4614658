"""An intake in progress, kept as a draft (:mod:`app.store.drafts`) until it is received or cancelled.

The window starts a draft when the clerk starts an intake and writes to it as they go: each
page the moment it comes out of the pipeline (blob first, then its row), the applicant's
fields as they are typed, the marks on the checklist. So nothing scanned is lost to a closed
window, a crash or a power cut, and after a restart the clerk picks up where they were.

A draft belongs to the person who started it and never leaves this PC. :func:`submit`
receives it as a case through :func:`app.services.intake.new_case`, deleting it in the same
transaction.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from app.core.catalog import CatalogItem
from app.core.errors import NotFound, UserError
from app.core.lifecycle import ActionType
from app.core.paper import PAGE_ROTATIONS
from app.imaging.arrays import Image
from app.imaging.pipeline import ProcessedPage, process_page
from app.imaging.quality import MESSAGES, PageWarning
from app.imaging.thumbnail import preview
from app.services import camera, devices, intake, items
from app.services.context import AppContext
from app.store import drafts
from app.store.crypto import WrongKey
from app.store.drafts import DraftPage as DraftPage  # the window shows these

log = logging.getLogger("services.drafts")

#: the applicant fields a draft keeps as typed (anything else handed in is ignored)
APPLICANT_FIELDS = ("kind", "name", "id_type", "id_number", "phone", "address", "credit_code",
                    "legal_rep_name", "legal_rep_id_number", "sex", "birth_date", "valid_until")
#: what a clerk can mark on a material of the checklist
Mark = Literal["verified_original", "not_provided"]
MARKS: tuple[Mark, ...] = ("verified_original", "not_provided")
MAX_FIELD = 200


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as the window shows it: pages by material (in checklist order), fields, marks."""

    id: str
    item_code: str
    applicant: dict[str, str]
    materials: dict[str, tuple[DraftPage, ...]]
    marks: dict[str, tuple[Mark, ...]]
    updated_at: str

    def page_count(self) -> int:
        return sum(len(p) for p in self.materials.values())


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """One line of the list of open drafts offered after a restart."""

    id: str
    item_code: str
    item_name: str
    applicant_name: str
    pages: int
    updated_at: str


def _now(ctx: AppContext) -> str:
    return ctx.clock().isoformat()


def _row(db: sqlite_utils.Database, ctx: AppContext, draft_id: str) -> drafts.DraftRow:
    row = drafts.find(db, draft_id)
    if row is None or row.owner != ctx.session.user:
        raise NotFound("这份未完成的收件已不存在（可能已收件或已取消）",
                       log=f"no draft {draft_id!r} of {ctx.session.user}")
    return row


def start(ctx: AppContext, item_code: str = "") -> str:
    """A new draft of the signed-in person; returns its id."""
    ctx.check_role(ActionType.RECEIVE, None)
    draft_id, org, owner, now = ctx.new_id(), ctx.settings.get("unit.org"), ctx.session.user, _now(ctx)
    ctx.store.write(lambda db: drafts.create(db, draft_id, org, owner, item_code, now))
    log.info("draft %s started by %s", draft_id, owner)
    return draft_id


def open_drafts(ctx: AppContext) -> list[DraftSummary]:
    """The signed-in person's drafts, newest first (what the window offers after a restart)."""
    out = []
    for r in drafts.drafts_of(ctx.store.reader(), ctx.session.user):
        item = ctx.catalog.get(r["item_code"]) if r["item_code"] else None
        applicant = drafts.as_object(r["applicant"])
        out.append(DraftSummary(r["id"], r["item_code"], item.name if item else "", str(applicant.get("name", "")),
                                int(r["pages"]), r["updated_at"]))
    return out


def load(ctx: AppContext, draft_id: str) -> Draft:
    db = ctx.store.reader()
    row = _row(db, ctx, draft_id)
    by_material = drafts.pages(db, draft_id)
    item = ctx.catalog.get(row.item_code) if row.item_code else None
    order = [m.name for m in item.materials] if item else []
    names = [n for n in order if n in by_material] + sorted(n for n in by_material if n not in order)
    marks = {str(k): tuple(m for m in v if m in MARKS) for k, v in row.marks.items() if isinstance(v, list)}
    applicant = {k: str(v) for k, v in row.applicant.items() if k in APPLICANT_FIELDS}
    return Draft(row.id, row.item_code, applicant, {n: tuple(by_material[n]) for n in names}, marks, row.updated_at)


def save_applicant(ctx: AppContext, draft_id: str, fields: dict[str, str]) -> None:
    """Keep the applicant's fields as typed (checked only when the case is received)."""
    kept = {k: str(v)[:MAX_FIELD] for k, v in fields.items() if k in APPLICANT_FIELDS}
    now = _now(ctx)

    def write(db: sqlite_utils.Database) -> None:
        _row(db, ctx, draft_id)
        drafts.save_applicant(db, draft_id, kept, now)

    ctx.store.write(write)


def set_mark(ctx: AppContext, draft_id: str, material: str, mark: Mark, on: bool) -> None:
    """Mark a material 已核验原件 or 未提供 (or clear the mark)."""
    if mark not in MARKS:
        raise ValueError(f"unknown mark {mark!r}")
    now = _now(ctx)

    def write(db: sqlite_utils.Database) -> None:
        row = _row(db, ctx, draft_id)
        marks = {k: list(v) for k, v in row.marks.items() if isinstance(v, list)}
        current = [m for m in marks.get(material, []) if m != mark]
        marks[material] = [*current, mark] if on else current
        drafts.save_marks(db, draft_id, {k: v for k, v in marks.items() if v}, now)

    ctx.store.write(write)


def page_meta(page: ProcessedPage) -> dict[str, Any]:
    """What a draft keeps of a page besides its bytes, to give it back as it came from the pipeline."""
    return {"media_type": page.media_type, "kind": page.kind, "width": page.width, "height": page.height,
            "dpi": page.dpi, "blank": page.blank, "angle": page.angle, "upside_down": page.upside_down,
            "source": page.source, "warnings": [{"code": w.code, "detail": w.detail} for w in page.warnings]}


def add_page(ctx: AppContext, draft_id: str, material: str, page: ProcessedPage) -> int:
    """Store one page of ``material`` now (blob, then row); returns the material's page count.

    Safe to call from a scan's progress callback on a worker thread.
    """
    sha = ctx.store.blobs.put(page.data)
    stored = DraftPage(sha, page_meta(page))
    now = _now(ctx)

    def write(db: sqlite_utils.Database) -> int:
        _row(db, ctx, draft_id)
        return drafts.add_page(db, draft_id, material, stored, len(page.data), page.media_type, now)

    return ctx.store.write(write)


def processed_page(ctx: AppContext, page: DraftPage) -> ProcessedPage:
    """A stored draft page back as the pipeline gave it (its bytes read from the blob store)."""
    data = ctx.store.blobs.read(page.sha256)
    m = page.meta
    warnings = tuple(PageWarning(str(w["code"]), str(w.get("detail", ""))) for w in m.get("warnings", ())
                     if isinstance(w, dict) and w.get("code") in MESSAGES)
    return ProcessedPage(data=data, media_type=m.get("media_type", "image/jpeg"), kind=m.get("kind", "photo"),
                         width=int(m.get("width", 0)), height=int(m.get("height", 0)), dpi=float(m.get("dpi", 0.0)),
                         blank=bool(m.get("blank", False)), warnings=warnings, angle=float(m.get("angle", 0.0)),
                         upside_down=m.get("upside_down"), source=m.get("source", "scanner"))


def page_bytes(ctx: AppContext, page: DraftPage) -> bytes:
    """The page image (for a thumbnail or the viewer)."""
    return ctx.store.blobs.read(page.sha256)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """How many pages a scan added, and the scanner's message if it stopped early ("" if not)."""

    pages: int
    problem: str = ""


def scan(ctx: AppContext, draft_id: str, material: str, *, source: str | None = None,
         progress: Callable[[int], None] | None = None) -> ScanResult:
    """Scan one batch into ``material`` from ``source`` (flatbed, adf, duplex; None: the unit's
    setting), each page stored as it arrives; ``progress`` gets the material's page count."""
    def take(page: ProcessedPage) -> None:
        count = add_page(ctx, draft_id, material, page)
        if progress is not None:
            progress(count)

    outcome = devices.scan_material(ctx, material, source=source, progress=take)
    return ScanResult(len(outcome.pages), outcome.error.message if outcome.error else "")


def scan_at(ctx: AppContext, draft_id: str, material: str, page_no: int, *, replace: bool,
            source: str | None = None, progress: Callable[[int], None] | None = None) -> ScanResult:
    """Scan sheets into ``material`` and put them at page ``page_no`` (from 1): in place of that
    page (``replace``: a rescan) or before it (an insert; one past the last page appends).

    The pages are stored at the end as they arrive, like any scan, so a crash mid-scan loses
    none; once the scanner is done they move into place in one transaction, the replaced page
    going in the same one. A scan that brought nothing leaves the material as it was.
    """
    count = len(load(ctx, draft_id).materials.get(material, ()))
    last = count if replace else count + 1
    if not 1 <= page_no <= last:
        raise UserError("没有第{page_no}页（该材料共{count}页）", page_no=page_no, count=count,
                        log=f"scan at page {page_no} of {count}")
    result = scan(ctx, draft_id, material, source=source, progress=progress)
    if result.pages == 0:
        return result

    def edit(pages: list[DraftPage]) -> list[DraftPage]:
        # The scan's pages are the last ones: appends go to the end, and edits keep the order.
        old, new = pages[:-result.pages], pages[-result.pages:]
        at = min(page_no, len(old) + 1) - 1
        return [*old[:at], *new, *old[at + 1 if replace and at < len(old) else at:]]

    edit_pages(ctx, draft_id, material, edit)
    return result


def add_shot(ctx: AppContext, draft_id: str, material: str, shot: camera.Shot) -> int:
    """A document camera's picture of a sheet, through the pipeline's camera path, into ``material``."""
    force = "*" in intake.color_materials(ctx) or material in intake.color_materials(ctx)
    page = process_page(camera.shot_page(shot), camera.camera_options(force_color=force))
    return add_page(ctx, draft_id, material, page)


def thumbnail(ctx: AppContext, page: DraftPage, side: int) -> Image:
    """The page as RGB pixels fitting ``side``, turned as it is shown. UserError if unreadable."""
    try:
        return preview(ctx.store.blobs.read(page.sha256), side, page.rotation)
    except (FileNotFoundError, WrongKey, ValueError) as e:
        raise UserError("这一页的图像无法读取，请删除后重新扫描", log=f"thumbnail of {page.sha256[:12]}: {e}") from e


def import_files(ctx: AppContext, draft_id: str, material: str, files: Sequence[Path]) -> int:
    """Pages from image or PDF files into ``material`` (through the pipeline); returns pages added."""
    per_material, _dropped = intake.run_pipeline(
        ctx, [intake.MaterialInput(material, tuple(files))], intake.IntakeOptions(source="auto"))
    for page in per_material[0]:
        add_page(ctx, draft_id, material, page)
    return len(per_material[0])


def edit_pages(ctx: AppContext, draft_id: str, material: str,
               edit: Callable[[list[DraftPage]], list[DraftPage]]) -> tuple[DraftPage, ...]:
    """Apply ``edit`` to the material's pages in one transaction; returns the pages after it."""
    now = _now(ctx)

    def write(db: sqlite_utils.Database) -> tuple[DraftPage, ...]:
        _row(db, ctx, draft_id)
        pages = list(drafts.pages(db, draft_id).get(material, []))
        new = edit(list(pages))
        drafts.replace_pages(db, draft_id, material, new, now)
        return tuple(new)

    return ctx.store.write(write)


def _index(pages: Sequence[DraftPage], page_no: int) -> int:
    if not 1 <= page_no <= len(pages):
        raise UserError("没有第{page_no}页（该材料共{count}页）",
                        page_no=page_no, count=len(pages), log=f"page {page_no} of {len(pages)}")
    return page_no - 1


def rotate_page(ctx: AppContext, draft_id: str, material: str, page_no: int, turn: int = 90) -> tuple[DraftPage, ...]:
    """Turn page ``page_no`` (from 1) clockwise by ``turn`` degrees (its pixels stay as scanned)."""
    def edit(pages: list[DraftPage]) -> list[DraftPage]:
        i = _index(pages, page_no)
        rotation = (pages[i].rotation + turn) % 360
        if rotation not in PAGE_ROTATIONS:
            raise UserError("页面只能按90度旋转", log=f"bad turn {turn}")
        pages[i] = dataclasses.replace(pages[i], rotation=rotation)
        return pages
    return edit_pages(ctx, draft_id, material, edit)


def delete_page(ctx: AppContext, draft_id: str, material: str, page_no: int) -> tuple[DraftPage, ...]:
    def edit(pages: list[DraftPage]) -> list[DraftPage]:
        del pages[_index(pages, page_no)]
        return pages
    return edit_pages(ctx, draft_id, material, edit)


def move_page(ctx: AppContext, draft_id: str, material: str, page_no: int, to: int) -> tuple[DraftPage, ...]:
    """Move page ``page_no`` so that it becomes page ``to`` (both from 1)."""
    def edit(pages: list[DraftPage]) -> list[DraftPage]:
        page = pages.pop(_index(pages, page_no))
        pages.insert(_index([*pages, page], to), page)
        return pages
    return edit_pages(ctx, draft_id, material, edit)


def change_item(ctx: AppContext, draft_id: str, item_code: str, *, drop: bool = False) -> tuple[str, ...]:
    """Choose another item. Pages of materials the new item's checklist also names are kept.

    Returns the materials with pages that the new checklist does not name. Unless ``drop``,
    nothing changes while there are any (the window asks the clerk first); with ``drop`` they
    are deleted and the item changes.
    """
    item = _item(ctx, item_code)
    names = {m.name for m in item.materials}
    now = _now(ctx)

    def write(db: sqlite_utils.Database) -> tuple[str, ...]:
        _row(db, ctx, draft_id)
        orphans = tuple(sorted(n for n, p in drafts.pages(db, draft_id).items() if p and n not in names))
        if orphans and not drop:
            return orphans
        drafts.drop_materials(db, draft_id, orphans, now)
        drafts.set_item(db, draft_id, item.code, now)
        return orphans

    return ctx.store.write(write)


def discard(ctx: AppContext, draft_id: str) -> int:
    """Cancel the intake: the draft goes; its pages' blobs go at the next garbage collection.
    Returns how many blobs were let go."""
    def write(db: sqlite_utils.Database) -> set[str]:
        _row(db, ctx, draft_id)
        return drafts.delete(db, draft_id)

    released = ctx.store.write(write)
    log.info("draft %s discarded, %d blobs released", draft_id, len(released))
    return len(released)


def _item(ctx: AppContext, code: str) -> CatalogItem:
    item = ctx.catalog.get(code.strip().upper())
    if item is None:
        raise UserError("事项编码“{code}”不在本单位的事项目录中", code=code, log=f"unknown item code {code!r}")
    return item


def missing_required(ctx: AppContext, draft: Draft, held: Collection[str] = ()) -> tuple[str, ...]:
    """The required materials of the draft's item that have no pages (or are marked 未提供);
    a material in ``held`` is a licence the applicant holds (免证): there, without pages."""
    item = ctx.catalog.get(draft.item_code) if draft.item_code else None
    if item is None:
        return ()
    present = {n for n, pages in draft.materials.items() if pages} | set(held)
    return item.missing_required(n for n in present if "not_provided" not in draft.marks.get(n, ()))


def applicant_data(fields: dict[str, str]) -> dict[str, Any]:
    """The applicant as :func:`app.core.applicants.parse_applicant` takes it, from the typed fields."""
    if fields.get("kind") == "org":
        return {"kind": "org", "name": fields.get("name", ""), "credit_code": fields.get("credit_code", ""),
                "legal_rep": {"kind": "person", "name": fields.get("legal_rep_name", ""), "id_type": "resident_id",
                              "id_number": fields.get("legal_rep_id_number", ""), "phone": fields.get("phone", ""),
                              "address": fields.get("address", "")}}
    return {"kind": "person", "name": fields.get("name", ""), "id_type": fields.get("id_type") or "resident_id",
            "id_number": fields.get("id_number", ""), "phone": fields.get("phone", ""),
            "address": fields.get("address", "")}


def submit(ctx: AppContext, draft_id: str, options: intake.IntakeOptions | None = None) -> intake.NewCase:
    """Receive the draft as a case (state ``received``); the draft is deleted in the same
    transaction. UserError, with the draft untouched, on anything the intake refuses."""
    draft = load(ctx, draft_id)
    if not draft.item_code:
        raise UserError("请先选择办理事项", log="draft without an item")
    options = options or intake.IntakeOptions()
    materials = []
    for name, pages in draft.materials.items():
        if not pages or name in options.held or "not_provided" in draft.marks.get(name, ()):
            continue  # a held licence stands for the material: pages scanned before it was chosen stay out
        materials.append(intake.MaterialInput(name, (), tuple(processed_page(ctx, p) for p in pages),
                                              rotations=tuple(p.rotation for p in pages)))
    materials += [intake.MaterialInput(name, (), licence=ref) for name, ref in options.held.items()
                  if "not_provided" not in draft.marks.get(name, ())]
    verified = sorted(n for n, m in draft.marks.items() if "verified_original" in m and n in draft.materials)
    not_provided = sorted(n for n, m in draft.marks.items() if "not_provided" in m)
    extra: dict[str, object] = {"originals_verified": verified, "not_provided": not_provided}
    made = intake.new_case(ctx, draft.item_code, applicant_data(draft.applicant), materials,
                           options, draft_id=draft_id, extra=extra)
    try:
        items.note_used(ctx, draft.item_code)  # the item heads this person's recent items
    except UserError as e:  # the case is received; a missing recent item is no reason to say otherwise
        log.warning("case %s: recent item not noted: %s", made.case_no, e.log)
    return made


def check_pages(ctx: AppContext, draft: Draft) -> list[str]:
    """Pages whose blob is missing or damaged (for the window to say so, not to crash)."""
    return [f"材料“{name}”第{n}页" for name, pages in draft.materials.items()
            for n, p in enumerate(pages, 1) if not ctx.store.blobs.verify(p.sha256)]
