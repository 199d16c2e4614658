"""The platform's side of a joint review (网上联审): whom it may ask, who gets the case, who may answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import FGW, STJ, TOWNSHIP, ZJJ, PlatformProcess, user_of
from tests.support.platform_api import NewCase, feed, login_as, push_one, token

PLANNING, PLANNING_NAME = "XK00631000", "建设工程规划许可"
DEPARTMENTS = [{"unit": FGW, "name": "梧州市发展和改革委员会", "due": "2026-11-30", "required": True},
               {"unit": ZJJ, "name": "梧州市住房和城乡建设局", "due": "2026-11-30", "required": False}]


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _accepted_case(client: httpx.Client, tok: str, item: str = PLANNING, name: str = PLANNING_NAME) -> NewCase:
    case = NewCase()
    case.upload_blobs(client, tok)
    receive = case.receive()
    receive["payload"]["item_code"] = receive["case"]["item_code"] = item
    receive["case"]["item_name"] = name
    assert push_one(client, tok, receive)["result"] == "accepted"
    assert push_one(client, tok, case.action("accept", {"promised_days": 10}))["result"] == "accepted"
    return case


def _refused(result: dict[str, Any], words: str) -> None:
    assert result["result"] == "refused" and words in result["reason"], result


def test_a_joint_review_asks_known_departments_under_the_items_rule(client: httpx.Client) -> None:
    window = token(client, TOWNSHIP)
    other = _accepted_case(client, window, "GG00231000", "城乡居民基本养老保险参保登记")
    _refused(push_one(client, window, other.action("joint_review", {"departments": DEPARTMENTS})),
             "事项“城乡居民基本养老保险参保登记”不实行网上联审")

    case = _accepted_case(client, window)
    unknown = [*DEPARTMENTS[:1], {**DEPARTMENTS[1], "unit": "11450400MB1904799C"}]  # valid, but nobody's
    _refused(push_one(client, window, case.action("joint_review", {"departments": unknown})),
             "联审部门“梧州市住房和城乡建设局”（11450400MB1904799C）不是平台登记的单位")
    itself = [*DEPARTMENTS[:1], {**DEPARTMENTS[1], "unit": TOWNSHIP}]
    _refused(push_one(client, window, case.action("joint_review", {"departments": itself})), "联审部门不能是本单位")
    _refused(push_one(client, window, case.action("joint_review", {"departments": DEPARTMENTS, "rule": "all_agree"})),
             "联审规则与事项目录规定的不符")
    _refused(push_one(client, window, case.action("joint_review", {"departments": DEPARTMENTS[:1]})),
             "联审须选择2至20个部门")


def test_each_department_gets_the_case_and_only_an_asked_one_answers_once(client: httpx.Client) -> None:
    window = token(client, TOWNSHIP)
    case = _accepted_case(client, window)
    started = push_one(client, window, case.action("joint_review", {"departments": DEPARTMENTS,
                                                                      "rule": "all_required_agree"}))
    assert started["result"] == "accepted"
    fgw, zjj = (login_as(client, user_of(u, "reviewer"))["access_token"] for u in (FGW, ZJJ))
    stj = login_as(client, user_of(STJ, "reviewer"))["access_token"]
    for tok in (fgw, zjj):
        kinds = [e["kind"] for e in feed(client, tok) if e["case_id"] == case.case_id]
        assert kinds == ["case"]  # the whole case, its joint review included
    assert [e for e in feed(client, stj) if e["case_id"] == case.case_id] == []  # not asked: nothing

    opinion = {"unit": FGW, "result": "同意", "text": "符合产业政策，同意。"}
    _refused(push_one(client, stj, case.action("joint_opinion", {**opinion, "unit": STJ})), "本单位无权办理")
    _refused(push_one(client, fgw, case.action("joint_opinion", {**opinion, "unit": ZJJ})), "意见须注明出具意见的单位")
    fgw_clerk = login_as(client, user_of(FGW, "clerk"))["access_token"]
    _refused(push_one(client, fgw_clerk, case.action("joint_opinion", opinion)), "请由审核人员、审批人员办理")
    _refused(push_one(client, fgw, case.action("decide", {"result": "准予"})), "本单位不能作出决定")
    assert push_one(client, fgw, case.action("joint_opinion", opinion))["result"] == "accepted"
    _refused(push_one(client, fgw, case.action("joint_opinion", opinion)), "已反馈联审意见，不能重复反馈")

    # The window and the other department hear of the answer; with the required department agreed,
    # the window may approve (the optional one has not answered).
    for tok in (window, zjj):
        assert any(e["kind"] == "action" and e["body"]["type"] == "joint_opinion"
                   for e in feed(client, tok) if e["case_id"] == case.case_id)
    approver = token(client, TOWNSHIP, "approver")
    assert push_one(client, approver, case.action("decide", {"result": "准予"}))["result"] == "accepted"
