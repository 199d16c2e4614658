"""Intake (收件): a new case from an applicant, an item and the pages of its materials.

Every page goes through the page pipeline (:mod:`app.imaging.pipeline`): blank pages are
left out unless the clerk keeps them, and pages the quality gate flags refuse the intake
unless the clerk gives a reason, which the RECEIVE action records with the pages it covers.

Everything that can be refused is checked before anything is written. Pages and PDFs go
to the blob store first (each blob atomic); then one transaction writes the case, its
materials and its first action. A crash in between leaves only unreferenced blobs, which
:func:`app.services.maintenance.collect_garbage` removes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from app.core.applicants import Applicant, identifier, parse_applicant
from app.core.case_numbers import case_no_prefix, make_case_no
from app.core.catalog import CatalogItem
from app.core.chain import GENESIS, is_sha256
from app.core.errors import Message, UserError
from app.core.licence_ids import parse as parse_licence_id
from app.core.lifecycle import ActionType, check_payload, start
from app.core.settings import name_list
from app.documents.material_pdf import PdfPage, build_material_pdf
from app.imaging.decode import RawPage, iter_pages
from app.imaging.geometry import Source
from app.imaging.pipeline import PipelineOptions, process_batch
from app.imaging.pipeline import ProcessedPage as ProcessedPage  # the window holds scanned pages
from app.imaging.quality import BLANK, MESSAGES
from app.services.case_actions import write_action
from app.services.context import AppContext
from app.store import cases, drafts
from app.store.blobs import sha256_hex

log = logging.getLogger("services.intake")


@dataclass(frozen=True, slots=True)
class HeldLicenceRef:
    """A licence the applicant already holds, standing in for a material's pages (免证): its
    identifier and the SHA-256 of its PDF, which :func:`app.services.held_licences.fetch` has
    put in the blob store."""

    id: str
    sha256: str


@dataclass(frozen=True, slots=True)
class MaterialInput:
    """A material as the clerk hands it in: its name and the files of its pages, and/or pages
    already through the pipeline (scanned at the window: not processed a second time), or
    else a licence the applicant holds (``licence``) and no pages at all."""

    name: str
    files: tuple[Path, ...]
    pages: tuple[ProcessedPage, ...] = ()
    #: the clockwise turn of each of ``pages`` (a draft's pages may have been turned); () = none
    rotations: tuple[int, ...] = ()
    licence: HeldLicenceRef | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    """The case received, the blank pages left out and the flagged pages received anyway."""

    id: str
    case_no: str
    dropped_blank: tuple[PageFlag, ...] = ()
    accepted_warnings: tuple[PageFlag, ...] = ()


def parse_material_arg(text: str) -> MaterialInput:
    """``名称=p1.jpg,p2.png`` as the command line takes it."""
    name, sep, files = text.partition("=")
    if not sep or not name.strip() or not files.strip():
        raise UserError("材料参数“{text}”格式应为：材料名称=第1页.jpg,第2页.png", text=text,
                        log=f"bad --material argument {text!r}")
    paths = tuple(Path(f.strip()) for f in files.split(",") if f.strip())
    return MaterialInput(name.strip(), paths)


def page_message(code: str, page_no: int) -> str:
    """What the clerk reads for a page's warning code (or ``blank``), page numbered from 1."""
    template = MESSAGES.get(code)
    return Message(template, n=page_no) if template else Message("第{page_no}页：{code}", page_no=page_no, code=code)


@dataclass(frozen=True, slots=True)
class PageFlag:
    """A page the clerk should hear about: which material, which page (from 1), what was found.

    ``page_no`` is the page's place in the material as stored (what ``case show`` numbers);
    for a blank page left out, its place among the pages handed in.
    """

    material: str
    page_no: int
    code: str

    def message(self) -> str:
        return Message("材料“{material}”：{problem}",
                       material=self.material, problem=page_message(self.code, self.page_no))

    def to_dict(self) -> dict[str, object]:
        return {"material": self.material, "page": self.page_no, "code": self.code, "message": self.message()}


