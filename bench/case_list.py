"""How fast the case list opens, searches and scrolls at 100 000 cases (DESIGN §2).

Every time is printed beside a baseline measured in the same run: a plain
``SELECT * FROM cases`` fetching all rows, the naive way of filling a list.
Each figure is the best of ``--repeat`` runs (caches warm, as on a clerk's machine after
the first minute). No assertions: the numbers are for people.

The same figures are then taken on a plaintext copy of the database, opened by the same code
with only the key left out, and the last table prints encrypted ÷ plaintext (target: ≤ 1.5×).

    python bench/case_list.py                     # seeds 100 000 cases in a temp folder
    python bench/case_list.py --data DIR          # reuse a seeded folder
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from app.core.case_list import DEFAULT_SORT, CaseFilter, LightFilter, Sort, SortKey
from app.services import queries
from app.services.context import AppContext, init_data_dir
from app.services.demo import seed_bulk
from app.store.database import DB_NAME
from app.ui.case_model import CaseTableModel, Column
from app.ui.qt import QApplication, QModelIndex
from tests.support import folders

ORG = "11450403MB0123456N"
SCREEN = 40  # rows visible in the window at 1366×768


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def read_screen(model: CaseTableModel, first: int) -> None:
    """What a view asks for when it paints a screen: every cell's text from ``first``."""
    for row in range(first, min(first + SCREEN, model.rowCount())):
        for column in Column:
            model.data(model.index(row, column, QModelIndex()))


def open_list(ctx: AppContext, search: str | None = None, *, where: CaseFilter | None = None,
              order: Sort = DEFAULT_SORT) -> int:
    model = CaseTableModel(lambda ids: queries.case_rows(ctx, ids))
    model.set_ids(queries.case_ids(ctx, where, order, search=search))
    read_screen(model, 0)
    return model.rowCount()


def plain_select(ctx: AppContext) -> int:
    from app.store import sqlite

    conn = sqlite.open_keyed(ctx.store.path, ctx.store.key)
    try:
        return len(conn.execute("SELECT * FROM cases").fetchall())
    finally:
        conn.close()


def report(label: str, ms: float, baseline: float, note: str = "") -> None:
    print(f"{label:<34} {ms:9.1f} ms = {ms / baseline:5.2f}× plain SELECT{note}")
    FIGURES[label] = ms


FIGURES: dict[str, float] = {}


def plaintext_copy(ctx: AppContext, folder: Path) -> AppContext:
    """The same folder with a plaintext database, opened by the same code without the key."""
    from app.store import database, sqlite

    folder.mkdir(parents=True)
    shutil.copy(ctx.data_dir / "keys.json", folder / "keys.json")
    (folder / "blobs").mkdir()
    conn = sqlite.open_keyed(ctx.store.path, ctx.store.key)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(folder / DB_NAME)])
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute(f"PRAGMA plain.user_version = {conn.execute('PRAGMA user_version').fetchone()[0]}")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    sqlite.open_keyed = lambda target, key, **kw: sqlite.connect(target, **kw)
    database.is_plaintext = lambda path: False
    return folders.open_signed_in(folder)


