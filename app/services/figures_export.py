"""月报 files: the figures as an XLSX workbook (openpyxl) and as CSV (UTF-8 with a BOM, so Excel
shows the Chinese). Each file is written whole or not at all: a temporary file beside it, then a
rename. The same rows in both: one per unit and a 合计, then one per unit and item (办件量 by channel).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import UserError
from app.core.monthly_figures import CHANNELS, COLUMNS, MonthlyFigures, UnitFigures
from app.services.files import replace_atomically

UNIT_HEADER = ("单位代码", "单位名称", *COLUMNS)
ITEM_HEADER = ("单位代码", "单位名称", "事项编码", "事项名称", "办件量", *CHANNELS)


def _units(figures: MonthlyFigures) -> list[UnitFigures]:
    return [*figures.units, figures.total()] if len(figures.units) > 1 else list(figures.units)


def unit_rows(figures: MonthlyFigures) -> Iterator[tuple[int | str, ...]]:
    """One row per unit (and a 合计 when there are several), as :data:`UNIT_HEADER`."""
    for u in _units(figures):
        yield (u.unit, u.name or u.unit, *u.row())


def item_rows(figures: MonthlyFigures) -> Iterator[tuple[int | str, ...]]:
    """One row per unit and item, as :data:`ITEM_HEADER`."""
    for u in figures.units:
        for i in u.items:
            yield (u.unit, u.name or u.unit, i.item_code, i.item_name, i.total, *i.by_channel)


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` as the file at ``path``, all or nothing (UserError in words when the folder refuses)."""
    try:
        replace_atomically(path, data)
    except OSError as e:
        raise UserError("无法写入文件“{path}”：{reason}", path=str(path), reason=e.strerror or str(e),
                        log=f"writing {path}: {e!r}") from None


def csv_bytes(figures: MonthlyFigures) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([f"{figures.month} 月报"])
    w.writerow(UNIT_HEADER)
    w.writerows(unit_rows(figures))
    w.writerow([])
    w.writerow(ITEM_HEADER)
    w.writerows(item_rows(figures))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(figures: MonthlyFigures) -> bytes:
    from openpyxl import Workbook  # only when a workbook is asked for

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "月报"
    sheet.append([f"{figures.month} 月报"])
    sheet.append(list(UNIT_HEADER))
    for row in unit_rows(figures):
        sheet.append(list(row))
    items = wb.create_sheet("分事项办件量")
    items.append(list(ITEM_HEADER))
    for row in item_rows(figures):
        items.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(figures: MonthlyFigures, *, xlsx: Path | None = None, csv_path: Path | None = None) -> list[Path]:
    """Write the files asked for; returns them."""
    written = []
    if xlsx is not None:
        write_atomic(xlsx, xlsx_bytes(figures))
        written.append(xlsx)
    if csv_path is not None:
        write_atomic(csv_path, csv_bytes(figures))
        written.append(csv_path)
    return written
