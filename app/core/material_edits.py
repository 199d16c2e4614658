"""Editing a case's materials before acceptance (补正材料): the edits and their rules.

The clerk inserts, deletes, moves, turns or rescans pages of a material, adds a material the
applicant brought after the one-time notice, or removes one handed in by mistake. Edits
apply in the order given; a page number counts from 1 in the material as it stands after
the edits before it — what the clerk sees on screen at that moment.

Pure: a page is an opaque value ``P`` (the service passes stored pages and pages fresh from
the pipeline), and the pages an edit brings are looked up through ``resolve`` from the
edit's ``source`` (the files it names), so nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from app.core.errors import UserError

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Slot(Generic[P]):
    """A page in its place in a material, with the clockwise turn it is shown with."""

    page: P
    rotation: int = 0


@dataclass(frozen=True, slots=True)
class Draft(Generic[P]):
    """A material being edited: its name, its pages in order, its id (None: added now)."""

    name: str
    slots: tuple[Slot[P], ...]
    id: str | None = None


@dataclass(frozen=True, slots=True)
class InsertPages:
    """New pages before page ``at`` (one past the last page appends them)."""

    material: str
    at: int
    source: int


@dataclass(frozen=True, slots=True)
class ReplacePage:
    """Page ``page`` rescanned: the source must give exactly one page; its turn starts at 0."""

    material: str
    page: int
    source: int


@dataclass(frozen=True, slots=True)
class DeletePage:
    material: str
    page: int


@dataclass(frozen=True, slots=True)
class MovePage:
    """Page ``page`` taken out and put back so that it becomes page ``to``."""

    material: str
    page: int
    to: int


@dataclass(frozen=True, slots=True)
class RotatePage:
    """Page ``page`` turned by ``turn`` degrees clockwise (a multiple of 90; negative turns left)."""

    material: str
    page: int
    turn: int


@dataclass(frozen=True, slots=True)
class AddMaterial:
    material: str
    source: int


@dataclass(frozen=True, slots=True)
class RemoveMaterial:
    material: str


Edit = InsertPages | ReplacePage | DeletePage | MovePage | RotatePage | AddMaterial | RemoveMaterial


def describe(edit: Edit) -> dict[str, Any]:
    """The edit as the amendment action records it (without its files: the result has the pages)."""
    op = {InsertPages: "insert", ReplacePage: "rescan", DeletePage: "delete", MovePage: "move",
          RotatePage: "rotate", AddMaterial: "add", RemoveMaterial: "remove"}[type(edit)]
    out: dict[str, Any] = {"op": op, "material": edit.material}
    for key in ("page", "at", "to", "turn"):
        if hasattr(edit, key):
            out[key] = getattr(edit, key)
    return out


def label(edit: Edit) -> str:
    """What the edit did, for the clerk: «申请表：第2页顺时针旋转90°»."""
    m = f"材料“{edit.material}”"
    match edit:
        case InsertPages(at=at):
            return f"{m}：在第{at}页前插入新页"
        case ReplacePage(page=page):
            return f"{m}：第{page}页重新扫描"
        case DeletePage(page=page):
            return f"{m}：删除第{page}页"
        case MovePage(page=page, to=to):
            return f"{m}：第{page}页移至第{to}页"
        case RotatePage(page=page, turn=turn):
            return f"{m}：第{page}页{'顺' if turn > 0 else '逆'}时针旋转{abs(turn)}°"
        case AddMaterial():
            return f"新增{m}"
        case RemoveMaterial():
            return f"撤下{m}"


def apply_edits(drafts: Sequence[Draft[P]], edits: Sequence[Edit],
                resolve: Callable[[int], Sequence[P]]) -> list[Draft[P]]:
    """The materials after ``edits``, in order; UserError (in Chinese) for an edit that cannot apply."""
    if not edits:
        raise UserError("没有要做的修改", log="amendment without edits")
    out = list(drafts)
    for edit in edits:
        out = _apply(out, edit, resolve)
    return out


def check_names(names: Sequence[str], edits: Sequence[Edit]) -> None:
    """Refuse edits naming a material that will not exist then (or adding one that will).

    Cheap, and exact without the pages: the service calls it before any scan is processed.
    """
    current = list(names)
    for edit in edits:
        if isinstance(edit, AddMaterial):
            name = edit.material.strip()
            if not name:
                raise UserError("请填写新增材料的名称", log="add material without a name")
            if name in current:
                raise UserError("材料“{name}”已经存在，如需补页请用插入",
                                name=name, log=f"add existing material {name!r}")
            current.append(name)
            continue
        if edit.material not in current:
            raise UserError("本办件没有名为“{material}”的材料；现有材料：{current}",
                            material=edit.material, current="、".join(current),
                            log=f"no material {edit.material!r}")
        if isinstance(edit, RemoveMaterial):
            if len(current) == 1:
                raise UserError("办件至少应保留一份材料", log="remove the only material")
            current.remove(edit.material)


def _apply(drafts: list[Draft[P]], edit: Edit, resolve: Callable[[int], Sequence[P]]) -> list[Draft[P]]:
    names = [d.name for d in drafts]
    check_names(names, [edit])
    if isinstance(edit, AddMaterial):
        name = edit.material.strip()
        pages = _pages(resolve, edit.source, f"新增材料“{name}”")
        return [*drafts, Draft(name, tuple(Slot(p) for p in pages))]
    i = names.index(edit.material)
    if isinstance(edit, RemoveMaterial):
        return [*drafts[:i], *drafts[i + 1:]]
    draft = drafts[i]
    slots = list(draft.slots)
    if isinstance(edit, InsertPages):
        _check_page(draft, edit.at, allow_end=True)
        new = _pages(resolve, edit.source, f"材料“{draft.name}”插入的页面")
        slots[edit.at - 1:edit.at - 1] = [Slot(p) for p in new]
    elif isinstance(edit, ReplacePage):
        _check_page(draft, edit.page)
        pages = resolve(edit.source)
        if len(pages) != 1:
            raise UserError("材料“{name}”第{page}页重新扫描时应只提交一页，实际为{count}页",
                            name=draft.name, page=edit.page, count=len(pages),
                            log=f"rescan of one page gave {len(pages)} pages")
        slots[edit.page - 1] = Slot(pages[0])
    elif isinstance(edit, DeletePage):
        _check_page(draft, edit.page)
        if len(slots) == 1:
            raise UserError("材料“{name}”只有一页，不能删除；如整份材料不需要，请撤下该材料", name=draft.name,
                            log="delete the only page")
        del slots[edit.page - 1]
    elif isinstance(edit, MovePage):
        _check_page(draft, edit.page)
        _check_page(draft, edit.to)
        slots.insert(edit.to - 1, slots.pop(edit.page - 1))
    elif isinstance(edit, RotatePage):
        _check_page(draft, edit.page)
        if edit.turn % 90 or not edit.turn:
            raise UserError("旋转角度应为 90、180 或 270 度（逆时针用负数）", log=f"bad turn {edit.turn!r}")
        old = slots[edit.page - 1]
        slots[edit.page - 1] = replace(old, rotation=(old.rotation + edit.turn) % 360)
    return [*drafts[:i], replace(draft, slots=tuple(slots)), *drafts[i + 1:]]


def _check_page(draft: Draft[P], n: int, *, allow_end: bool = False) -> None:
    last = len(draft.slots) + (1 if allow_end else 0)
    if not 1 <= n <= last:
        raise UserError("材料“{name}”没有第{n}页（共{count}页）", name=draft.name, n=n, count=len(draft.slots),
                        log=f"page {n} out of range 1..{last} in {draft.name!r}")


def _pages(resolve: Callable[[int], Sequence[P]], source: int, what: str) -> Sequence[P]:
    pages = resolve(source)
    if not pages:
        raise UserError("{what}没有可用的页面", what=what, log=f"source {source} gave no pages")
    return pages
