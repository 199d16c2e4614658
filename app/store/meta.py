"""Unit-level data kept in the database: settings, the catalogue copy, calendar overrides."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlite_utils

from app.core.workcal import DayOverride


def load_settings(db: sqlite_utils.Database) -> dict[str, Any]:
    return {r["key"]: json.loads(r["value"]) for r in db.query("SELECT key, value FROM meta")}


def save_setting(db: sqlite_utils.Database, name: str, value: Any) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
               [name, json.dumps(value, ensure_ascii=False)])


def load_catalog(db: sqlite_utils.Database) -> dict[str, Any] | None:
    rows = list(db.query("SELECT body FROM catalog WHERE id = 1"))
    return json.loads(rows[0]["body"]) if rows else None


def save_catalog(db: sqlite_utils.Database, data: dict[str, Any], now: dt.datetime) -> None:
    db.execute(
        "INSERT OR REPLACE INTO catalog (id, version, body, updated_at) VALUES (1, ?, ?, ?)",
        [str(data.get("version", "")), json.dumps(data, ensure_ascii=False), now.isoformat()],
    )


def load_calendar_overrides(db: sqlite_utils.Database) -> tuple[list[int], list[DayOverride]]:
    """Years the platform has published and the days it set (holiday or adjusted workday)."""
    years = [r["year"] for r in db.query("SELECT year FROM calendar_years")]
    days = [
        DayOverride(dt.date.fromisoformat(r["day"]), r["kind"], r["name"])
        for r in db.query("SELECT day, kind, name FROM calendar_days")
    ]
    return years, days


def save_calendar_year(
    db: sqlite_utils.Database, year: int, days: list[DayOverride], source: str
) -> None:
    """Replace one year's overrides (the platform distributes whole years)."""
    db.execute("INSERT OR REPLACE INTO calendar_years (year, source) VALUES (?, ?)", [year, source])
    db.execute("DELETE FROM calendar_days WHERE day LIKE ? || '-%'", [str(year)])
    for d in days:
        db.execute(
            "INSERT INTO calendar_days (day, kind, name, source) VALUES (?, ?, ?, ?)",
            [d.day.isoformat(), d.kind, d.name, source],
        )
