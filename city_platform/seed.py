"""Demo data for the platform: three tiers of units, their users, the catalogue, holidays.

The units are real-looking: 梧州市 with two districts and two townships under each, each a
public institution (事业单位) with a valid unified social credit code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.core.ids import credit_code_check_char
from app.store.bundled import CATALOG_FILE, HOLIDAY_FILE, load_json
from city_platform.auth import hash_password
from city_platform.database import Database
from city_platform.feed import publish
from city_platform.models import FeedEntry, Unit, User
from city_platform.windows import allocate_window


@dataclass(frozen=True, slots=True)
class DemoUnit:
    """One unit of the demo tree."""

    division: str
    name: str
    tier: str
    parent_division: str | None
    serial: str  # the 9-character organisation code part of the credit code (without check)

    @property
    def code(self) -> str:
        body = f"12{self.division[:6]}{self.serial}"
        return body + credit_code_check_char(body)


DEMO_UNITS = (
    DemoUnit("450400", "梧州市政务服务中心", "city", None, "MB1904001"),
    DemoUnit("450403", "万秀区政务服务中心", "county", "450400", "MB1904031"),
    DemoUnit("450405", "长洲区政务服务中心", "county", "450400", "MB1904051"),
    DemoUnit("450403102", "万秀区城东镇便民服务中心", "township", "450403", "MB1904102"),
    DemoUnit("450403103", "万秀区夏郢镇便民服务中心", "township", "450403", "MB1904103"),
    DemoUnit("450405100", "长洲区倒水镇便民服务中心", "township", "450405", "MB1904500"),
    DemoUnit("450405004", "长洲区兴龙街道便民服务中心", "township", "450405", "MB1904504"),
)
DEMO_PASSWORD = "chuangkou-demo"  # demo accounts only; printed by `seed --demo`
_ROLES = (("clerk", "窗口受理员"), ("reviewer", "审核员"))


def holiday_entries(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The bundled holiday table as one feed body per year (holidays and adjusted workdays)."""
    out = []
    for year in table["years"]:
        days = [{"day": d, "kind": "holiday", "name": n} for d, n in table["holidays"].items()
                if d.startswith(f"{year}-")]
        days += [{"day": d, "kind": "workday", "name": n} for d, n in table["workdays"].items()
                 if d.startswith(f"{year}-")]
        out.append({"year": year, "days": sorted(days, key=lambda x: x["day"]), "source": table["source"]})
    return out


def seed_demo(db: Database) -> dict[str, Any]:
    """Create the demo tree (idempotent); returns the units and users with passwords."""
    db.create_schema()
    by_division = {u.division: u for u in DEMO_UNITS}
    units, users = [], []
    with db.writing() as session:
        fresh = session.scalar(select(Unit.code).limit(1)) is None
        for n, u in enumerate(DEMO_UNITS, 1):
            parent = by_division[u.parent_division].code if u.parent_division else None
            unit = session.get(Unit, u.code)
            if unit is None:
                # 11, 21, 31…: unique across the demo tree, whose units share divisions
                unit = Unit(code=u.code, name=u.name, tier=u.tier, parent=parent, division=u.division,
                            window_no=allocate_window(session, u.code, n * 10 + 1))
                session.add(unit)
                session.flush()
            units.append({"code": u.code, "name": u.name, "tier": u.tier, "parent": parent,
                          "division": u.division, "window_no": unit.window_no})
            for role, title in _ROLES:
                username = f"{role}-{u.division}"
                if session.get(User, username) is None:
                    session.add(User(username=username, unit=u.code, display_name=f"{u.name}{title}", role=role,
                                     password_hash=hash_password(DEMO_PASSWORD)))
                users.append({"username": username, "password": DEMO_PASSWORD, "unit": u.code, "role": role})
        if fresh or session.scalar(select(FeedEntry.seq).where(FeedEntry.kind == "catalog").limit(1)) is None:
            publish(session, "units", None, None, {"units": units})
            publish(session, "catalog", None, None, load_json(CATALOG_FILE))
            for body in holiday_entries(load_json(HOLIDAY_FILE)):
                publish(session, "holidays", None, None, body)
    return {"units": units, "users": users}


def publish_holidays(db: Database, path_text: str) -> list[int]:
    """Distribute a holiday table (same shape as the bundled one); returns its years."""
    with open(path_text, encoding="utf-8") as f:
        table = json.load(f)
    entries = holiday_entries(table)
    with db.writing() as session:
        for body in entries:
            publish(session, "holidays", None, None, body)
    return [e["year"] for e in entries]
