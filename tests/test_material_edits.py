"""The editing rules on their own: page numbers as the clerk sees them after each step."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import UserError
from app.core.lifecycle import check_materials
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
    label,
)

SOURCES = {0: ["n1", "n2"], 1: ["r"], 2: []}


def drafts(*materials: tuple[str, str]) -> list[Draft[str]]:
    return [Draft(name, tuple(Slot(p) for p in pages.split()), f"id-{name}") for name, pages in materials]


def pages(result: list[Draft[str]], name: str) -> list[tuple[str, int]]:
    (d,) = [d for d in result if d.name == name]
    return [(s.page, s.rotation) for s in d.slots]


def run(*edits: Edit) -> list[Draft[str]]:
    return apply_edits(drafts(("表", "a b c"), ("证", "x")), edits, lambda i: SOURCES[i])


def test_each_step_counts_pages_as_the_one_before_left_them() -> None:
    result = run(InsertPages("表", 2, 0),    # a n1 n2 b c
                 DeletePage("表", 4),         # a n1 n2 c
                 MovePage("表", 4, 1),        # c a n1 n2
                 ReplacePage("表", 2, 1),     # c r n1 n2
                 RotatePage("表", 1, 270), RotatePage("表", 1, 180))
    assert pages(result, "表") == [("c", 90), ("r", 0), ("n1", 0), ("n2", 0)]
    assert pages(result, "证") == [("x", 0)]
    assert [d.id for d in result] == ["id-表", "id-证"]


def test_insert_at_one_past_the_end_appends_and_a_rescan_starts_upright() -> None:
    result = run(RotatePage("表", 3, 90), InsertPages("表", 4, 1), ReplacePage("表", 3, 1))
    assert pages(result, "表") == [("a", 0), ("b", 0), ("r", 0), ("r", 0)]


def test_materials_are_added_at_the_end_and_removed_by_name() -> None:
    result = run(AddMaterial("户口簿", 0), RemoveMaterial("证"))
    assert [(d.name, d.id) for d in result] == [("表", "id-表"), ("户口簿", None)]
    assert pages(result, "户口簿") == [("n1", 0), ("n2", 0)]


@pytest.mark.parametrize(("edits", "message"), [
    ((InsertPages("表", 5, 0),), "没有第5页（共3页）"),
    ((ReplacePage("表", 1, 0),), "应只提交一页，实际为2页"),
    ((InsertPages("表", 1, 2),), "没有可用的页面"),
    ((DeletePage("证", 1),), "只有一页，不能删除"),
    ((RemoveMaterial("证"), RemoveMaterial("表")), "至少应保留一份材料"),
    ((RotatePage("表", 1, 0),), "旋转角度"),
    ((AddMaterial(" ", 0),), "请填写新增材料的名称"),
    ((RemoveMaterial("证"), RotatePage("证", 1, 90)), "本办件没有名为“证”的材料；现有材料：表"),
    ((), "没有要做的修改"),
])
def test_refusals_say_what_is_wrong(edits: tuple[Edit, ...], message: str) -> None:
    with pytest.raises(UserError, match=message):
        run(*edits)


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3), st.sampled_from([-90, 90, 180, 270])), max_size=12))
def test_moves_and_turns_keep_every_page_once(steps: list[tuple[int, int, int]]) -> None:
    edits: list[Edit] = []
    for page, to, turn in steps:
        edits += [MovePage("表", page, to), RotatePage("表", to, turn)]
    if not edits:
        return
    result = run(*edits)
    assert sorted(p for p, _ in pages(result, "表")) == ["a", "b", "c"]
    assert {r for _, r in pages(result, "表")} <= {0, 90, 180, 270}
    assert all(label(e) for e in edits)


@pytest.mark.parametrize("materials", [
    None, [], [{"name": "表"}], [{"name": "表", "pdf_sha256": "a", "pages": []}],
    [{"name": "表", "pdf_sha256": "a", "pages": [{"sha256": "b", "rotation": 45}]}],
    [{"name": "表", "pdf_sha256": "a", "pages": [{"sha256": "b", "rotation": True}]}],
    [{"name": "表", "pdf_sha256": "a", "pages": [{"sha256": "b"}]}] * 2,
])
def test_an_amendment_payload_must_list_materials_with_pages(materials: object) -> None:
    with pytest.raises(UserError):
        check_materials(materials)