class PageQualityError(UserError):
    """Pages failed the quality gate; nothing was written. ``flags`` lists them in order."""

    def __init__(self, flags: Sequence[PageFlag]) -> None:
        self.flags = tuple(flags)
        # One line per page, each its own message (so each is translated); the joining template
        # has no words of its own, so it needs no translation.
        lines = Message("\n".join(f"{{page{i}}}" for i in range(len(self.flags))),
                        **{f"page{i}": f.message() for i, f in enumerate(self.flags)})
        super().__init__("以下页面需要处理，请重新扫描；如确认无误，可注明理由后收件：\n{lines}", lines=lines,
                         log=f"quality gate refused {len(self.flags)} pages: "
                             + ", ".join(f"{f.material}#{f.page_no}:{f.code}" for f in self.flags))


@dataclass(frozen=True, slots=True)
class IntakeOptions:
    """The clerk's choices for one intake.

    ``accept_warnings``: the reason for receiving pages that failed the quality gate (None:
    refuse them). ``keep_blank``: keep blank pages (the back sides of simplex paper fed
    through duplex are dropped by default). ``source``: where the pages come from.
    ``held``: material name → the licence the applicant holds that stands for it (免证), chosen
    at the window; such a material is handed in as that licence, not as its draft pages.
    """

    accept_warnings: str | None = None
    keep_blank: bool = False
    source: Source = "auto"
    held: Mapping[str, HeldLicenceRef] = field(default_factory=dict)


def color_materials(ctx: AppContext) -> frozenset[str]:
    return name_list(ctx.settings.get("imaging.color_materials"))


def pipeline_options(ctx: AppContext, material: str, source: Source) -> PipelineOptions:
    """How the pages of ``material`` go through the pipeline (colour kept where the unit says)."""
    forced = color_materials(ctx)
    return PipelineOptions(source=source, force_color="*" in forced or material in forced)


def _jobs(ctx: AppContext, materials: Sequence[MaterialInput], options: IntakeOptions,
          origin: list[int]) -> Iterator[tuple[RawPage, PipelineOptions]]:
    """Every page of every material's files, decoded lazily; ``origin`` gets each page's
    material index."""
    for i, m in enumerate(materials):
        page_options = pipeline_options(ctx, m.name, options.source)
        for path in m.files:
            try:
                for raw in iter_pages(path):
                    origin.append(i)
                    yield raw, page_options
            except UserError as e:
                raise UserError("材料“{name}”：{detail}",
                                name=m.name, detail=e.message, log=f"material {m.name!r}: {e.log}") from None


@dataclass(frozen=True, slots=True)
class ProcessedMaterials:
    """The pages of each material after the pipeline, and what the clerk must hear about them."""

    pages: tuple[tuple[ProcessedPage, ...], ...]
    dropped_blank: tuple[PageFlag, ...]
    warnings: tuple[PageFlag, ...]


def run_pipeline(ctx: AppContext, materials: Sequence[MaterialInput], options: IntakeOptions = IntakeOptions(),
                 ) -> tuple[list[list[ProcessedPage]], list[PageFlag]]:
    """Every material's pages through the pipeline (one batch), blank pages dropped unless kept.

    Returns the pages per material (possibly none, if all were blank) and the blank pages
    dropped. UserError for an unreadable file. No quality gate: see :func:`gate`.
    """
    origin: list[int] = []
    per_material: list[list[ProcessedPage]] = [[] for _ in materials]
    dropped: list[PageFlag] = []
    seen = [0] * len(materials)

    def keep(i: int, page: ProcessedPage) -> None:
        seen[i] += 1
        if page.blank and not options.keep_blank:
            dropped.append(PageFlag(materials[i].name, seen[i], BLANK))
        else:
            per_material[i].append(page)

    for i, m in enumerate(materials):
        for page in m.pages:
            keep(i, page)
    for n, page in enumerate(process_batch(_jobs(ctx, materials, options, origin))):
        keep(origin[n], page)
    return per_material, dropped


