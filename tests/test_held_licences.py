"""免证, service level against the real platform: the applicant's valid licences are offered for the
materials the catalogue ties to their type, the PDF is fetched and checked, every look is recorded
on the platform, and offline the last answer is offered with its age."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from app.core.errors import UserError
from app.services import held_licences
from app.services.context import init_data_dir
from app.sync.credentials import MemoryTokens
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.held import DISABILITY, issue_licence
from tests.support.platform import TOWNSHIP, TOWNSHIP_2, USERS, PlatformProcess, free_port
from tests.support.platform_api import APPLICANT, bearer, token

SUBSIDY = "JF00318000"  # 残疾人两项补贴申请: its material 第二代《中华人民共和国残疾人证》 stands for one
HELD_FOR = "第二代《中华人民共和国残疾人证》"


@pytest.fixture
def window(platform: PlatformProcess, tmp_path: Path) -> Iterator[Path]:  # noqa: F811
    folder = tmp_path / "township2"
    init_data_dir(folder, TOWNSHIP_2, platform.url)
    yield folder


def test_held_licences_are_offered_fetched_and_every_look_recorded(platform: PlatformProcess,  # noqa: F811
                                                                   window: Path) -> None:
    with httpx.Client(base_url=platform.url, timeout=10) as client:
        held, pdf = issue_licence(client, DISABILITY)
        other, _ = issue_licence(client, "11100000MB0143259B001")  # a licence no material of the item stands for
        revoked, _ = issue_licence(client, DISABILITY, revoke=True)
        expired, _ = issue_licence(client, DISABILITY, valid_until=dt.date(2026, 1, 1))

        # the supervisor watches deadlines, not applicants: no look-up
        r = client.get("/api/v1/licences", params={"holder": APPLICANT["id_number"]},
                       headers=bearer(token(client, TOWNSHIP, "supervisor")))
        assert r.status_code == 403
    ctx = folders.online(window, USERS[TOWNSHIP_2], tokens=MemoryTokens())
    try:
        answer = held_licences.lookup(ctx, APPLICANT["id_number"].lower())
        assert not answer.cached and answer.age(ctx.clock()) == ""
        ids = {h.id for h in answer.licences}
        assert {held, other} <= ids and not {revoked, expired} & ids
        offered = held_licences.offers(ctx, SUBSIDY, answer)
        assert list(offered) == [HELD_FOR] and [h.id for h in offered[HELD_FOR]] == [held]

        chosen = next(h for h in offered[HELD_FOR] if h.id == held)
        sha = held_licences.fetch(ctx, chosen, APPLICANT["id_number"])
        assert sha == hashlib.sha256(pdf).hexdigest() and ctx.store.blobs.read(sha) == pdf
        with pytest.raises(UserError):  # another holder's licence is not handed out
            held_licences.fetch(ctx, next(h for h in answer.licences if h.id == other), "11010519491231002X")

        # offline: the last answer, marked with its age
        later = ctx.clock() + dt.timedelta(hours=3, minutes=5)
        down = replace(ctx, settings=ctx.settings.with_value("platform.url", f"http://127.0.0.1:{free_port()}"))
        offline = held_licences.lookup(down, APPLICANT["id_number"])
        assert offline.cached and {h.id for h in offline.licences} == ids
        assert offline.age(later) == "3 小时前的查询结果"
        with pytest.raises(UserError, match="没有该申请人的证照查询记录"):
            held_licences.lookup(replace(ctx, settings=ctx.settings.with_value("platform.url", "")),
                                 "11010519491231002X")
    finally:
        ctx.close()

    with contextlib.closing(sqlite3.connect(platform.folder / "platform.sqlite3")) as db:
        looks = db.execute("SELECT unit, actor, holder_id, what, found FROM licence_lookups ORDER BY id").fetchall()
    me = (TOWNSHIP_2, USERS[TOWNSHIP_2])
    assert [*me, APPLICANT["id_number"], "list", len(ids)] == list(looks[-3])
    assert [*me, APPLICANT["id_number"], "pdf", 1] == list(looks[-2])
    assert [*me, "11010519491231002X", "pdf", 0] == list(looks[-1])
