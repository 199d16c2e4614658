"""The context object built once (in ``main.py`` or the CLI) and passed to every use case."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from app.core import permissions
from app.core.catalog import Catalog, CatalogError, parse_catalog
from app.core.errors import N_, UserError
from app.core.ids import credit_code_problem
from app.core.lifecycle import Action, ActionType, Status
from app.core.session import Session
from app.core.settings import Settings
from app.core.workcal import WorkCalendar
from app.store import keyslots, meta
from app.store.bundled import CATALOG_FILE, HOLIDAY_FILE, load_json
from app.store.crypto import DataKey
from app.store.database import Store
from app.sync.credentials import TokenStore

log = logging.getLogger("services")


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True)
class AppContext:
    """Everything a use case needs; no module reaches for a global instead.

    Immutable: a new setting, catalogue, calendar or person makes a new context
    (``dataclasses.replace``), which the window hands to its parts on the GUI thread.
    """

    store: Store
    settings: Settings
    catalog: Catalog
    calendar: WorkCalendar
    #: who is signed in: every action and every view of personal data names this person
    session: Session
    clock: Callable[[], dt.datetime] = local_now
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    #: where the platform tokens live; None means the OS keyring (demo mode keeps them in memory)
    tokens: TokenStore | None = None

    @property
    def actor(self) -> str:
        """The platform user id of the signed-in person."""
        return self.session.user

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def action(self, case_id: str, kind: ActionType, payload: Mapping[str, Any], *, item_code: str = "",
               at: dt.datetime | None = None) -> Action:
        """A new action by the signed-in person; who they are (name, role, post, device) goes into
        its payload, so it is hash-chained with the rest and reaches the platform."""
        return Action(id=self.new_id(), case_id=case_id, type=kind, actor=self.session.user, at=at or self.clock(),
                      payload={**payload, "by": self.session.by(item_code)})

    def check_role(self, kind: ActionType, state: Status | None, *, immediate: bool = False) -> None:
        """UserError unless the signed-in person's role may take ``kind`` in ``state`` (None: a new case);
        ``immediate`` for a 即办件 (:func:`permissions.on_the_spot`).

        The same table (:mod:`app.core.permissions`) decides on the platform: refused here, the
        clerk hears it now rather than at the next sync.
        """
        role = permissions.parse_role(self.session.role)
        why = permissions.role_refusal(role, kind, state, immediate=immediate)
        if why:
            raise UserError(why, log=f"{self.session.user} ({self.session.role}) may not {kind} in {state}")

    def today(self) -> dt.date:
        return self.clock().date()

    def close(self) -> None:
        self.store.close()


def calendar_from(db: sqlite_utils.Database) -> WorkCalendar:
    """The bundled holiday table with the years the platform has published on top."""
    base = WorkCalendar.from_table(load_json(HOLIDAY_FILE))
    years, days = meta.load_calendar_overrides(db)
    return base.with_overrides(years, days) if years or days else base


def open_context(
    data_dir: Path, session: Session, keys: list[DataKey], *, clock: Callable[[], dt.datetime] = local_now,
    tokens: TokenStore | None = None,
) -> AppContext:
    """Open an initialised data folder for a signed-in person (see :mod:`app.services.signin`)."""
    store = Store.open(data_dir, keys)
    try:
        db = store.reader()
        raw = meta.load_catalog(db)
        catalog = parse_catalog(raw if raw is not None else load_json(CATALOG_FILE))
        return AppContext(
            store=store, settings=Settings(meta.load_settings(db)), catalog=catalog,
            calendar=calendar_from(db), session=session, clock=clock, tokens=tokens,
        )
    except BaseException:
        store.close()
        raise


def org_problem(org: str) -> str | None:
    """Why ``org`` cannot identify a unit: a credit code, or a 6/9/12-digit division code."""
    code = org.strip().upper()
    if len(code) == 18:
        return credit_code_problem(code)
    if code.isdigit() and len(code) in (6, 9, 12):
        return None
    return N_("单位代码应为18位统一社会信用代码，或6、9、12位行政区划代码")


def init_data_dir(data_dir: Path, org: str, platform_url: str = "", *, ca_bundle: str = "",
                  clock: Callable[[], dt.datetime] = local_now) -> None:
    """Create (or re-point) a unit's data folder with the bundled catalogue.

    The platform's address and the unit's CA bundle are set here, before anybody signs in: the
    first sign-in is an online one and needs both.
    """
    problem = org_problem(org)
    if problem:
        raise UserError(problem, log=f"invalid unit code {org!r}")
    for name, value in (("platform.url", platform_url), ("platform.ca_bundle", ca_bundle)):
        if value:
            Settings.coerce(name, value)  # UserError in words if it is not usable
    if data_dir.exists() and not data_dir.is_dir():
        raise UserError("“{data_dir}”不是文件夹", data_dir=data_dir, log=f"data path is not a folder: {data_dir}")
    catalog_data = load_json(CATALOG_FILE)
    try:
        parse_catalog(catalog_data)
    except CatalogError as e:  # the shipped file is ours: a bad one is a bug
        raise RuntimeError(f"bundled catalogue invalid: {e}") from e
    org = org.strip().upper()
    if keyslots.exists(data_dir):
        keys = keyslots.load(data_dir)
        key = keyslots.enrolment_key(keys)
        if key is None:  # somebody has signed in: re-pointing the folder is a signed-in change
            raise UserError("数据目录 {data_dir} 已在使用中，请登录后用 config set 修改平台地址", data_dir=data_dir,
                            log=f"init on a folder with user slots: {data_dir}")
        url = platform_url or keys.public.get("platform.url", "")
        bundle = ca_bundle or keys.public.get("platform.ca_bundle", "")
        keyslots.save(data_dir, replace(keys, public={**keys.public, "unit.org": org, "platform.url": url,
                                                      "platform.ca_bundle": bundle}))
    else:
        if (data_dir / "chuangkou.sqlite3").exists():
            raise UserError("数据目录 {data_dir} 中的数据尚未加密，请先登录一次完成加密", data_dir=data_dir,
                            log=f"init on a plaintext folder: {data_dir}")
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = keyslots.create(data_dir, {"unit.org": org, "platform.url": platform_url,
                                         "platform.ca_bundle": ca_bundle})
    store = Store.open(data_dir, [key], create=True)
    try:
        def write(db: sqlite_utils.Database) -> None:
            meta.save_setting(db, "unit.org", org)
            if platform_url:
                meta.save_setting(db, "platform.url", platform_url)
            if ca_bundle:
                meta.save_setting(db, "platform.ca_bundle", ca_bundle)
            if meta.load_catalog(db) is None:
                meta.save_catalog(db, catalog_data, clock())

        store.write(write)
    finally:
        store.close()
