"""Data shipped with the program under ``resources/``: sample catalogue, holidays, fonts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CATALOG_FILE = RESOURCES / "catalog" / "sample_catalog.json"
HOLIDAY_FILE = RESOURCES / "calendar" / "cn_holidays.json"
FONT_FILE = RESOURCES / "fonts" / "DroidSansFallbackFull.ttf"
#: CJK with Latin letters and digits: notices print case numbers and dates (Droid Sans Fallback has no digits)
NOTICE_FONT_FILE = RESOURCES / "fonts" / "wqy-microhei.ttf"


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
