"""Intake drafts: what the clerk scanned and typed survives a closed window, a crash and a restart.

On a real encrypted data folder: pages go into a draft as they come out of the pipeline, the
applicant's fields are kept as typed, the item can change without losing the materials both
checklists name, 取消 lets the pages go for garbage collection, and 收件 turns the draft into a
case in one transaction. A SIGKILL inside the writing of the third material's first page
leaves the first two materials' pages, byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core.errors import NotFound
from app.services import drafts, queries
from app.services.context import AppContext
from app.services.maintenance import collect_garbage
from app.store.kill_points import ENV
from tests.conftest import PERSON
from tests.support import folders
from tests.support import pagegen as g

ITEM = "XK00147000"  # 个体工商户设立登记: three required materials
FORM, ID_CARD, PREMISES = "个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明"
DPI = 100


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "scans"
    folder.mkdir()
    return {name: g.save(folder / f"{name}.png", page(seed, DPI), dpi=DPI)
            for name, page, seed in (("a", g.text_page, 1), ("b", g.table_page, 2), ("c", g.text_page, 3),
                                     ("d", g.one_line_page, 4))}


def typed(person: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in person.items() if k in drafts.APPLICANT_FIELDS}


def test_a_draft_keeps_pages_and_fields_across_a_restart(data_dir: Path, scans: dict[str, Path]) -> None:
    ctx = folders.open_signed_in(data_dir)
    draft_id = drafts.start(ctx, ITEM)
    assert drafts.import_files(ctx, draft_id, FORM, [scans["a"], scans["b"]]) == 2
    assert drafts.import_files(ctx, draft_id, ID_CARD, [scans["c"]]) == 1
    drafts.save_applicant(ctx, draft_id, {"name": "韦秀", "phone": "138"})  # half typed: kept as it is
    before = drafts.load(ctx, draft_id)
    data = {p.sha256: drafts.page_bytes(ctx, p) for pages in before.materials.values() for p in pages}
    ctx.close()

    ctx = folders.open_signed_in(data_dir)
    try:
        (offered,) = drafts.open_drafts(ctx)
        assert (offered.id, offered.item_name, offered.applicant_name, offered.pages) == (
            draft_id, "个体工商户设立登记", "韦秀", 3)
        after = drafts.load(ctx, draft_id)
        assert list(after.materials) == [FORM, ID_CARD]  # in the checklist's order
        assert after.materials == before.materials
        assert {p.sha256: drafts.page_bytes(ctx, p) for ps in after.materials.values() for p in ps} == data
        assert after.applicant == {"name": "韦秀", "phone": "138"}
        assert drafts.missing_required(ctx, after) == (PREMISES,)
    finally:
        ctx.close()


def test_drafts_are_their_owners_own(ctx: AppContext) -> None:
    draft_id = drafts.start(ctx, ITEM)
    reviewer = folders.as_role(ctx, "reviewer")
    assert drafts.open_drafts(reviewer) == []
    with pytest.raises(NotFound):
        drafts.load(reviewer, draft_id)


def test_changing_the_item_keeps_the_materials_both_checklists_name(ctx: AppContext, scans: dict[str, Path]) -> None:
    draft_id = drafts.start(ctx, "GG00231000")  # 城乡居民基本养老保险参保登记
    drafts.import_files(ctx, draft_id, "申请人居民身份证", [scans["a"]])
    drafts.import_files(ctx, draft_id, "户口簿", [scans["b"]])
    drafts.import_files(ctx, draft_id, "城乡居民基本养老保险参保登记表", [scans["c"]])
    # 残疾人两项补贴申请 also asks for 申请人居民身份证 and 户口簿, not for the pension form.
    assert drafts.change_item(ctx, draft_id, "JF00318000") == ("城乡居民基本养老保险参保登记表",)
    assert drafts.load(ctx, draft_id).item_code == "GG00231000"  # not changed until the clerk agrees
    assert drafts.change_item(ctx, draft_id, "JF00318000", drop=True) == ("城乡居民基本养老保险参保登记表",)
    after = drafts.load(ctx, draft_id)
    assert after.item_code == "JF00318000"
    assert list(after.materials) == ["申请人居民身份证", "户口簿"]


def test_cancel_lets_the_pages_go_but_not_those_a_case_uses(ctx: AppContext, scans: dict[str, Path]) -> None:
    kept = drafts.start(ctx, ITEM)
    drafts.import_files(ctx, kept, FORM, [scans["a"]])
    gone = drafts.start(ctx, ITEM)
    drafts.import_files(ctx, gone, FORM, [scans["a"], scans["d"]])  # page a is in both drafts
    shared, only = drafts.load(ctx, gone).materials[FORM]
    drafts.discard(ctx, gone)
    assert collect_garbage(ctx).removed == 1
    assert not ctx.store.blobs.has(only.sha256) and ctx.store.blobs.has(shared.sha256)
    assert [d.id for d in drafts.open_drafts(ctx)] == [kept]


def test_receiving_a_draft_makes_the_case_and_ends_the_draft(ctx: AppContext, scans: dict[str, Path]) -> None:
    draft_id = drafts.start(ctx, ITEM)
    drafts.import_files(ctx, draft_id, FORM, [scans["a"], scans["b"]])
    drafts.import_files(ctx, draft_id, ID_CARD, [scans["c"]])
    drafts.import_files(ctx, draft_id, PREMISES, [scans["d"]])
    drafts.rotate_page(ctx, draft_id, FORM, 2, 90)
    drafts.move_page(ctx, draft_id, FORM, 2, 1)
    drafts.set_mark(ctx, draft_id, ID_CARD, "verified_original", True)
    drafts.save_applicant(ctx, draft_id, typed(PERSON))
    pages = drafts.load(ctx, draft_id).materials

    made = drafts.submit(ctx, draft_id)
    shown = queries.show_case(ctx, made.case_no)
    assert [m["name"] for m in shown["materials"]] == [FORM, ID_CARD, PREMISES]
    form = shown["materials"][0]["pages"]
    assert [p["sha256"] for p in form] == [p.sha256 for p in pages[FORM]]
    assert [p["rotation"] for p in form] == [90, 0]
    assert drafts.open_drafts(ctx) == []
    receive = ctx.store.reader().execute("SELECT payload FROM actions WHERE case_id = ?", [made.id]).fetchone()[0]
    assert ID_CARD in receive and "originals_verified" in receive
    assert collect_garbage(ctx).removed == 0  # every page of the draft is the case's now


def test_a_bad_applicant_keeps_the_draft(ctx: AppContext, scans: dict[str, Path]) -> None:
    draft_id = drafts.start(ctx, ITEM)
    drafts.import_files(ctx, draft_id, FORM, [scans["a"]])
    drafts.save_applicant(ctx, draft_id, {**typed(PERSON), "phone": "123"})
    with pytest.raises(Exception) as refused:
        drafts.submit(ctx, draft_id)
    assert "电话" in str(getattr(refused.value, "message", refused.value))
    assert drafts.load(ctx, draft_id).page_count() == 1


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.services import drafts
    from tests.support import folders
    data_dir, draft_id, *groups = sys.argv[1:]
    ctx = folders.open_signed_in(Path(data_dir))
    for group in groups:
        material, _, files = group.partition("=")
        drafts.import_files(ctx, draft_id, material, [Path(f) for f in files.split(",")])
    print("finished")
""")


