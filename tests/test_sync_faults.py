"""Sync over a bad link: cuts, resets, 5xx, lost replies. Nothing lost, nothing doubled."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from app.core.lifecycle import ActionType
from app.services import sync_run
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.services.queries import show_case
from app.sync.client import LinkDown, LoginRequired
from app.sync.retry import RetryPolicy
from app.sync.uploads import CHUNK
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.faultproxy import FaultProxy
from tests.support.platform import PASSWORD, TOWNSHIP, USERS, PlatformProcess, user_of

pytestmark = pytest.mark.slow


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    with PlatformProcess(tmp_path / "platform") as p:
        yield p


@pytest.fixture
def proxy(platform: PlatformProcess) -> Iterator[FaultProxy]:
    with FaultProxy(platform.port) as p:
        yield p


@pytest.fixture
def township(tmp_path: Path, proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=6, base=0.05, cap=0.3))
    init_data_dir(tmp_path / "township", TOWNSHIP, proxy.url)
    ctx = folders.online(tmp_path / "township", USERS[TOWNSHIP])
    yield ctx
    ctx.close()


def _noise_photo(path: Path, seed: int, size: tuple[int, int] = (1600, 1200)) -> Path:
    """A photo that JPEG cannot shrink much: a material of a few MB."""
    rng = random.Random(seed)
    Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).save(path, "JPEG", quality=92)
    return path


def _platform_rows(platform: PlatformProcess, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(platform.folder / "platform.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_cuts_and_server_errors_lose_nothing_and_double_nothing(
    tmp_path: Path, platform: PlatformProcess, proxy: FaultProxy, township: AppContext, pages: dict[str, Path],
) -> None:
    made = []
    for n in range(3):
        photo = _noise_photo(tmp_path / f"photo{n}.jpg", n)
        made.append(new_case(township, "GG00231000", PERSON, [
            MaterialInput("申请表", (pages["text"],)), MaterialInput("现场照片", (photo,))]))
    total = sum(b["size"] for b in _local_blobs(township))
    assert total > 6_000_000  # big enough that every upload is cut several times

    proxy.cut_every(700_000)
    platform.fault(503, count=2, path_prefix="/api/v1/actions", retry_after=0.1)
    platform.fault(500, count=1, path_prefix="/api/v1/actions", after=True)  # taken, reply lost
    platform.fault(502, count=1, path_prefix="/api/v1/feed")
    report = sync_run.sync_once(township)  # one run rides out every one of these faults

    # Every case arrived exactly once, with one receive action each.
    rows = _platform_rows(platform, "SELECT id, case_no FROM cases ORDER BY case_no")
    assert sorted(r[0] for r in rows) == sorted(m.id for m in made)
    receives = _platform_rows(platform, "SELECT case_id, COUNT(*) FROM actions WHERE type = 'receive' GROUP BY case_id")
    assert all(count == 1 for _, count in receives) and len(receives) == 3
    # Every blob on the platform hash-matches its name, and none is missing.
    for b in _local_blobs(township):
        stored = platform.folder / "blobs" / b["sha256"][:2] / b["sha256"][2:]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == b["sha256"]
    # Uploads resumed at the platform's offset: on the wire, at most one chunk sent again
    # per cut (in fact only what was in flight), never whole files again.
    assert proxy.cuts >= 5 and report.uploaded.cuts >= 5
    resent_on_wire = proxy.bytes_up - total
    assert resent_on_wire <= proxy.cuts * CHUNK
    assert proxy.bytes_up < total * 1.5
    assert sync_run.status(township).pending_cases == 0


def _local_blobs(ctx: AppContext) -> list[dict[str, object]]:
    return [dict(r) for r in ctx.store.reader().query("SELECT sha256, size FROM blobs")]


def test_a_platform_refusal_reaches_the_clerk_and_the_case_follows_the_platform(
    tmp_path: Path, platform: PlatformProcess, township: AppContext, pages: dict[str, Path],
) -> None:
    made = new_case(township, cases.ITEM, PERSON, cases.materials(pages["text"]))
    perform(township, made.id, ActionType.ACCEPT)
    sync_run.sync_once(township)
    # Offline, the clerk records a withdrawal; meanwhile another device of the unit (here:
    # the unit's approver on the platform directly) has already decided the case.
    perform(township, made.id, ActionType.WITHDRAW, {"reason": "申请人撤回"})
    token = platform.token(TOWNSHIP, "approver")
    r = httpx.post(f"{platform.url}/api/v1/actions", headers={"Authorization": f"Bearer {token}"}, json={
        "actions": [{"id": "decide-" + made.id[:20], "case_id": made.id, "type": "decide",
                     "actor": user_of(TOWNSHIP, "approver"),
                     "at": "2026-11-23T10:00:00+08:00", "payload": {"result": "准予"}}]}, timeout=10)
    assert r.json()["results"][0]["result"] == "accepted"
    report = sync_run.sync_once(township)
    assert len(report.refused) == 1 and "不能撤回" in report.refused[0]["reason"]
    case = show_case(township, made.id)
    assert case["status"] == "approved"  # the platform's order wins
    assert case["refused"][0]["type"] == "withdraw" and case["refused"][0]["reason"]


def test_a_batch_the_platform_cannot_read_holds_back_only_its_own_case(
    platform: PlatformProcess, township: AppContext, pages: dict[str, Path],
) -> None:
    first = new_case(township, "GG00231000", PERSON, [MaterialInput("申请表", (pages["text"],))])
    second = new_case(township, "GG00231000", PERSON, [MaterialInput("申请表", (pages["photo"],))])
    platform.fault(422, count=1, path_prefix="/api/v1/actions")

    report = sync_run.sync_once(township)
    assert len(report.refused) == 1 and report.refused[0]["case_no"] in {first.case_no, second.case_no}
    assert "下次同步时重试" in report.refused[0]["reason"]
    assert report.pushed == 1 and report.pending == 1  # the second case went through

    again = sync_run.sync_once(township)
    assert again.refused == [] and again.pushed == 1 and again.pending == 0
    assert {r[0] for r in _platform_rows(platform, "SELECT id FROM cases")} == {first.id, second.id}


def test_online_is_unknown_until_the_platform_has_answered(
    tmp_path: Path, platform: PlatformProcess, proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch,
) -> None:
    init_data_dir(tmp_path / "fresh", TOWNSHIP, proxy.url)
    ctx = folders.online(tmp_path / "fresh", USERS[TOWNSHIP])
    sync_run.token_store(ctx).clear()  # signed in on this PC, holding no platform tokens
    monkeypatch.delenv("CHUANGKOU_PASSWORD")
    try:
        with pytest.raises(LoginRequired):
            sync_run.sync_once(ctx)  # not signed in: nothing was asked
        assert sync_run.status(ctx).online is None
        monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)  # a script's way to sign in at the platform
        sync_run.sync_once(ctx)
        assert sync_run.status(ctx).online is True
        proxy.stop()
        with pytest.raises(LinkDown):
            sync_run.sync_once(ctx)
        status = sync_run.status(ctx)
        assert status.online is False and status.last_error and "无法连接" in status.last_error
    finally:
        ctx.close()
