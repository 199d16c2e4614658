"""免证 at intake, in the window: a material that is a licence the applicant holds instead of pages.

The licence's PDF is in the blob store as :func:`app.services.held_licences.fetch` leaves it (that
fetch against the platform is tested in ``test_held_licences``); here the intake takes it as a
material without pages, the checklist counts it, 受理 goes through, and a reference that is not
what it says is refused with nothing written.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.lifecycle import ActionType
from app.services import case_actions, case_desk, counter, drafts
from app.services.context import AppContext
from app.services.intake import IntakeOptions, MaterialInput, new_case
from app.store import cases
from tests.conftest import PERSON
from tests.support.held import HELD_FOR, SCANNED, SUBSIDY, kept_licence, subsidy_materials


def _case_count(ctx: AppContext) -> int:
    return int(ctx.store.reader().execute("SELECT COUNT(*) FROM cases").fetchone()[0])


def test_a_held_licence_stands_for_a_material_without_pages_and_the_case_can_be_accepted(
        ctx: AppContext, pages: dict[str, Path]) -> None:
    licence = kept_licence(ctx)
    made = new_case(ctx, SUBSIDY, PERSON, subsidy_materials(pages["text"], licence))

    db = ctx.store.reader()
    records = {r.name: r for r in cases.material_records(db, made.id)}
    held = records[HELD_FOR]
    assert (held.licence_id, held.pdf_sha256, held.pages) == (licence.id, licence.sha256, ())
    assert held.to_dict()["licence_id"] == licence.id
    assert "licence_id" not in records["户口簿"].to_dict()  # a scanned material's record is as before
    assert cases.MaterialRecord.from_dict(held.to_dict()) == held
    receive = db.execute("SELECT payload FROM actions WHERE case_id = ? AND seq = 1", [made.id]).fetchone()[0]
    assert licence.id in receive

    row = cases.find_case(db, made.id)
    assert row is not None and case_actions.missing_required(ctx, db, row) == []
    assert case_desk.take(ctx, made.id, ActionType.ACCEPT).status.value == "accepted"


def test_a_licence_reference_that_is_not_what_it_says_is_refused_with_nothing_written(
        ctx: AppContext, pages: dict[str, Path]) -> None:
    good = kept_licence(ctx)
    bad_check = good.id[:-1] + ("0" if good.id[-1] != "0" else "1")
    missing = "ab" * 32
    refused = {
        "校验位": replace(good, id=bad_check),
        "不在本机": replace(good, sha256=missing),
        "证照类型": kept_licence(ctx, "11100000MB0143259B001"),
    }
    before = _case_count(ctx)
    for expected, ref in refused.items():
        with pytest.raises(UserError) as e:
            new_case(ctx, SUBSIDY, PERSON, subsidy_materials(pages["text"], ref))
        assert expected in e.value.message and HELD_FOR in e.value.message

    # a material the checklist does not tie to a licence type cannot be one
    with pytest.raises(UserError, match="不能以电子证照代替"):
        new_case(ctx, SUBSIDY, PERSON, [*(MaterialInput(n, (pages["text"],)) for n in SCANNED[:2]),
                                        MaterialInput("户口簿", (), licence=good)])

    # the kept PDF altered on disk: it no longer opens as the blob it names
    path = ctx.store.blobs.path(good.sha256)
    sealed = bytearray(path.read_bytes())
    sealed[-1] ^= 1
    path.write_bytes(bytes(sealed))
    with pytest.raises(UserError, match="已损坏"):
        new_case(ctx, SUBSIDY, PERSON, subsidy_materials(pages["text"], good))
    assert _case_count(ctx) == before


def test_a_draft_accepted_with_a_held_licence_chosen_hands_it_in_instead_of_its_pages(
        ctx: AppContext, pages: dict[str, Path]) -> None:
    draft_id = drafts.start(ctx, SUBSIDY)
    drafts.save_applicant(ctx, draft_id, {k: str(v) for k, v in PERSON.items() if isinstance(v, str)})
    for name in SCANNED:
        drafts.import_files(ctx, draft_id, name, [pages["text"]])
    with pytest.raises(UserError, match=HELD_FOR):  # without the licence, the material is missing
        counter.accept(ctx, draft_id)
    drafts.import_files(ctx, draft_id, HELD_FOR, [pages["text"]])  # scanned before the licence was chosen
    licence = kept_licence(ctx)
    done = counter.accept(ctx, draft_id, IntakeOptions(held={HELD_FOR: licence}))

    records = {r.name: r for r in cases.material_records(ctx.store.reader(), done.case_id)}
    assert (records[HELD_FOR].licence_id, records[HELD_FOR].pdf_sha256, records[HELD_FOR].pages) == (
        licence.id, licence.sha256, ())
    assert all(len(records[n].pages) == 1 for n in SCANNED) and done.status == "accepted"