def test_a_kill_while_the_third_material_is_stored_keeps_the_first_two(data_dir: Path, scans: dict[str, Path],
                                                                      ) -> None:
    ctx = folders.open_signed_in(data_dir)
    draft_id = drafts.start(ctx, ITEM)
    ctx.close()
    groups = [f"{FORM}={scans['a']},{scans['b']}", f"{ID_CARD}={scans['c']}", f"{PREMISES}={scans['d']}"]
    # Three pages stored, then the fourth page's blob is in place but its row not yet committed.
    env = {**os.environ, ENV: "blob.stored#4", "PYTHONPATH": str(Path(__file__).parents[1])}
    run = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(data_dir), draft_id, *groups], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == -9, run.stderr  # died where it was aimed
    ctx = folders.open_signed_in(data_dir)
    try:
        (offered,) = drafts.open_drafts(ctx)
        assert offered.pages == 3
        draft = drafts.load(ctx, draft_id)
        assert list(draft.materials) == [FORM, ID_CARD]
        assert drafts.check_pages(ctx, draft) == []
        assert collect_garbage(ctx).removed == 1  # the fourth page's blob, which no row names
        # Scanned again, the third material completes the draft.
        drafts.import_files(ctx, draft_id, PREMISES, [scans["d"]])
        assert drafts.missing_required(ctx, drafts.load(ctx, draft_id)) == ()
    finally:
        ctx.close()
