"""Joint review end to end (must hold of issue 16): three departments, one late; the decision is refused
by the window and by the platform until the item's rule is met, and allowed once the late one answers."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from app.core.errors import UserError
from app.core.lifecycle import ActionType
from app.services import case_desk, joint_desk, sync_run
from app.services.context import AppContext
from app.services.queries import show_case
from app.sync.retry import RetryPolicy
from tests.platform_fixture import platform  # noqa: F401
from tests.support import joint
from tests.support.platform import CITY, PlatformProcess, user_of
from tests.support.platform_api import login_as, push_one

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


def _decide_offer(ctx: AppContext, case_id: str) -> case_desk.Offer:
    return next(o for o in case_desk.offered_actions(ctx, case_id) if o.kind is ActionType.DECIDE)


def test_three_departments_one_late_the_decision_waits_for_the_rule_here_and_on_the_platform(
        platform: PlatformProcess, tmp_path: Path, pages: dict[str, Path]) -> None:  # noqa: F811
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

    joint.answer(case, joint.LATE)  # late, but it answers

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