def run(ctx: AppContext, repeat: int) -> None:
    ids = queries.case_ids(ctx)
    if not ids:
        raise SystemExit("the data folder has no cases")
    sample = queries.case_rows(ctx, [ids[len(ids) // 2]])[ids[len(ids) // 2]]
    searches = [("surname", sample.applicant[0]), ("part of a case number", sample.case_no[-8:]),
                ("item name", sample.item_name)]

    baseline = best_ms(lambda: plain_select(ctx), repeat)
    print(f"{len(ids)} cases; best of {repeat} runs; first screen = {SCREEN} rows × {len(Column)} columns")
    print(f"{'baseline: SELECT * FROM cases':<34} {baseline:9.1f} ms (all {len(ids)} rows)")
    report("open list (ids + reset + screen)", best_ms(lambda: open_list(ctx), repeat), baseline)
    report("  of which case_ids", best_ms(lambda: queries.case_ids(ctx), repeat), baseline)
    for label, text in searches:
        hits = open_list(ctx, text)
        report(f"search: {label}", best_ms(functools.partial(open_list, ctx, text), repeat),
               baseline, f"  ({text!r}: {hits} matches)")

    model = CaseTableModel(lambda ids: queries.case_rows(ctx, ids))
    model.set_ids(ids)
    rng = random.Random(5)
    positions = [rng.randrange(0, max(1, len(ids) - SCREEN)) for _ in range(10)]
    started = time.perf_counter()
    for first in positions:
        read_screen(model, first)
    scroll = (time.perf_counter() - started) * 1000
    report("scroll: 10 random screens (cold)", scroll, baseline, f"  ({scroll / 10:.1f} ms per screen)")
    def again() -> None:
        for first in positions:
            read_screen(model, first)

    report("  10 screens again (cached)", best_ms(again, repeat), baseline)
    print(f"  rows held by the model: {model.cached_rows} of {len(ids)}")
    report("status-bar counts (临近/超期)", best_ms(lambda: queries.light_counts(ctx), repeat), baseline)

    # Sorting and filtering run in SQL and return ids: each figure is a whole list opened.
    for key in SortKey:
        for descending in (False, True):
            order = Sort(key, descending)
            report(f"sort: {key} {'desc' if descending else 'asc'}",
                   best_ms(functools.partial(open_list, ctx, order=order), repeat), baseline)
    item_code = queries.listed_items(ctx)[0][0]
    person = queries.show_case(ctx, sample.id)["applicant"]["id_number"]
    filters = [("filter: 超期", CaseFilter(light=LightFilter.RED)),
               ("filter: 临近或超期", CaseFilter(light=LightFilter.YELLOW_OR_RED)),
               ("filter: 今日", CaseFilter(today=True)), ("filter: 我的 (nobody's)", CaseFilter(mine=True)),
               ("filter: 事项", CaseFilter(item_code=item_code)), ("filter: 退回", CaseFilter(returned=True)),
               ("search: ID number (lower-case x)", CaseFilter(search=person.lower())),
               ("filter: 事项 + 超期, by light", CaseFilter(item_code=item_code, light=LightFilter.RED))]
    for label, where in filters:
        hits = len(queries.case_ids(ctx, where))
        report(label, best_ms(functools.partial(open_list, ctx, where=where), repeat), baseline, f"  ({hits} cases)")
    # The seeded cases' actions are all by "bench": as that person, 我的 is every case.
    bench_person = dataclasses.replace(ctx, session=dataclasses.replace(ctx.session, user="bench"))
    report("filter: 我的 (every case's)", best_ms(
        functools.partial(open_list, bench_person, where=CaseFilter(mine=True)), repeat), baseline)
    report("status-bar counts, one item", best_ms(
        lambda: queries.light_counts(ctx, CaseFilter(item_code=item_code)), repeat), baseline)
    report("item filter's list of items", best_ms(lambda: queries.listed_items(ctx), repeat), baseline)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (default 100000)")
    parser.add_argument("--data", type=Path, help="an already seeded data folder to reuse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    temp: Path | None = None
    if args.data is not None:
        data = args.data
        if not (data / DB_NAME).is_file():
            init_data_dir(data, ORG)
            folders.enrol(data)
    else:
        temp = Path(tempfile.mkdtemp(prefix="chuangkou-bench-"))
        data = temp / "data"
        init_data_dir(data, ORG)
        folders.enrol(data)
    ctx = folders.open_signed_in(data)
    try:
        if temp is not None or not queries.case_ids(ctx):
            started = time.perf_counter()
            seed_bulk(ctx, args.cases)
            print(f"seeding {args.cases} cases: {time.perf_counter() - started:.1f} s (not part of the ratios)")
        run(ctx, args.repeat)
        encrypted = dict(FIGURES)
        FIGURES.clear()
        print("\n-- the same on a plaintext copy of the database --")
        scratch = Path(tempfile.mkdtemp(prefix="chuangkou-bench-plain-"))
        plain = plaintext_copy(ctx, scratch / "data")
        try:
            run(plain, args.repeat)
        finally:
            plain.close()
            shutil.rmtree(scratch, ignore_errors=True)
        print("\n-- encrypted ÷ plaintext (target ≤ 1.5×) --")
        for label, ms in encrypted.items():
            print(f"{label:<34} {ms:9.1f} ms / {FIGURES[label]:9.1f} ms = {ms / FIGURES[label]:5.2f}×")
    finally:
        ctx.close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
