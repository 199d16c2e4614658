"""An evaluation and a fee recorded while the platform cannot be reached reach the real platform on
the next sync, and another window of the unit gets them back, with the 差评's follow-up date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import httpx
import pytest

from app.core.errors import UserError
from app.services import evaluation, fees, intake, queries, sync_run
from app.services.context import init_data_dir
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess, free_port
from tests.support.platform_api import push_one, token

pytestmark = pytest.mark.slow
CST = dt.timezone(dt.timedelta(hours=8))
#: a Monday before the National Day holiday (2026-10-01…07 off, Saturday 10-10 a working day)
MONDAY = dt.datetime(2026, 9, 28, 10, 0, tzinfo=CST)


def test_offline_evaluation_and_fee_reach_the_platform(
    platform: PlatformProcess, tmp_path: Path, pages: dict[str, Path], monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=2, base=0.05, cap=0.1))
    init_data_dir(tmp_path / "window", TOWNSHIP, platform.url)
    online = folders.online(tmp_path / "window", USERS[TOWNSHIP])
    try:
        # The link is down (the platform's address answers nothing): the counter goes on.
        dead = online.settings.with_value("platform.url", f"http://127.0.0.1:{free_port()}")
        ctx = dataclasses.replace(online, settings=dead, clock=lambda: MONDAY)
        free = intake.new_case(ctx, "GG00231000", PERSON, [intake.MaterialInput("申请表", (pages["text"],))])
        charged = intake.new_case(ctx, "QR00203000", PERSON,
                                  [intake.MaterialInput("不动产登记申请书", (pages["text"],))])
        evaluation.evaluate(ctx, free.case_no, "非常不满意", ["多次跑动", "未一次性告知"], "第三次来才告诉我缺户口簿")
        fees.record_fee(ctx, charged.case_no, 8000, "住宅每件80元", "FZ20260928000001")
        with pytest.raises(UserError):
            sync_run.sync_once(ctx)

        report = sync_run.sync_once(online)  # the link is back
        assert (report.pushed, report.refused, report.pending) == (4, [], 0)
    finally:
        online.close()

    # Another window of the same unit gets both back from the platform.
    init_data_dir(tmp_path / "other", TOWNSHIP, platform.url)
    other = folders.online(tmp_path / "other", USERS[TOWNSHIP])
    try:
        sync_run.sync_once(other)
        rated, paid = queries.show_case(other, free.case_no), queries.show_case(other, charged.case_no)
    finally:
        other.close()
    assert rated["evaluation"] == {
        "level": "非常不满意", "reasons": ["多次跑动", "未一次性告知"], "text": "第三次来才告诉我缺户口簿",
        "channel": "评价器", "at": MONDAY.isoformat(),
        # 9-29, 9-30, (10-1…7 off) 10-8, 10-9, 10-10 (调休) … the 15th working day; Mon–Fri would give 10-19
        "follow_up_due": "2026-10-23", "follow_up_provisional": False,
    }
    assert [(f["amount_fen"], f["reference"]) for f in paid["fees"]] == [(8000, "FZ20260928000001")]
    assert rated["status"] == paid["status"] == "received"
    assert [a["type"] for a in rated["actions"]] == ["receive", "evaluate"]

    # The platform holds the same rules for a client that does not: one evaluation, fees where charged.
    with httpx.Client(base_url=platform.url, timeout=10) as client:
        tok = token(client, TOWNSHIP)
        for kind, payload, reason in [
            ("evaluate", {"level": "满意"}, "每件只能评价一次"),
            ("record_fee", {"amount_fen": 100, "basis": "无", "reference": "FZ20260928000009"}, "不收费"),
            ("record_fee", {"amount_fen": "80", "basis": "无", "reference": "FZ20260928000009"}, "金额"),
        ]:
            target = free if kind == "evaluate" or payload["amount_fen"] == 100 else charged
            sent = {"id": str(uuid.uuid4()), "case_id": target.id, "type": kind, "actor": None,
                    "at": MONDAY.isoformat(), "payload": payload}
            answer = push_one(client, tok, sent)
            assert answer["result"] == "refused" and reason in answer["reason"], answer
