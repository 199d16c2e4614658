"""What a one-page edit of a long material costs against receiving that material anew.

A case is received with one material of N generated 150 dpi pages (text, tables, a mixed page);
then, in the same run, one page is turned, one page is rescanned and one page is inserted. The
edits reuse the stored pages and rebuild only that material's PDF, so each should cost a small
share of the intake. Printed: seconds for each, and the ratio to the intake; the blobs written
by each edit (new pages + PDFs); no assertions (the numbers are for people).

    python bench/amend.py               # 40 pages
    python bench/amend.py --pages 120
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from app.services.amend import amend_materials, parse_edits
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from tests.conftest import ORG, PERSON
from tests.support import folders, pagegen

DPI = 150
ITEM = "GG00231000"
GENERATORS = (pagegen.text_page, pagegen.table_page, pagegen.text_page, pagegen.mixed_page)


def _pages(folder: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        make = GENERATORS[i % len(GENERATORS)]
        out.append(pagegen.save(folder / f"p{i:03d}.png", make(i, DPI), DPI))
    return out


def _blob_files(folder: Path) -> int:
    return sum(1 for p in (folder / "blobs").rglob("*") if p.is_file())


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "scans").mkdir()
        files = _pages(root / "scans", args.pages)
        rescan = pagegen.save(root / "scans" / "rescan.png", pagegen.text_page(998, DPI), DPI)
        insert = pagegen.save(root / "scans" / "insert.png", pagegen.table_page(999, DPI), DPI)
        data = root / "unit"
        init_data_dir(data, ORG)
        folders.enrol(data)
        ctx: AppContext = folders.open_signed_in(data)
        try:
            made: list[str] = []
            intake = _timed(lambda: made.append(
                new_case(ctx, ITEM, PERSON, [MaterialInput("申请表", tuple(files))]).case_no))
            rows = [("intake", intake, _blob_files(data))]
            mid = str(args.pages // 2)
            for name, words in (("turn one page", ["rotate", "申请表", mid, "90"]),
                                ("rescan one page", ["rescan", "申请表", mid, str(rescan)]),
                                ("insert one page", ["insert", "申请表", "1", str(insert)])):
                before = _blob_files(data)
                seconds = _timed(lambda words=words: amend_materials(ctx, made[0], parse_edits([words])))  # type: ignore[misc]
                rows.append((name, seconds, _blob_files(data) - before))
        finally:
            ctx.close()
    print(f"one material of {args.pages} pages at {DPI} dpi")
    print(f"{'':18}{'seconds':>9}{'× intake':>10}{'blobs written':>15}")
    for name, seconds, blobs in rows:
        print(f"{name:18}{seconds:9.2f}{seconds / intake:10.3f}{blobs:15d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
