"""The city platform on a real PostgreSQL: the core flow, and what PostgreSQL is stricter about."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.pg_fixture import postgres_server, postgres_url  # noqa: F401
from tests.support.platform import COUNTY, OTHER_COUNTY, TOWNSHIP, PlatformProcess
from tests.support.platform_api import NewCase, bearer, create_upload, feed, missing, push, push_one, sha256, token


@pytest.fixture
def pg_platform(tmp_path: Path, postgres_url: str) -> Iterator[PlatformProcess]:  # noqa: F811
    assert postgres_url.startswith("postgresql")
    with PlatformProcess(tmp_path / "pg-platform", db_url=postgres_url) as p:
        yield p


@pytest.fixture
def client(pg_platform: PlatformProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pg_platform.url, timeout=30) as c:
        yield c


def test_the_core_flow_on_postgres(client: httpx.Client) -> None:
    township, county = token(client, TOWNSHIP), token(client, COUNTY)
    case = NewCase()
    receive = case.receive()
    assert push_one(client, township, receive)["result"] == "retry"
    assert sorted(missing(client, township, list(case.blobs))) == sorted(case.blobs)
    case.upload_blobs(client, township)  # tus, by hand
    assert missing(client, township, list(case.blobs)) == []

    accept = case.action("accept", {"promised_days": 5})
    forward = case.action("forward", {"to": COUNTY, "unit": TOWNSHIP, "text": "拟同意"})
    results = push(client, township, receive, accept, forward)
    assert [(r["result"], r["seq"]) for r in results] == [("accepted", 1), ("accepted", 2), ("accepted", 3)]
    again = push(client, township, receive, accept, forward)
    assert [(r["result"], r["seq"]) for r in again] == [("duplicate", 1), ("duplicate", 2), ("duplicate", 3)]
    assert [r["received_at"] for r in again] == [r["received_at"] for r in results]

    entries = [e for e in feed(client, county) if e["case_id"] == case.case_id]
    assert [e["kind"] for e in entries] == ["case"]
    body = entries[0]["body"]
    assert body["envelope"]["applicant"]["name"] == "覃桂兰"
    assert [a["type"] for a in body["actions"]] == ["receive", "accept", "forward"]
    pdf_sha, pdf = next(iter(case.blobs.items()))
    r = client.get(f"/api/v1/blobs/{pdf_sha}", headers=bearer(county))
    assert r.status_code == 200 and r.content == pdf
    assert not [e for e in feed(client, token(client, OTHER_COUNTY)) if e["case_id"] == case.case_id]

    decision = push_one(client, township, case.action("decide", {"result": "准予"}))
    assert decision["result"] == "refused" and "已上报" in decision["reason"]
    opinion = case.action("opinion", {"result": "同意", "text": "同意", "unit": COUNTY})
    assert push_one(client, county, opinion)["seq"] == 4
    approver = token(client, COUNTY, "approver")
    assert push_one(client, approver, case.action("decide", {"result": "准予"}))["seq"] == 5


def test_posts_away_and_installation_keys_on_postgres(client: httpx.Client) -> None:
    a, b = token(client, TOWNSHIP), token(client, TOWNSHIP, "clerk2")
    case = NewCase()
    case.upload_blobs(client, a)
    assert push_one(client, a, case.receive())["result"] == "accepted"
    assert push_one(client, b, case.action("accept", {"promised_days": 5}))["result"] == "refused"
    me = client.get("/api/v1/me", headers=bearer(a)).json()
    r = client.post(f"/api/v1/users/{me['user']}/away", json={"away": True}, headers=bearer(a))
    assert r.status_code == 200 and r.json() == {"user": me["user"], "away": True}
    assert push_one(client, b, case.action("accept", {"promised_days": 5}))["result"] == "accepted"
    installation = str(uuid.uuid4())
    first = client.post(f"/api/v1/installations/{installation}/secret", headers=bearer(a))
    assert first.status_code == 200
    assert client.post(f"/api/v1/installations/{installation}/secret", headers=bearer(b)).json() == first.json()


def test_text_postgres_cannot_store_is_refused_not_a_crash(client: httpx.Client, pg_platform: PlatformProcess) -> None:
    # PostgreSQL refuses NUL characters in text: where they would reach a column the request
    # is invalid (422); inside a payload they are escaped in its JSON and harmless.
    r = client.post("/api/v1/auth/login", json={"username": "clerk\x00", "password": "x"})
    assert r.status_code == 422
    township = token(client, TOWNSHIP)
    assert client.head(f"{pg_platform.url}/files/%00", headers={"Tus-Resumable": "1.0.0", **bearer(township)}
                       ).status_code == 404
    case = NewCase()
    case.upload_blobs(client, township)
    assert push_one(client, township, case.receive())["result"] == "accepted"
    bad_actor = {**case.action("start_review"), "actor": "clerk\x00"}
    assert client.post("/api/v1/actions", json={"actions": [bad_actor]}, headers=bearer(township)).status_code == 422
    note = case.action("accept", {"promised_days": 5, "note": "申请人\x00备注"})
    assert push_one(client, township, note)["result"] == "accepted"
    actions = [e["body"] for e in feed(client, township) if e["case_id"] == case.case_id and e["kind"] == "action"]
    assert actions[-1]["payload"]["note"] == "申请人\x00备注"
    refused = push_one(client, township, case.action("teleport\x01"))
    assert refused["result"] == "refused"


def test_a_case_naming_more_blobs_than_one_statement_may_waits_for_them(client: httpx.Client) -> None:
    # 70 000 distinct page hashes: PostgreSQL takes at most 65 535 parameters in one statement.
    township = token(client, TOWNSHIP)
    receive = NewCase().receive()
    first = receive["case"]["materials"][0]
    receive["case"]["materials"] = [
        {**first, "id": str(uuid.uuid4()), "name": f"材料{m + 1}",
         "pages": [{"sha256": sha256(f"{m}/{n}".encode()), "bytes": 1, "kind": "photo"} for n in range(2000)]}
        for m in range(35)]
    result = push_one(client, township, receive)
    assert result["result"] == "retry"
    assert "尚未上传" in result["reason"]
    # A 0-byte tus upload on PostgreSQL too.
    create_upload(client, township, 0, sha256(b""))
    assert missing(client, township, [sha256(b"")]) == []
