"""免证 at intake: the licences the applicant already holds, offered instead of a scan.

For each material whose catalogue entry names a ``licence_type``, the window asks the platform's
licence library for the applicant's valid licences (by ID number or credit code). The answer is
kept per holder with the time it came, so offline the last answer is offered, marked with its
age («3 小时前的查询结果»). A licence chosen for a material is fetched once (its SHA-256 checked
against what the library said) and kept as a blob of this window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import UserError
from app.services import sync_run
from app.services.context import AppContext
from app.store import cases
from app.store import licences as kept
from app.sync.budget import RunBudget
from app.sync.client import LinkDown, PlatformBusy
from app.sync.platform_api import HeldLicence as HeldLicence  # the window offers these
from app.sync.platform_api import PlatformApi

log = logging.getLogger("services.held_licences")

def _budget() -> RunBudget:
    """One look-up at the counter: a few requests, never long enough to keep the applicant waiting."""
    return RunBudget(requests=6, seconds=20.0, waiting=5.0)


@dataclass(frozen=True, slots=True)
class HeldAnswer:
    """The holder's valid licences, as the library answered now or (offline) when last asked."""

    holder: str
    licences: tuple[HeldLicence, ...]
    fetched_at: dt.datetime
    #: True when this is the kept answer of an earlier look-up (the platform could not be reached)
    cached: bool

    def age(self, now: dt.datetime) -> str:
        """「3 小时前的查询结果」 for a kept answer; "" for one fetched just now."""
        if not self.cached:
            return ""
        seconds = max(int((now - self.fetched_at).total_seconds()), 0)
        if seconds < 3600:
            return f"{max(seconds // 60, 1)} 分钟前的查询结果"
        if seconds < 86400:
            return f"{seconds // 3600} 小时前的查询结果"
        return f"{seconds // 86400} 天前的查询结果"


def _from_kept(raw: Mapping[str, object]) -> HeldLicence:
    fields = {f.name for f in dataclasses.fields(HeldLicence)}
    return HeldLicence(**{k: raw[k] for k in fields})  # type: ignore[arg-type]


def lookup(ctx: AppContext, holder: str) -> HeldAnswer:
    """The holder's valid licences: from the platform, or its last answer when it cannot be reached."""
    number = holder.strip().upper()
    if ctx.settings.get("platform.url"):
        try:
            with sync_run.make_client(ctx, budget=_budget()) as client:
                found = PlatformApi(client).held_licences(number)
        except (LinkDown, PlatformBusy) as e:
            log.info("licence look-up offline: %s", e.log)
        else:
            now = ctx.clock()
            rows = [dataclasses.asdict(h) for h in found]
            ctx.store.write(lambda db: kept.save_held(db, number, now.isoformat(), rows))
            return HeldAnswer(number, tuple(found), now, cached=False)
    last = kept.load_held(ctx.store.reader(), number)
    if last is None:
        raise UserError("无法连接市级平台，本机也没有该申请人的证照查询记录，请扫描材料",
                        log="licence look-up offline, nothing kept for the holder")
    at, rows = last
    return HeldAnswer(number, tuple(_from_kept(r) for r in rows), dt.datetime.fromisoformat(at), cached=True)


def offers(ctx: AppContext, item_code: str, answer: HeldAnswer) -> dict[str, list[HeldLicence]]:
    """Material name → the held licences that may stand for it, for the item's materials that name a
    licence type (in checklist order; a material none of whose type is held is left out)."""
    item = ctx.catalog.get(item_code)
    out: dict[str, list[HeldLicence]] = {}
    for m in item.materials if item else ():
        matching = [h for h in answer.licences if m.licence_type is not None and h.type_code == m.licence_type]
        if matching:
            out[m.name] = matching
    return out


def fetch(ctx: AppContext, licence: HeldLicence, holder: str) -> str:
    """The licence's PDF kept as a blob of this window (fetched if not here yet); its SHA-256."""
    if ctx.store.blobs.has(licence.sha256):
        return licence.sha256
    with sync_run.make_client(ctx, budget=_budget()) as client:
        pdf = PlatformApi(client).licence_pdf(licence.id, holder.strip().upper())
    if pdf is None:
        raise UserError("平台上该证照已注销或已过有效期，不能用于免证，请扫描材料",
                        log=f"licence {licence.id} not offered")
    if hashlib.sha256(pdf).hexdigest() != licence.sha256:
        raise UserError("平台发来的证照文件与证照库登记的不符，请扫描材料", log=f"licence {licence.id}: hash differs")
    sha = ctx.store.blobs.put(pdf)
    now = ctx.clock().isoformat()
    ctx.store.write(lambda db: cases.record_blob(db, sha, len(pdf), "application/pdf", now))
    return sha


def names(licences: Sequence[HeldLicence]) -> list[str]:
    """「食品经营许可证（梧州市万秀区行政审批局，有效期至 2031-12-06）」 for a choice list."""
    return [f"{h.name}（{h.issuer_name}，有效期至 {h.valid_until or '长期'}）" for h in licences]
