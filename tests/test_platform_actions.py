"""Pushing case actions to the city platform: idempotency, authority, forwarding, the feed (real process)."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import CITY, COUNTY, OTHER_COUNTY, TOWNSHIP, TOWNSHIP_2, PlatformProcess
from tests.support.platform_api import NewCase, bearer, feed, push, push_one, sha256, token, upload

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


@pytest.fixture
def tokens(client: httpx.Client) -> dict[str, str]:
    """Each unit's default user: the window clerk of a township, the reviewer of a county or the city."""
    return {unit: token(client, unit) for unit in (TOWNSHIP, TOWNSHIP_2, COUNTY, OTHER_COUNTY, CITY)}


@pytest.fixture
def approvers(client: httpx.Client) -> dict[str, str]:
    """Who decides and issues: the approver of the township and of the county."""
    return {unit: token(client, unit, "approver") for unit in (TOWNSHIP, COUNTY)}


def _accepted(result: dict[str, Any], seq: int | None = None) -> None:
    assert result["result"] == "accepted", result
    if seq is not None:
        assert result["seq"] == seq
    assert result["received_at"]


def _refused(result: dict[str, Any], *fragments: str) -> str:
    assert result["result"] == "refused", result
    reason: str = result["reason"]
    assert CHINESE.search(reason), reason
    for fragment in fragments:
        assert fragment in reason
    return reason


def _received_case(client: httpx.Client, tokens: dict[str, str], *, accept: bool = True) -> NewCase:
    """A case received (and accepted, 5 working days) by the township, blobs uploaded first."""
    case = NewCase()
    case.upload_blobs(client, tokens[TOWNSHIP])
    _accepted(push_one(client, tokens[TOWNSHIP], case.receive()), 1)
    if accept:
        _accepted(push_one(client, tokens[TOWNSHIP], case.action("accept", {"promised_days": 5})), 2)
    return case


def _forwarded_case(client: httpx.Client, tokens: dict[str, str]) -> NewCase:
    case = _received_case(client, tokens)
    forward = case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"})
    _accepted(push_one(client, tokens[TOWNSHIP], forward), 3)
    return case


def _case_entries(entries: list[dict[str, Any]], case: NewCase) -> list[dict[str, Any]]:
    return [e for e in entries if e["case_id"] == case.case_id]


# -- receive: blobs first, then exactly once -------------------------------------------------------


def test_receive_waits_for_its_blobs_then_is_taken_exactly_once(client: httpx.Client,
                                                                tokens: dict[str, str]) -> None:
    tok = tokens[TOWNSHIP]
    case = NewCase()
    receive = case.receive()
    early = push_one(client, tok, receive)
    assert early["result"] == "retry"
    assert early["seq"] is None
    assert not _case_entries(feed(client, tok), case)  # nothing was created
    assert push_one(client, tok, case.action("accept", {"promised_days": 5}))["result"] == "retry"

    case.upload_blobs(client, tok)
    first = push_one(client, tok, receive)
    _accepted(first, 1)
    assert dt.datetime.fromisoformat(first["received_at"]).tzinfo is not None

    again = push_one(client, tok, receive)
    assert again["result"] == "duplicate"
    assert (again["seq"], again["received_at"]) == (first["seq"], first["received_at"])

    entries = _case_entries(feed(client, tok), case)
    assert [e["kind"] for e in entries] == ["case"]  # one case, not two
    body = entries[0]["body"]
    assert body["owner"] == TOWNSHIP
    assert body["envelope"]["case_no"] == case.case_no
    assert [a["type"] for a in body["actions"]] == ["receive"]

    changed = {**receive, "payload": {**receive["payload"], "item_code": "GG00231001"}}
    reason = _refused(push_one(client, tok, changed), "操作编号")
    # A refusal is an answer too: the same thing sent again is refused with the same reason.
    assert push_one(client, tok, changed)["reason"] == reason
    assert len(_case_entries(feed(client, tok), case)) == 1


def test_a_second_case_with_a_taken_case_number_is_refused(client: httpx.Client, tokens: dict[str, str]) -> None:
    first = _received_case(client, tokens, accept=False)
    second = NewCase(case_no=first.case_no)
    second.upload_blobs(client, tokens[TOWNSHIP])
    _refused(push_one(client, tokens[TOWNSHIP], second.receive()), first.case_no)


