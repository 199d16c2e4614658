"""Intake (收件): a new case from an applicant, an item and the pages of its materials.

Everything that can be refused is checked before anything is written. Pages and PDFs go
to the blob store first (each blob atomic); then one transaction writes the case, its
materials and its first action. A crash in between leaves only unreferenced blobs, which
:func:`app.services.maintenance.collect_garbage` removes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from app.core.applicants import Applicant, identifier, parse_applicant
from app.core.case_numbers import case_no_prefix, make_case_no
from app.core.chain import GENESIS
from app.core.errors import UserError
from app.core.lifecycle import Action, ActionType, start
from app.documents.material_pdf import build_material_pdf
from app.imaging.pages import PageImage, load_pages
from app.services.case_actions import write_action
from app.services.context import AppContext
from app.store import cases
from app.store.blobs import sha256_hex

log = logging.getLogger("services.intake")


@dataclass(frozen=True, slots=True)
class MaterialInput:
    """A material as the clerk hands it in: its name and the files of its pages."""

    name: str
    files: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class NewCase:
    id: str
    case_no: str


def parse_material_arg(text: str) -> MaterialInput:
    """``名称=p1.jpg,p2.png`` as the command line takes it."""
    name, sep, files = text.partition("=")
    if not sep or not name.strip() or not files.strip():
        raise UserError(f"材料参数“{text}”格式应为：材料名称=第1页.jpg,第2页.png",
                        log=f"bad --material argument {text!r}")
    paths = tuple(Path(f.strip()) for f in files.split(",") if f.strip())
    return MaterialInput(name.strip(), paths)


def _load_material(m: MaterialInput) -> list[PageImage]:
    pages: list[PageImage] = []
    for path in m.files:
        try:
            pages.extend(load_pages(path))
        except UserError as e:
            raise UserError(f"材料“{m.name}”：{e.message}", log=f"material {m.name!r}: {e.log}") from None
    return pages


def new_case(
    ctx: AppContext, item_code: str, applicant_data: object, materials: Sequence[MaterialInput]
) -> NewCase:
    """Receive a case (state ``received``); UserError, with nothing written, on bad input."""
    org = ctx.settings.get("unit.org")
    item = ctx.catalog.get(item_code.strip().upper())
    if item is None:
        raise UserError(f"事项编码“{item_code}”不在本单位的事项目录中，请用 catalog list 查看",
                        log=f"unknown item code {item_code!r}")
    applicant: Applicant = parse_applicant(applicant_data, ctx.today())
    if not materials:
        raise UserError("请至少提交一份材料", log="case without materials")
    names = [m.name for m in materials]
    if len(set(names)) != len(names):
        raise UserError("同一材料名称出现了多次，请把同一材料的各页写在一起", log=f"duplicate material names {names}")
    loaded = [(m, _load_material(m)) for m in materials]

    case_id, received_at = ctx.new_id(), ctx.clock()
    # The case number is only given inside the write transaction; the PDFs carry the case
    # id, which is known now, so they can be built and stored before it.
    # Every PDF is built before the first blob is written: a failure here leaves nothing.
    built = []
    for m, pages in loaded:
        hashes = [sha256_hex(p.data) for p in pages]
        pdf = build_material_pdf([p.data for p in pages], case_id=case_id, material=m.name,
                                 page_hashes=hashes, created=received_at)
        built.append((m, pages, hashes, pdf))
    records = []
    for m, pages, hashes, pdf in built:
        for p in pages:
            ctx.store.blobs.put(p.data)
        records.append(cases.MaterialRecord(
            id=ctx.new_id(), name=m.name, pdf_sha256=ctx.store.blobs.put(pdf), pdf_bytes=len(pdf),
            pages=tuple(cases.PageRecord(h, len(p.data), p.kind) for h, p in zip(hashes, pages, strict=True)),
        ))
    prefix = case_no_prefix(org, received_at.date(), ctx.settings.get("unit.window_no"))
    action = Action(
        id=ctx.new_id(), case_id=case_id, type=ActionType.RECEIVE, actor=ctx.actor, at=received_at,
        payload={
            "item_code": item.code, "applicant": applicant.to_dict(),
            "materials": [{"name": r.name, "pdf_sha256": r.pdf_sha256,
                           "pages": [p.sha256 for p in r.pages]} for r in records],
        },
    )

    def write(db: sqlite_utils.Database) -> str:
        case_no = make_case_no(prefix, cases.last_sequence(db, prefix) + 1)
        cases.insert_case(
            db, case_id=case_id, case_no=case_no, item_code=item.code, item_name=item.name, org=org,
            applicant_id=f"{applicant.kind}:{identifier(applicant)}", applicant=applicant.to_dict(),
            identifier=identifier(applicant), received_at=received_at, materials=records,
        )
        write_action(ctx, db, action, start(action), 0, GENESIS)
        return case_no

    case_no = ctx.store.write(write)
    log.info("received case %s (%s) with %d materials", case_no, case_id, len(records))
    return NewCase(case_id, case_no)