def gate(flags: Sequence[PageFlag], options: IntakeOptions) -> dict[str, object] | None:
    """The quality gate: PageQualityError for flagged pages without a reason.

    Returns what the action records when the clerk gave one (``quality_override``): who
    received which flagged pages and why stays on record. None when nothing was flagged.
    """
    if not flags:
        return None
    reason = (options.accept_warnings or "").strip()
    if not reason:
        raise PageQualityError(flags)
    return {"reason": reason, "pages": [{"material": f.material, "page": f.page_no, "code": f.code} for f in flags]}


def process_materials(ctx: AppContext, materials: Sequence[MaterialInput],
                      options: IntakeOptions = IntakeOptions()) -> ProcessedMaterials:
    """All pages through the pipeline, blank pages dropped unless kept, the quality gate applied.

    UserError for an unreadable file or a material left without pages; PageQualityError
    when pages have warnings and ``options.accept_warnings`` gives no reason.
    """
    per_material, dropped = run_pipeline(ctx, materials, options)
    for m, pages in zip(materials, per_material, strict=True):
        if not pages:
            raise UserError("材料“{name}”的各页都是空白页，请检查纸张是否放反后重新扫描", name=m.name,
                            log=f"material {m.name!r}: every page blank")
    flags = [PageFlag(m.name, n, w.code)
             for m, pages in zip(materials, per_material, strict=True)
             for n, p in enumerate(pages, 1) for w in p.warnings]
    gate(flags, options)
    return ProcessedMaterials(tuple(tuple(p) for p in per_material), tuple(dropped), tuple(flags))


def page_record(page: ProcessedPage, rotation: int = 0) -> cases.PageRecord:
    """How a page fresh from the pipeline is stored."""
    return cases.PageRecord(sha256_hex(page.data), len(page.data), page.kind, page.blank, page.warning_codes,
                            rotation)


def _held_licence(ctx: AppContext, item: CatalogItem, m: MaterialInput) -> tuple[HeldLicenceRef, int]:
    """The licence ``m`` stands for, checked: its identifier well-formed (canonical) and of the type
    the checklist ties the material to, its PDF here and still hashing to its name; with the PDF's
    size. UserError otherwise."""
    ref = m.licence
    assert ref is not None
    if m.files or m.pages:
        raise UserError("材料“{name}”已选用电子证照（免提交），不能同时扫描页面", name=m.name,
                        log=f"material {m.name!r}: a licence and pages")
    try:
        lid = parse_licence_id(ref.id)
    except UserError as e:
        raise UserError("材料“{name}”：{detail}", name=m.name, detail=e.message,
                        log=f"material {m.name!r}: {e.log}") from None
    wanted = next((c.licence_type for c in item.materials if c.name == m.name), None)
    if wanted is None:
        raise UserError("材料“{name}”不能以电子证照代替，请扫描材料", name=m.name,
                        log=f"material {m.name!r} of {item.code} names no licence type")
    if lid.type_code != wanted:
        raise UserError("材料“{name}”选用的电子证照不是该材料所需的证照类型，请重新选用或扫描材料", name=m.name,
                        log=f"material {m.name!r}: licence type {lid.type_code}, wanted {wanted}")
    if not is_sha256(ref.sha256) or not ctx.store.blobs.has(ref.sha256):
        raise UserError("材料“{name}”选用的电子证照文件不在本机，请重新选用该证照或扫描材料", name=m.name,
                        log=f"material {m.name!r}: licence blob {str(ref.sha256)[:12]} not here")
    if not ctx.store.blobs.verify(ref.sha256):
        raise UserError("材料“{name}”选用的电子证照文件已损坏，与证照库登记的不符，请重新选用该证照或扫描材料",
                        name=m.name, log=f"material {m.name!r}: licence blob {ref.sha256[:12]} does not verify")
    return HeldLicenceRef(str(lid), ref.sha256), len(ctx.store.blobs.read(ref.sha256))