def test_a_batch_is_judged_in_order(client: httpx.Client, tokens: dict[str, str]) -> None:
    case = NewCase()
    case.upload_blobs(client, tokens[TOWNSHIP])
    results = push(client, tokens[TOWNSHIP], case.receive(), case.action("accept", {"promised_days": 5}),
                   case.action("accept", {"promised_days": 5}),
                   case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"}))
    assert [r["result"] for r in results] == ["accepted", "accepted", "refused", "accepted"]
    assert [r["seq"] for r in results] == [1, 2, None, 3]
    _refused(results[2], "不能重复受理")


@pytest.mark.parametrize(("kind", "payload", "fragment"), [
    ("accept", {"promised_days": "5"}, "承诺时限"),
    ("accept", {"promised_days": -1}, "承诺时限"),
    ("accept", {}, "承诺时限"),
    ("accept", {"promised_days": True}, "承诺时限"),
    ("accept", {"promised_days": 10**9}, "承诺时限"),  # would overflow every client's deadline sums
    ("teleport", {}, "teleport"),
])
def test_malformed_actions_are_refused_with_a_reason(client: httpx.Client, tokens: dict[str, str], kind: str,
                                                     payload: dict[str, Any], fragment: str) -> None:
    case = _received_case(client, tokens, accept=False)
    _refused(push_one(client, tokens[TOWNSHIP], case.action(kind, payload)), fragment)


@pytest.mark.parametrize("payload", [
    {"result": ["准予"]}, {"result": {"准予": True}}, {"result": None}, {"result": 1}, {"result": "不予"},
])
def test_a_malformed_decision_is_refused_not_a_server_error(client: httpx.Client, tokens: dict[str, str],
                                                            approvers: dict[str, str],
                                                            payload: dict[str, Any]) -> None:
    case = _received_case(client, tokens)
    _refused(push_one(client, approvers[TOWNSHIP], case.action("decide", payload)))
    _accepted(push_one(client, approvers[TOWNSHIP], case.action("decide", {"result": "准予"})), 3)


@pytest.mark.parametrize("at", ["2026-11-23T09:00:00", "2026-11-23", "yesterday at nine"])
def test_a_device_time_without_offset_is_refused(client: httpx.Client, tokens: dict[str, str], at: str) -> None:
    case = _received_case(client, tokens, accept=False)
    _refused(push_one(client, tokens[TOWNSHIP], case.action("accept", {"promised_days": 5}, at=at)), "时间")


# -- who may act ----------------------------------------------------------------------------------


def test_units_that_cannot_see_a_case_are_refused(client: httpx.Client, tokens: dict[str, str]) -> None:
    case = _received_case(client, tokens, accept=False)
    for unit in (TOWNSHIP_2, OTHER_COUNTY, COUNTY):
        _refused(push_one(client, tokens[unit], case.action("accept", {"promised_days": 5})), "无权")
    _accepted(push_one(client, tokens[TOWNSHIP], case.action("accept", {"promised_days": 5})), 2)


def test_forward_only_to_the_parent_unit(client: httpx.Client, tokens: dict[str, str]) -> None:
    case = _received_case(client, tokens)
    for to in (OTHER_COUNTY, CITY, TOWNSHIP_2):
        forward = case.action("forward", {"to": to, "unit": TOWNSHIP, "text": "拟同意"})
        _refused(push_one(client, tokens[TOWNSHIP], forward), "只能上报至上一级单位", COUNTY)
    r = client.get("/api/v1/feed", headers=bearer(tokens[OTHER_COUNTY]))
    assert not _case_entries(r.json()["entries"], case)
    _accepted(push_one(client, tokens[TOWNSHIP],
                       case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"})), 3)


def test_a_forwarded_case_is_handled_by_the_county_until_it_returns_it(client: httpx.Client,
                                                                      tokens: dict[str, str],
                                                                      approvers: dict[str, str]) -> None:
    case = _forwarded_case(client, tokens)
    township, county = approvers[TOWNSHIP], tokens[COUNTY]
    # The clerk reads which unit has the case by its name, not only by its code.
    _refused(push_one(client, township, case.action("decide", {"result": "准予"})), "已上报", "万秀区政务服务中心")
    _refused(push_one(client, tokens[OTHER_COUNTY], case.action("opinion", {
        "result": "同意", "text": "同意", "unit": OTHER_COUNTY})), "无权")
    # An opinion must name the unit that gives it.
    _refused(push_one(client, county, case.action("opinion", {"result": "同意", "text": "同意", "unit": TOWNSHIP})))

    # A 退回 lists, per material of the case, what to correct: the platform folds with the same rules.
    _refused(push_one(client, county, case.action("opinion", {
        "result": "退回", "text": "请补充户籍证明后再报", "unit": COUNTY})), "逐项列出")
    _refused(push_one(client, county, case.action("opinion", {
        "result": "退回", "text": "请补正", "unit": COUNTY,
        "returns": [{"material": "户口簿", "what": "缺首页"}]})), "“户口簿”不是该办件的材料")
    returned = case.action("opinion", {"result": "退回", "text": "请补充户籍证明后再报", "unit": COUNTY,
                                       "returns": [{"material": "身份证", "what": "请提供反面"}]})
    _accepted(push_one(client, county, returned), 4)
    _refused(push_one(client, county, case.action("decide", {"result": "准予"})), "不能作出决定")
    _accepted(push_one(client, township, case.action("decide", {"result": "准予"})), 5)


def test_the_county_decides_after_agreeing_and_the_window_can_no_longer_withdraw(
        client: httpx.Client, tokens: dict[str, str], approvers: dict[str, str]) -> None:
    case = _forwarded_case(client, tokens)
    township, county = tokens[TOWNSHIP], tokens[COUNTY]
    _accepted(push_one(client, county, case.action("opinion", {"result": "同意", "text": "同意", "unit": COUNTY})), 4)
    _accepted(push_one(client, approvers[COUNTY], case.action("decide", {"result": "准予"})), 5)
    _refused(push_one(client, township, case.action("withdraw", {"reason": "申请人撤回"})), "准予", "撤回")
    # The decision goes back to the receiving unit, whose approver issues the result.
    _accepted(push_one(client, approvers[TOWNSHIP], case.action("issue")), 6)
    _refused(push_one(client, county, case.action("deliver", {"method": "邮寄"})))


def test_the_window_may_withdraw_a_forwarded_case_while_it_is_open(client: httpx.Client, tokens: dict[str, str],
                                                                   approvers: dict[str, str]) -> None:
    case = _forwarded_case(client, tokens)
    _accepted(push_one(client, tokens[TOWNSHIP], case.action("withdraw", {"reason": "申请人撤回"})), 4)
    _refused(push_one(client, approvers[COUNTY], case.action("decide", {"result": "准予"})), "已撤回")
    county_feed = _case_entries(feed(client, tokens[COUNTY]), case)
    assert [e["body"]["type"] for e in county_feed if e["kind"] == "action"] == ["withdraw"]
    # The file goes back to the unit that received it: its archivist archives, the county cannot.
    _refused(push_one(client, token(client, COUNTY, "archivist"), case.action("archive")))
    _accepted(push_one(client, token(client, TOWNSHIP, "archivist"), case.action("archive")), 5)


def test_a_decision_racing_a_withdrawal_gets_exactly_one_winner(client: httpx.Client,
                                                                tokens: dict[str, str], approvers: dict[str, str],
                                                                platform: PlatformProcess) -> None:  # noqa: F811
    senders = {TOWNSHIP: tokens[TOWNSHIP], COUNTY: approvers[COUNTY]}
    for _ in range(3):
        case = _forwarded_case(client, tokens)
        _accepted(push_one(client, tokens[COUNTY],
                           case.action("opinion", {"result": "同意", "text": "同意", "unit": COUNTY})), 4)
        sent = {TOWNSHIP: case.action("withdraw", {"reason": "申请人撤回"}),
                COUNTY: case.action("decide", {"result": "准予"})}
        results: dict[str, dict[str, Any]] = {}
        start = threading.Barrier(2)

        def send(unit: str, action: dict[str, Any], start: threading.Barrier,
                 results: dict[str, dict[str, Any]]) -> None:
            with httpx.Client(base_url=platform.url, timeout=10) as c:
                start.wait()
                results[unit] = push_one(c, senders[unit], action)

        threads = [threading.Thread(target=send, args=(unit, action, start, results)) for unit, action in sent.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        outcomes = sorted(r["result"] for r in results.values())
        assert outcomes == ["accepted", "refused"], results
        winner = next(r for r in results.values() if r["result"] == "accepted")
        assert winner["seq"] == 5
        actions = [e["body"] for e in _case_entries(feed(client, tokens[TOWNSHIP]), case) if e["kind"] == "action"]
        assert [a["type"] for a in actions][-1] == next(
            sent[u]["type"] for u, r in results.items() if r["result"] == "accepted")


# -- the feed -------------------------------------------------------------------------------------


def test_the_county_feed_gets_the_forwarded_case_then_its_actions(client: httpx.Client, tokens: dict[str, str],
                                                                  approvers: dict[str, str]) -> None:
    county_before = feed(client, tokens[COUNTY])
    cursor = county_before[-1]["seq"] if county_before else 0
    case = _forwarded_case(client, tokens)
    opinion = case.action("opinion", {"result": "同意", "text": "同意", "unit": COUNTY})
    decide = case.action("decide", {"result": "准予"})
    _accepted(push_one(client, tokens[COUNTY], opinion), 4)
    _accepted(push_one(client, approvers[COUNTY], decide), 5)

    entries = _case_entries(feed(client, tokens[COUNTY], after=cursor), case)
    assert [e["kind"] for e in entries] == ["case", "action", "action"]
    whole = entries[0]["body"]
    assert whole["id"] == case.case_id and whole["owner"] == TOWNSHIP
    assert whole["envelope"]["case_no"] == case.case_no
    assert whole["envelope"]["applicant"]["name"] == "覃桂兰"
    assert [m["name"] for m in whole["envelope"]["materials"]] == ["身份证"]
    assert [(a["seq"], a["type"]) for a in whole["actions"]] == [(1, "receive"), (2, "accept"), (3, "forward")]
    assert [(e["body"]["seq"], e["body"]["id"]) for e in entries[1:]] == [(4, opinion["id"]), (5, decide["id"])]
    for action in [*whole["actions"], *(e["body"] for e in entries[1:])]:
        # Device time as the clerk's PC recorded it, and the platform's own receipt time beside it.
        assert dt.datetime.fromisoformat(action["at"]).utcoffset() == dt.timedelta(hours=8)
        assert dt.datetime.fromisoformat(action["received_at"]).tzinfo is not None
    assert entries[1]["body"]["unit"] == COUNTY
    assert whole["actions"][0]["unit"] == TOWNSHIP

    township = _case_entries(feed(client, tokens[TOWNSHIP]), case)
    assert [e["kind"] for e in township] == ["case", "action", "action", "action", "action"]
    assert [e["body"]["type"] for e in township[1:]] == ["accept", "forward", "opinion", "decide"]
    for unit in (OTHER_COUNTY, TOWNSHIP_2):
        assert not _case_entries(feed(client, tokens[unit]), case)


def test_the_feed_pages_with_its_cursor_without_gaps(client: httpx.Client, tokens: dict[str, str]) -> None:
    _forwarded_case(client, tokens)
    tok = tokens[COUNTY]
    everything = feed(client, tok)
    assert {e["kind"] for e in everything} >= {"units", "catalog", "holidays", "case"}
    walked, after = [], 0
    while True:
        r = client.get("/api/v1/feed", params={"after": after, "limit": 1}, headers=bearer(tok))
        page = r.json()
        assert len(page["entries"]) <= 1
        walked += page["entries"]
        if not page["more"]:
            break
        assert page["cursor"] == page["entries"][-1]["seq"]
        after = page["cursor"]
    assert walked == everything
    seqs = [e["seq"] for e in walked]
    assert seqs == sorted(set(seqs))
    last = client.get("/api/v1/feed", params={"after": seqs[-1]}, headers=bearer(tok)).json()
    assert last == {"entries": [], "cursor": seqs[-1], "more": False}


# -- amending materials: new blobs first, then the envelope follows -------------------------------


def _amendment(case: NewCase, new: bytes, pdf: bytes) -> dict[str, Any]:
    material = {"id": str(uuid.uuid4()), "name": "身份证", "pdf_sha256": sha256(pdf), "pdf_bytes": len(pdf),
                "pages": [{"sha256": sha256(new), "bytes": len(new), "kind": "color", "rotation": 90}]}
    return case.action("amend_materials", {"materials": [material], "changes": [{"op": "rescan", "page": 1}]})


def test_an_amendment_waits_for_its_new_blobs_and_becomes_the_case_envelope(client: httpx.Client,
                                                                           tokens: dict[str, str]) -> None:
    tok = tokens[TOWNSHIP]
    case = _received_case(client, tokens, accept=False)
    new, pdf = os.urandom(4000), os.urandom(2000)
    amend = _amendment(case, new, pdf)
    assert push_one(client, tok, amend)["result"] == "retry"  # the rescanned page is not there yet
    upload(client, tok, new)
    upload(client, tok, pdf)
    _accepted(push_one(client, tok, amend), 2)
    assert push_one(client, tok, amend)["result"] == "duplicate"
    # Forwarded later, the county is given the materials as amended, and may download them.
    _accepted(push_one(client, tok, case.action("accept", {"promised_days": 5})), 3)
    _accepted(push_one(client, tok, case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"})), 4)
    (given,) = [e for e in _case_entries(feed(client, tokens[COUNTY]), case) if e["kind"] == "case"]
    (material,) = given["body"]["envelope"]["materials"]
    assert material["pdf_sha256"] == sha256(pdf) and material["pages"][0]["rotation"] == 90
    got = client.get(f"/api/v1/blobs/{sha256(new)}", headers=bearer(tokens[COUNTY]))
    assert got.status_code == 200 and got.content == new


def test_an_amendment_after_acceptance_or_malformed_is_refused(client: httpx.Client, tokens: dict[str, str]) -> None:
    tok = tokens[TOWNSHIP]
    case = _received_case(client, tokens, accept=False)
    bad = case.action("amend_materials", {"materials": [{"name": "身份证", "pdf_sha256": "x", "pages": [{}]}]})
    _refused(push_one(client, tok, bad), "材料清单格式错误")
    _accepted(push_one(client, tok, case.action("accept", {"promised_days": 5})), 2)
    new, pdf = os.urandom(4000), os.urandom(2000)
    upload(client, tok, new)
    upload(client, tok, pdf)
    _refused(push_one(client, tok, _amendment(case, new, pdf)), "不能补正材料")
    _refused(push_one(client, tokens[TOWNSHIP_2], _amendment(case, new, pdf)))


def test_a_returned_case_is_amended_by_the_window_that_received_it_and_only_then(
        client: httpx.Client, tokens: dict[str, str], approvers: dict[str, str]) -> None:
    tok, county = tokens[TOWNSHIP], tokens[COUNTY]
    case = _forwarded_case(client, tokens)
    new, pdf = os.urandom(4000), os.urandom(2000)
    upload(client, tok, new)
    upload(client, tok, pdf)
    _refused(push_one(client, tok, _amendment(case, new, pdf)), "万秀区政务服务中心", "不能补正材料")
    returns = [{"material": "身份证", "what": "反面不清晰"}]
    _accepted(push_one(client, county, case.action("opinion", {
        "result": "退回", "text": "请补正", "unit": COUNTY, "returns": returns})), 4)
    _refused(push_one(client, county, _amendment(case, new, pdf)))  # the county does not hold it now
    _accepted(push_one(client, tok, _amendment(case, new, pdf)), 5)
    _accepted(push_one(client, approvers[TOWNSHIP], case.action("forward", {
        "to": COUNTY, "unit": TOWNSHIP, "text": "已补正"})), 6)
    # Forwarded again, the case is the county's: the window amends nothing more.
    again = _amendment(case, os.urandom(10), os.urandom(10))
    _refused(push_one(client, tok, again), "不能补正材料")
