"""Demo data for the platform: three tiers of units, their users, the catalogue, holidays.

The units are real-looking: 梧州市 with two districts and two townships under each, each a
public institution (事业单位) with a valid unified social credit code, and four city departments
(机关) stationed in the city centre, which a joint review (网上联审) asks for their opinions. Every unit has a user
of every role, and every item of the catalogue an A post and a B post at every unit (AB岗):
``clerk-<division>`` holds the A posts, ``clerk2-<division>`` the B posts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.ids import credit_code_check_char
from app.core.permissions import Post, Role
from app.store.bundled import CATALOG_FILE, HOLIDAY_FILE, load_json
from city_platform.auth import hash_password
from city_platform.database import Database
from city_platform.feed import publish
from city_platform.models import FeedEntry, ItemPost, Unit, User
from city_platform.windows import allocate_window


@dataclass(frozen=True, slots=True)
class DemoUnit:
    """One unit of the demo tree."""

    division: str
    name: str
    tier: str
    parent_division: str | None
    serial: str  # the 9-character organisation code part of the credit code (without check)
    #: the credit code's registration department and kind: 12 事业单位, 11 机关
    org_type: str = "12"
    #: the window number it numbers cases with (default: 10 × its place in the tree + 1)
    window: int | None = None

    @property
    def code(self) -> str:
        body = f"{self.org_type}{self.division[:6]}{self.serial}"
        return body + credit_code_check_char(body)


DEMO_UNITS = (
    DemoUnit("450400", "梧州市政务服务中心", "city", None, "MB1904001"),
    DemoUnit("450403", "万秀区政务服务中心", "county", "450400", "MB1904031"),
    DemoUnit("450405", "长洲区政务服务中心", "county", "450400", "MB1904051"),
    DemoUnit("450403102", "万秀区城东镇便民服务中心", "township", "450403", "MB1904102"),
    DemoUnit("450403103", "万秀区夏郢镇便民服务中心", "township", "450403", "MB1904103"),
    DemoUnit("450405100", "长洲区倒水镇便民服务中心", "township", "450405", "MB1904500"),
    DemoUnit("450405004", "长洲区兴龙街道便民服务中心", "township", "450405", "MB1904504"),
    # Departments (进驻部门): their own division suffix keeps their accounts apart from the centre's.
    DemoUnit("450400701", "梧州市发展和改革委员会", "department", "450400", "MB1904701", "11", 71),
    DemoUnit("450400702", "梧州市住房和城乡建设局", "department", "450400", "MB1904702", "11", 72),
    DemoUnit("450400703", "梧州市自然资源局", "department", "450400", "MB1904703", "11", 73),
    DemoUnit("450400704", "梧州市生态环境局", "department", "450400", "MB1904704", "11", 74),
)
DEMO_PASSWORD = "chuangkou-demo"  # demo accounts only; printed by `seed --demo`


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One demo account of each unit: ``<prefix>-<division>``."""

    prefix: str
    role: Role
    title: str
    #: the post it holds for every item of the catalogue, if any
    post: Post | None = None


DEMO_USERS = (
    DemoUser("clerk", Role.CLERK, "窗口受理员", Post.A),
    DemoUser("clerk2", Role.CLERK, "窗口受理员（B岗）", Post.B),
    DemoUser("reviewer", Role.REVIEWER, "审核员"),
    DemoUser("approver", Role.APPROVER, "审批员"),
    DemoUser("supervisor", Role.SUPERVISOR, "效能监察员"),
    DemoUser("archivist", Role.ARCHIVIST, "档案管理员"),
    DemoUser("admin", Role.ADMIN, "单位管理员"),
)


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
    """Create the demo tree (idempotent); returns the units and users with passwords, roles and posts."""
    db.create_schema()
    by_division = {u.division: u for u in DEMO_UNITS}
    catalog = load_json(CATALOG_FILE)
    item_codes = sorted(str(item["code"]) for item in catalog["items"])
    # One hash for every demo account (they share the password): seeding stays quick.
    password_hash = hash_password(DEMO_PASSWORD)
    units, users = [], []
    with db.writing() as session:
        fresh = session.scalar(select(Unit.code).limit(1)) is None
        for n, u in enumerate(DEMO_UNITS, 1):
            parent = by_division[u.parent_division].code if u.parent_division else None
            unit = session.get(Unit, u.code)
            if unit is None:
                # 11, 21, 31…: unique across the demo tree, whose units share divisions
                unit = Unit(code=u.code, name=u.name, tier=u.tier, parent=parent, division=u.division,
                            window_no=allocate_window(session, u.code, u.window or n * 10 + 1))
                session.add(unit)
                session.flush()
            units.append({"code": u.code, "name": u.name, "tier": u.tier, "parent": parent,
                          "division": u.division, "window_no": unit.window_no})
            for d in DEMO_USERS:
                users.append(_demo_user(session, u, d, password_hash, item_codes))
        if fresh or session.scalar(select(FeedEntry.seq).where(FeedEntry.kind == "catalog").limit(1)) is None:
            publish(session, "units", None, None, {"units": units})
            publish(session, "catalog", None, None, catalog)
            for body in holiday_entries(load_json(HOLIDAY_FILE)):
                publish(session, "holidays", None, None, body)
    return {"units": units, "users": users}


def _demo_user(session: Session, unit: DemoUnit, d: DemoUser, password_hash: str,
               item_codes: list[str]) -> dict[str, Any]:
    """Create one demo account of ``unit`` and its posts if missing; returns it as ``seed --json`` prints it."""
    username = f"{d.prefix}-{unit.division}"
    display_name = f"{unit.name}{d.title}"
    if session.get(User, username) is None:
        session.add(User(username=username, unit=unit.code, display_name=display_name, role=str(d.role),
                         password_hash=password_hash, away=False))
        session.flush()
    posts = []
    if d.post is not None:
        for code in item_codes:
            if session.get(ItemPost, (unit.code, code, str(d.post))) is None:
                session.add(ItemPost(unit=unit.code, item_code=code, post=str(d.post), username=username))
            posts.append({"item_code": code, "post": str(d.post)})
        session.flush()
    return {"username": username, "password": DEMO_PASSWORD, "unit": unit.code, "role": str(d.role),
            "display_name": display_name, "posts": posts}


def publish_holidays(db: Database, path_text: str) -> list[int]:
    """Distribute a holiday table (same shape as the bundled one); returns its years."""
    with open(path_text, encoding="utf-8") as f:
        table = json.load(f)
    entries = holiday_entries(table)
    with db.writing() as session:
        for body in entries:
            publish(session, "holidays", None, None, body)
    return [e["year"] for e in entries]