def new_case(
    ctx: AppContext, item_code: str, applicant_data: object, materials: Sequence[MaterialInput],
    options: IntakeOptions = IntakeOptions(), *, draft_id: str | None = None, extra: dict[str, object] | None = None,
) -> NewCase:
    """Receive a case (state ``received``); UserError, with nothing written, on bad input.

    ``draft_id``: the draft this case comes from, deleted in the same transaction (a crash
    leaves either the draft or the case, never both). ``extra``: more the receive action
    records (the clerk's marks on the checklist).
    """
    ctx.check_role(ActionType.RECEIVE, None)
    check_payload(ActionType.RECEIVE, extra or {})  # e.g. the channel (窗口/网上) the 月报 counts by
    org = ctx.settings.get("unit.org")
    item = ctx.catalog.get(item_code.strip().upper())
    if item is None:
        raise UserError("事项编码“{item_code}”不在本单位的事项目录中，请用 catalog list 查看", item_code=item_code,
                        log=f"unknown item code {item_code!r}")
    applicant: Applicant = parse_applicant(applicant_data, ctx.today())
    if not materials:
        raise UserError("请至少提交一份材料", log="case without materials")
    names = [m.name for m in materials]
    if len(set(names)) != len(names):
        raise UserError("同一材料名称出现了多次，请把同一材料的各页写在一起", log=f"duplicate material names {names}")
    held = {m.name: _held_licence(ctx, item, m) for m in materials if m.licence is not None}
    scanned = [m for m in materials if m.licence is None]
    processed = process_materials(ctx, scanned, options)

    case_id, received_at = ctx.new_id(), ctx.clock()
    # The case number is only given inside the write transaction; the PDFs carry the case
    # id, which is known now, so they can be built and stored before it.
    # Every PDF is built before the first blob is written: a failure here leaves nothing.
    built = []
    for m, pages in zip(scanned, processed.pages, strict=True):
        turns = {id(p): r for p, r in zip(m.pages, m.rotations, strict=False)}
        stored = tuple(page_record(p, turns.get(id(p), 0)) for p in pages)
        pdf = build_material_pdf([PdfPage(p.data, r.rotation) for p, r in zip(pages, stored, strict=True)],
                                 case_id=case_id, material=m.name,
                                 page_hashes=[r.sha256 for r in stored], created=received_at)
        built.append((m, pages, stored, pdf))
    by_name = {}
    for m, pages, stored, pdf in built:
        for p in pages:
            ctx.store.blobs.put(p.data)
        by_name[m.name] = cases.MaterialRecord(
            id=ctx.new_id(), name=m.name, pdf_sha256=ctx.store.blobs.put(pdf), pdf_bytes=len(pdf), pages=stored)
    for name, (ref, size) in held.items():
        by_name[name] = cases.MaterialRecord(id=ctx.new_id(), name=name, pdf_sha256=ref.sha256, pdf_bytes=size,
                                             pages=(), licence_id=ref.id)
    records = [by_name[m.name] for m in materials]
    prefix = case_no_prefix(org, received_at.date(), ctx.settings.get("unit.window_no"))
    payload: dict[str, object] = {
        "item_code": item.code, "applicant": applicant.to_dict(),
        "materials": [{"name": r.name, "pdf_sha256": r.pdf_sha256, "pages": [p.sha256 for p in r.pages],
                       **({"licence_id": r.licence_id} if r.licence_id else {})} for r in records],
    }
    override = gate(processed.warnings, options)
    if override:
        payload["quality_override"] = override
    payload.update({k: v for k, v in (extra or {}).items() if v})
    action = ctx.action(case_id, ActionType.RECEIVE, payload, item_code=item.code, at=received_at)

    def write(db: sqlite_utils.Database) -> str:
        case_no = make_case_no(prefix, cases.last_sequence(db, prefix) + 1)
        cases.insert_case(
            db, case_id=case_id, case_no=case_no, item_code=item.code, item_name=item.name, org=org,
            applicant_id=f"{applicant.kind}:{identifier(applicant)}", applicant=applicant.to_dict(),
            identifier=identifier(applicant), received_at=received_at, materials=records,
        )
        write_action(ctx, db, action, start(action), 0, GENESIS)
        if draft_id is not None:
            drafts.delete(db, draft_id)
        return case_no

    case_no = ctx.store.write(write)
    log.info("received case %s (%s) with %d materials, %d blank pages dropped, %d warnings accepted",
             case_no, case_id, len(records), len(processed.dropped_blank), len(processed.warnings))
    return NewCase(case_id, case_no, processed.dropped_blank, processed.warnings)
