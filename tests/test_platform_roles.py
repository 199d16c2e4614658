"""Who is at the window (real process): roles, AB posts, the actor is a person, key escrow."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.inprocess import served_platform
from tests.support.platform import COUNTY, OTHER_COUNTY, TOWNSHIP, TOWNSHIP_2, PlatformProcess, user_of
from tests.support.platform_api import NewCase, bearer, feed, push_one, token

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _result(result: dict[str, Any], expected: str, *fragments: str) -> str:
    assert result["result"] == expected, result
    reason: str = result["reason"]
    if expected == "refused":
        assert CHINESE.search(reason), result
    for fragment in fragments:
        assert fragment in reason, result
    return reason


def _received(client: httpx.Client, tok: str, *, accept: bool = True) -> NewCase:
    case = NewCase()
    case.upload_blobs(client, tok)
    _result(push_one(client, tok, case.receive()), "accepted")
    if accept:
        _result(push_one(client, tok, case.action("accept", {"promised_days": 5})), "accepted")
    return case


def _away(client: httpx.Client, tok: str, username: str, away: bool) -> httpx.Response:
    return client.post(f"/api/v1/users/{username}/away", json={"away": away}, headers=bearer(tok))


def _actions(client: httpx.Client, tok: str, case: NewCase) -> list[dict[str, Any]]:
    """The case's actions as the unit's feed shows them: whole case first, then each action."""
    out: list[dict[str, Any]] = []
    for e in feed(client, tok):
        if e["case_id"] == case.case_id:
            out += e["body"]["actions"] if e["kind"] == "case" else [e["body"]]
    return out


# -- roles ------------------------------------------------------------------------------------------


def test_each_role_does_its_own_steps_and_is_told_whose_the_others_are(client: httpx.Client) -> None:
    clerk, reviewer = token(client, TOWNSHIP, "clerk"), token(client, TOWNSHIP, "reviewer")
    approver, archivist = token(client, TOWNSHIP, "approver"), token(client, TOWNSHIP, "archivist")
    admin, supervisor = token(client, TOWNSHIP, "admin"), token(client, TOWNSHIP, "supervisor")

    case = NewCase()
    case.upload_blobs(client, clerk)
    _result(push_one(client, reviewer, case.receive()), "refused",
            "您的岗位（审核）不能办理“收件”，请由窗口受理人员办理")
    _result(push_one(client, clerk, case.receive()), "accepted")
    _result(push_one(client, admin, case.action("accept", {"promised_days": 5})), "refused", "单位管理员")
    _result(push_one(client, clerk, case.action("accept", {"promised_days": 5})), "accepted")
    _result(push_one(client, clerk, case.action("start_review")), "refused", "窗口受理", "审核人员")
    _result(push_one(client, reviewer, case.action("start_review")), "accepted")
    _result(push_one(client, clerk, case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"})),
            "refused", "不能在办件“审查中”时办理“上报”")
    _result(push_one(client, reviewer, case.action("decide", {"result": "准予"})), "refused", "请由审批人员办理")
    _result(push_one(client, supervisor, case.action("decide", {"result": "准予"})), "refused", "效能监察")
    _result(push_one(client, approver, case.action("decide", {"result": "准予"})), "accepted")
    _result(push_one(client, approver, case.action("issue")), "accepted")
    _result(push_one(client, archivist, case.action("deliver", {"method": "窗口自取"})), "refused", "档案管理")
    _result(push_one(client, clerk, case.action("deliver", {"method": "窗口自取"})), "accepted")
    _result(push_one(client, clerk, case.action("archive")), "refused", "请由档案管理人员办理")
    _result(push_one(client, archivist, case.action("archive")), "accepted")

    recorded = [(a["type"], a["actor"], a["role"], a["post"]) for a in _actions(client, clerk, case)]
    assert recorded == [
        ("receive", user_of(TOWNSHIP, "clerk"), "clerk", "A"), ("accept", user_of(TOWNSHIP, "clerk"), "clerk", "A"),
        ("start_review", user_of(TOWNSHIP, "reviewer"), "reviewer", None),
        ("decide", user_of(TOWNSHIP, "approver"), "approver", None),
        ("issue", user_of(TOWNSHIP, "approver"), "approver", None),
        ("deliver", user_of(TOWNSHIP, "clerk"), "clerk", "A"),
        ("archive", user_of(TOWNSHIP, "archivist"), "archivist", None),
    ]


def test_the_clerk_settles_a_zero_day_case_on_the_spot_and_no_other(client: httpx.Client) -> None:
    clerk = token(client, TOWNSHIP, "clerk")
    timed = _received(client, clerk)  # promised in 5 working days: an approver decides
    _result(push_one(client, clerk, timed.action("decide", {"result": "准予"})), "refused", "请由审批人员办理")
    on_the_spot = _received(client, clerk, accept=False)
    _result(push_one(client, clerk, on_the_spot.action("accept", {"promised_days": 0})), "accepted")
    for kind, payload in (("decide", {"result": "准予", "text": "即办件，当场办结"}), ("issue", {}),
                          ("deliver", {"method": "窗口自取"})):
        _result(push_one(client, clerk, on_the_spot.action(kind, payload)), "accepted")
    assert [a["type"] for a in _actions(client, clerk, on_the_spot)] == [
        "receive", "accept", "decide", "issue", "deliver"]


def test_roles_without_casework_or_uploads_are_refused_the_data_routes(client: httpx.Client) -> None:
    admin, supervisor = token(client, TOWNSHIP, "admin"), token(client, TOWNSHIP, "supervisor")
    r = client.get("/api/v1/feed", headers=bearer(admin))
    assert r.status_code == 403 and "单位管理员" in r.json()["detail"]["message"]
    assert client.get("/api/v1/feed", headers=bearer(supervisor)).status_code == 200
    for tok in (admin, supervisor, token(client, TOWNSHIP, "archivist")):
        r = client.post("/api/v1/blobs/missing", json={"hashes": []}, headers=bearer(tok))
        assert r.status_code == 403 and CHINESE.search(r.json()["detail"]["message"])
        r = client.post("/files", headers={"Tus-Resumable": "1.0.0", "Upload-Length": "3", **bearer(tok)})
        assert r.status_code == 403 and r.headers["tus-resumable"] == "1.0.0"


# -- AB posts and away ------------------------------------------------------------------------------


def test_the_b_post_acts_only_while_the_a_post_is_away(client: httpx.Client) -> None:
    # 夏郢镇: its A post is marked away and back here, which no other test of the module relies on.
    a, b = token(client, TOWNSHIP_2, "clerk"), token(client, TOWNSHIP_2, "clerk2")
    admin = token(client, TOWNSHIP_2, "admin")
    a_user, b_user = user_of(TOWNSHIP_2, "clerk"), user_of(TOWNSHIP_2, "clerk2")
    case = NewCase(case_no=_number(TOWNSHIP_2))
    case.upload_blobs(client, b)
    _result(push_one(client, b, case.receive()), "refused", "A岗", "不在岗")
    case.upload_blobs(client, a)
    _result(push_one(client, a, case.receive()), "accepted")
    _result(push_one(client, b, case.action("accept", {"promised_days": 5})), "refused",
            "城乡居民基本养老保险参保登记", "A岗万秀区夏郢镇便民服务中心窗口受理员")

    # The B post cannot declare the A post away; the A post (or the unit's administrator) can.
    r = _away(client, b, a_user, True)
    assert r.status_code == 403 and "单位管理员" in r.json()["detail"]["message"]
    r = _away(client, a, a_user, True)
    assert r.status_code == 200 and r.json() == {"user": a_user, "away": True}
    assert client.get("/api/v1/me", headers=bearer(a)).json()["away"] is True
    _result(push_one(client, b, case.action("accept", {"promised_days": 5})), "accepted")
    assert _away(client, admin, a_user, False).json() == {"user": a_user, "away": False}
    _result(push_one(client, b, case.action("withdraw", {"reason": "申请人撤回"})), "refused", "A岗")
    _result(push_one(client, a, case.action("withdraw", {"reason": "申请人撤回"})), "accepted")
    assert [(x["actor"], x["post"]) for x in _actions(client, a, case)] == [(a_user, "A"), (b_user, "B"), (a_user, "A")]
    # Marking oneself back works too, and the administrator may mark the B post.
    assert _away(client, b, b_user, False).status_code == 200
    assert _away(client, admin, b_user, False).status_code == 200


def test_away_is_the_unit_s_own_business(client: httpx.Client) -> None:
    other_admin, own_reviewer = token(client, OTHER_COUNTY, "admin"), token(client, TOWNSHIP, "reviewer")
    for tok, name in ((other_admin, user_of(TOWNSHIP, "clerk")), (own_reviewer, "nobody-at-all"),
                      (own_reviewer, user_of(OTHER_COUNTY, "clerk"))):
        r = _away(client, tok, name, True)
        assert r.status_code == 404 and r.json()["detail"]["code"] == "no_user"
    r = _away(client, own_reviewer, user_of(TOWNSHIP, "clerk"), True)
    assert r.status_code == 403 and "登记他人不在岗" in r.json()["detail"]["message"]


# -- the actor is a person --------------------------------------------------------------------------


def test_an_action_that_says_who_is_at_the_window_must_name_the_signed_in_person(client: httpx.Client) -> None:
    clerk = token(client, TOWNSHIP, "clerk")
    me = user_of(TOWNSHIP, "clerk")
    case = _received(client, clerk, accept=False)
    accept = case.action("accept", {"promised_days": 5})
    for claim, fragment in (
        ({"actor": "县长本人", "device": "窗口3号机"}, "县长本人"),
        ({"actor": user_of(TOWNSHIP, "clerk2"), "post": "B"}, "clerk2-450403102"),
        ({"role": "approver"}, "本机记录的岗位（审批）与平台登记的岗位（窗口受理）不符"),
        ({"role": "county-head"}, "county-head"),
        ({"post": "B"}, "B岗（备岗）"),
        ({"post": None}, "无岗位"),
    ):
        _result(push_one(client, clerk, {**accept, "id": str(uuid.uuid4()), **claim}), "refused", fragment)
    sent = {**accept, "actor": me, "actor_name": "别名", "role": "clerk", "post": "A", "device": "城东镇3号窗口"}
    _result(push_one(client, clerk, sent), "accepted")
    _result(push_one(client, clerk, sent), "duplicate")
    (recorded,) = [a for a in _actions(client, clerk, case) if a["id"] == accept["id"]]
    assert {k: recorded[k] for k in ("actor", "actor_name", "role", "post", "device")} == {
        "actor": me, "actor_name": "万秀区城东镇便民服务中心窗口受理员", "role": "clerk", "post": "A",
        "device": "城东镇3号窗口"}


@pytest.mark.parametrize("field", [
    {"device": "x" * 201}, {"actor_name": "x" * 65}, {"role": "r" * 17}, {"post": "C"}, {"device": "a\x00b"},
])
def test_identity_fields_are_bounded(client: httpx.Client, field: dict[str, Any]) -> None:
    clerk = token(client, TOWNSHIP, "clerk")
    action = {**NewCase().action("accept", {"promised_days": 5}), "actor": user_of(TOWNSHIP, "clerk"), **field}
    assert client.post("/api/v1/actions", json={"actions": [action]}, headers=bearer(clerk)).status_code == 422


def test_the_platform_refuses_another_actor_from_older_clients_too(tmp_path: Path) -> None:
    with served_platform(tmp_path) as (_, url, _seeded), \
            httpx.Client(base_url=url, timeout=10) as c:
        tok = token(c, TOWNSHIP, "clerk")
        case = NewCase()
        case.upload_blobs(c, tok)
        _result(push_one(c, tok, {**case.receive(), "actor": "Administrator"}), "refused", "Administrator")
        _result(push_one(c, tok, case.receive()), "accepted")


# -- installation keys ------------------------------------------------------------------------------


def test_an_installation_key_is_made_once_and_given_to_its_unit_only(client: httpx.Client) -> None:
    installation = str(uuid.uuid4())
    path = f"/api/v1/installations/{installation}/secret"
    first = client.post(path, headers=bearer(token(client, TOWNSHIP, "clerk")))
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    secret = first.json()["secret"]
    assert len(base64.b64decode(secret, validate=True)) == 32
    # Every role of the unit may sign in on that PC: each gets the same key, in any spelling of the id.
    for role in ("clerk2", "reviewer", "approver", "supervisor", "archivist", "admin"):
        r = client.post(path.upper().replace("/API/V1/INSTALLATIONS/", "/api/v1/installations/")
                        .replace("/SECRET", "/secret"), headers=bearer(token(client, TOWNSHIP, role)))
        assert r.json() == {"secret": secret}, role
    # Anyone else: the answer an unknown name gets.
    for unit in (TOWNSHIP_2, COUNTY, OTHER_COUNTY):
        r = client.post(path, headers=bearer(token(client, unit)))
        assert r.status_code == 404 and r.json()["detail"]["code"] == "no_installation"
    assert client.post(path).status_code == 401
    assert client.post("/api/v1/installations/not-a-uuid/secret", headers=bearer(token(client, TOWNSHIP))
                       ).status_code == 422
    # Another installation of the same unit has a key of its own.
    other = client.post(f"/api/v1/installations/{uuid.uuid4()}/secret", headers=bearer(token(client, TOWNSHIP)))
    assert other.json()["secret"] != secret


def _number(unit: str) -> str:
    from tests.support.platform_api import case_number

    return case_number(unit)
