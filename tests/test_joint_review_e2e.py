"""Joint review end to end (must hold of issue 16): three departments, one late; the decision is refused
by the window and by the platform until the item's rule is met, and allowed once the late one answers."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import httpx
import pytest

from app.cli import main as cli_main
from app.core.errors import UserError
from app.core.lifecycle import ActionType
from app.services import case_desk, joint_desk, sync_run
from app.services.context import AppContext
from app.services.queries import show_case
from app.sync.retry import RetryPolicy
from tests.platform_fixture import platform  # noqa: F401
from tests.support import joint
from tests.support.platform import CITY, PASSWORD, PlatformProcess, user_of
from tests.support.platform_api import login_as, push_one

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


def _decide_offer(ctx: AppContext, case_id: str) -> case_desk.Offer:
    return next(o for o in case_desk.offered_actions(ctx, case_id) if o.kind is ActionType.DECIDE)


def _cli(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> str:
    code = cli_main(["--data", str(folder), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_three_departments_one_late_the_decision_waits_for_the_rule_here_and_on_the_platform(
        platform: PlatformProcess, tmp_path: Path, pages: dict[str, Path],  # noqa: F811
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    case = joint.start(tmp_path, platform.url, pages)

    window = case.open(CITY, "approver")
    try:
        sync_run.sync_once(window)
        shown = joint_desk.panel(window, case.case_id)
        assert shown is not None
        assert [(r.name, r.result, r.late) for r in shown.rows] == [
            ("梧州市发展和改革委员会", "同意", False), ("梧州市住房和城乡建设局", "同意", False),
            (joint.LATE_NAME, "", True)]
        assert shown.rows[0].actor == user_of(joint.FGW, "reviewer") and shown.rows[0].answered_at is not None
        offer = _decide_offer(window, case.case_id)
        assert not offer.enabled and offer.why_not == f"联审意见未齐，不能作出决定：{joint.LATE_NAME}尚未反馈意见"
        with pytest.raises(UserError, match="尚未反馈意见"):
            case_desk.take(window, case.case_id, ActionType.DECIDE, {"result": "准予"})

        # A DECIDE pushed to the platform (by a window that decided anyway) is refused with the reason.
        with httpx.Client(base_url=platform.url, timeout=10) as client:
            tok = login_as(client, user_of(CITY, "approver"))["access_token"]
            result = push_one(client, tok, {"id": str(uuid.uuid4()), "case_id": case.case_id, "type": "decide",
                                            "at": window.clock().isoformat(), "payload": {"result": "准予"}})
        assert result["result"] == "refused" and f"{joint.LATE_NAME}尚未反馈意见" in result["reason"]

        # A department that was not asked cannot answer; the window cannot answer for one either.
        assert not any(o.kind is ActionType.JOINT_OPINION for o in case_desk.offered_actions(window, case.case_id))
    finally:
        window.close()

    # The command line says the same (``case show``), and the late department answers through it.
    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    shown_text = _cli(capsys, case.folder(CITY), "case", "show", case.case_no)
    assert f"{joint.LATE_NAME}  期限 {joint.started_on() + dt.timedelta(days=1)}  逾期未反馈" in shown_text
    assert "联审意见未齐，不能作出决定" in shown_text
    late = case.folder(joint.LATE)
    _cli(capsys, late, "login", "--user", user_of(joint.LATE, "reviewer"))
    _cli(capsys, late, "sync", "--once")  # the case comes to the department, its pages with it
    seen = json.loads(_cli(capsys, late, "--json", "case", "show", case.case_no))
    assert seen["materials"] and all(p["present"] for m in seen["materials"] for p in m["pages"])
    assert [d["late"] for d in seen["joint"]["departments"]] == [False, False, True]
    answered = json.loads(_cli(capsys, late, "--json", "case", "joint-opinion", case.case_no, "--result", "同意",
                               "--text", "用地符合国土空间规划，同意。"))
    assert answered["status"] == "in_review"
    assert json.loads(_cli(capsys, late, "--json", "sync", "--once"))["refused"] == []

    window = case.open(CITY, "approver")
    try:
        sync_run.sync_once(window)
        shown = joint_desk.panel(window, case.case_id)
        assert shown is not None and shown.late == () and shown.waiting == ""
        assert _decide_offer(window, case.case_id).enabled
        case_desk.take(window, case.case_id, ActionType.DECIDE, {"result": "准予"})
        report = sync_run.sync_once(window)
        assert report.refused == [] and report.pending == 0
        assert show_case(window, case.case_no)["status"] == "approved"
    finally:
        window.close()
