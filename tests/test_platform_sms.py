"""The text messages the platform records (never sends) on 出件 and 送达: in Chinese, naming the case
number, the result, the method and its pick-up code or tracking number; listed, masked, for the unit's
supervisors; none without a phone. A decision that names another unit is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import TOWNSHIP, PlatformProcess
from tests.support.platform_api import APPLICANT, NewCase, bearer, push_one, token


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _issued(client: httpx.Client, case: NewCase) -> None:
    clerk, approver = token(client, TOWNSHIP), token(client, TOWNSHIP, "approver")
    case.upload_blobs(client, clerk)
    assert push_one(client, clerk, case.receive())["result"] == "accepted"
    assert push_one(client, clerk, case.action("accept", {"promised_days": 3}))["result"] == "accepted"
    assert push_one(client, approver, case.action("decide", {"result": "准予", "unit": TOWNSHIP}))["result"] == \
        "accepted"
    assert push_one(client, approver, case.action("issue", {}))["result"] == "accepted"


def _messages(client: httpx.Client, case_no: str) -> list[dict[str, Any]]:
    r = client.get("/api/v1/sms", params={"case_no": case_no}, headers=bearer(token(client, TOWNSHIP, "supervisor")))
    assert r.status_code == 200, r.text
    return r.json()["messages"]  # type: ignore[no-any-return]


def test_issue_and_delivery_to_the_terminal_are_texted_with_the_pick_up_code(client: httpx.Client) -> None:
    case = NewCase()
    _issued(client, case)
    clerk = token(client, TOWNSHIP)
    assert push_one(client, clerk, case.action("deliver", {"method": "自助终端"}))["result"] == "refused"
    done = push_one(client, clerk, case.action("deliver", {"method": "自助终端", "pickup_code": "208431"}))
    assert done["result"] == "accepted"

    delivered, issued = _messages(client, case.case_no)
    assert (delivered["kind"], issued["kind"]) == ("deliver", "issue")
    assert issued["text"].startswith("【") and f"受理编号：{case.case_no}" in issued["text"]
    assert "办理结果：准予" in issued["text"] and "城乡居民基本养老保险参保登记" in issued["text"]
    assert "自助终端" in delivered["text"] and "取件码：208431" in delivered["text"]
    assert case.case_no in delivered["text"] and "准予" in delivered["text"]
    assert {m["phone"] for m in (delivered, issued)} == {"138****0002"}
    assert APPLICANT["phone"] not in str(_messages(client, case.case_no))
    # Only the unit's supervisors and administrator read them.
    for role in ("clerk", "approver"):
        r = client.get("/api/v1/sms", headers=bearer(token(client, TOWNSHIP, role)))
        assert r.status_code == 403 and "效能监察" in r.json()["detail"]["message"]
    r = client.get("/api/v1/sms", headers=bearer(token(client, TOWNSHIP, "admin")))
    assert r.status_code == 200 and any(m["case_no"] == case.case_no for m in r.json()["messages"])


def test_an_applicant_without_a_phone_gets_no_record(client: httpx.Client) -> None:
    case = NewCase(applicant={k: v for k, v in APPLICANT.items() if k != "phone"})
    _issued(client, case)
    done = push_one(client, token(client, TOWNSHIP), case.action("deliver", {"method": "窗口自取"}))
    assert done["result"] == "accepted"
    assert _messages(client, case.case_no) == []


def test_a_decision_naming_another_unit_is_refused(client: httpx.Client) -> None:
    case = NewCase()
    clerk, approver = token(client, TOWNSHIP), token(client, TOWNSHIP, "approver")
    case.upload_blobs(client, clerk)
    push_one(client, clerk, case.receive())
    push_one(client, clerk, case.action("accept", {"promised_days": 3}))
    refused = push_one(client, approver, case.action("decide", {"result": "准予", "unit": "12450400MB1904001F"}))
    assert refused["result"] == "refused" and "不是作出决定的本单位" in refused["reason"]
