"""Regenerate ``resources/calendar/cn_holidays.json`` from the ``chinesecalendar`` package.

The package carries the State Council's yearly holiday announcements (国务院办公厅
关于部分节假日安排的通知): statutory holidays and the adjusted working days (调休上班).
The client never imports it at run time; it reads the JSON this tool writes::

    {"source": "chinesecalendar 1.11.0", "years": [2004, ...],
     "holidays": {"2026-10-01": "国庆节", ...}, "workdays": {"2026-10-10": "国庆节", ...}}

Only years the package covers completely are listed (and only their days are written):
for any other year the client counts Mon–Fri and marks deadlines as provisional.

Usage: ``python tools/build_holiday_table.py [--out PATH]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "calendar" / "cn_holidays.json"

# The package names holidays in English; windows show the names people use.
CHINESE_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# Every yearly announcement covers both; a year lacking either is only partly published.
_REQUIRED_EACH_YEAR = ("春节", "国庆节")


def chinese_name(value: object) -> str:
    """The Chinese name for a holiday as the package stores it (English string or enum)."""
    english = value.value if isinstance(value, Enum) else value
    if not isinstance(english, str) or english not in CHINESE_NAMES:
        # A new holiday needs a human to choose its name; guessing would print English on notices.
        raise SystemExit(
            f"unknown holiday name in chinesecalendar data: {english!r}; add it to CHINESE_NAMES"
        )
    return CHINESE_NAMES[english]


def covered_years(holidays: Mapping[date, str]) -> list[int]:
    """Years between the package's first and last holiday that have a complete announcement."""
    if not holidays:
        return []
    first, last = min(holidays).year, max(holidays).year
    names_by_year: dict[int, set[str]] = {}
    for day, name in holidays.items():
        names_by_year.setdefault(day.year, set()).add(name)
    years = []
    for year in range(first, last + 1):
        if all(req in names_by_year.get(year, set()) for req in _REQUIRED_EACH_YEAR):
            years.append(year)
        else:
            print(f"warning: {year} is not fully covered by the package; left out", file=sys.stderr)
    return years


def build_table(
    source: str, raw_holidays: Mapping[date, object], raw_workdays: Mapping[date, object]
) -> dict[str, Any]:
    """The JSON-ready table from the package's raw mappings."""
    holidays = {day: chinese_name(v) for day, v in raw_holidays.items()}
    workdays = {day: chinese_name(v) for day, v in raw_workdays.items()}
    years = covered_years(holidays)
    known = set(years)

    def encode(days: Mapping[date, str]) -> dict[str, str]:
        return {d.isoformat(): days[d] for d in sorted(days) if d.year in known}

    return {"source": source, "years": years, "holidays": encode(holidays), "workdays": encode(workdays)}


def main(argv: list[str] | None = None) -> int:
    """Write the table; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)

    import chinese_calendar  # dev-only dependency: imported here so --help works without it
    from chinese_calendar import constants

    table = build_table(
        f"chinesecalendar {chinese_calendar.__version__}", constants.holidays, constants.workdays
    )
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(table, ensure_ascii=False, indent=1) + "\n"
    out.write_text(text, encoding="utf-8")
    years = table["years"]
    print(
        f"wrote {out}: years {years[0]}–{years[-1]}, "
        f"{len(table['holidays'])} holidays, {len(table['workdays'])} adjusted workdays"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
