"""Signing in to the city platform: credentials, tokens, refresh rotation and expiry (real process)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess, user_of
from tests.support.platform_api import bearer, login

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def test_login_returns_tokens_and_the_unit(client: httpx.Client) -> None:
    body = login(client, TOWNSHIP)
    assert body["user"] == USERS[TOWNSHIP]
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] and body["refresh_token"] and body["access_token"] != body["refresh_token"]
    unit = body["unit"]
    assert unit["code"] == TOWNSHIP
    assert unit["tier"] == "township"
    assert unit["parent"] == COUNTY
    assert unit["name"] == "万秀区城东镇便民服务中心"
    assert isinstance(unit["window_no"], int) and unit["window_no"] > 0

    county = login(client, COUNTY)["unit"]
    assert county["tier"] == "county" and county["parent"] is not None
    assert county["window_no"] != unit["window_no"]

    me = client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["user"] == USERS[TOWNSHIP] and me.json()["unit"]["code"] == TOWNSHIP


@pytest.mark.parametrize(("username", "password"), [
    (USERS[TOWNSHIP], "wrong-password"),
    ("nobody-here", PASSWORD),
])
def test_bad_credentials_are_401_with_a_chinese_message(client: httpx.Client, username: str, password: str) -> None:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 401
    detail = r.json()["detail"]
    assert detail["code"] == "bad_credentials"
    assert CHINESE.search(detail["message"])


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-a-real-token"},
    {"Authorization": "Basic Y2xlcms6cHc="},
    {"Authorization": "Bearer"},
])
def test_requests_without_a_valid_token_are_401(client: httpx.Client, headers: dict[str, str]) -> None:
    for method, path, body in (("GET", "/api/v1/me", None), ("GET", "/api/v1/feed", None),
                               ("POST", "/api/v1/blobs/missing", {"hashes": []})):
        r = client.request(method, path, headers=headers, json=body)
        assert r.status_code == 401, (path, r.text)
        assert r.json()["detail"]["code"] == "unauthorised"
        assert CHINESE.search(r.json()["detail"]["message"])


def test_refresh_rotates_the_pair(client: httpx.Client) -> None:
    first = login(client, TOWNSHIP)
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["access_token"] not in (first["access_token"], first["refresh_token"])
    assert second["refresh_token"] not in (first["access_token"], first["refresh_token"])
    assert second["unit"]["code"] == TOWNSHIP
    assert client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 200

    # An access token is no refresh token; the new refresh token works once.
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": second["access_token"]}).status_code == 401
    third = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(third.json()["access_token"])).status_code == 200


@pytest.mark.parametrize("reused", ["first", "second"])
def test_a_refresh_token_used_twice_ends_the_whole_sign_in(client: httpx.Client, reused: str) -> None:
    first = login(client, TOWNSHIP)
    other = login(client, TOWNSHIP)  # the same clerk signed in on another PC
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    third = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}).json()
    # A copy of an exchanged refresh token comes back (whoever holds it, thief or owner):
    stale = first if reused == "first" else second
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": stale["refresh_token"]})
    assert again.status_code == 401 and again.json()["detail"]["code"] == "refresh_expired"
    assert CHINESE.search(again.json()["detail"]["message"])
    # Every token descended from that sign-in is dead, the newest included…
    assert client.get("/api/v1/me", headers=bearer(third["access_token"])).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": third["refresh_token"]}).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": stale["refresh_token"]}).status_code == 401
    # …and the user's other sign-ins are not touched.
    assert client.get("/api/v1/me", headers=bearer(other["access_token"])).status_code == 200
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_logout_ends_the_tokens_refreshed_from_that_sign_in(client: httpx.Client) -> None:
    first = login(client, TOWNSHIP)
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert client.post("/api/v1/auth/logout", headers=bearer(second["access_token"])).status_code == 204
    for refresh in (first["refresh_token"], second["refresh_token"]):
        assert client.post("/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401


@pytest.mark.parametrize(("role", "posts"), [
    ("clerk", "A"), ("clerk2", "B"), ("reviewer", None), ("approver", None), ("supervisor", None),
    ("archivist", None), ("admin", None),
])
def test_sign_in_says_who_the_user_is_their_role_and_posts(client: httpx.Client, role: str,
                                                           posts: str | None) -> None:
    body = login(client, TOWNSHIP, role)
    assert body["user"] == user_of(TOWNSHIP, role)
    assert body["role"] == ("clerk" if role == "clerk2" else role)
    assert body["display_name"].startswith("万秀区城东镇便民服务中心")
    if posts is None:
        assert body["posts"] == []
    else:
        assert {p["post"] for p in body["posts"]} == {posts}
        assert "GG00231000" in {p["item_code"] for p in body["posts"]}
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}).json()
    me = client.get("/api/v1/me", headers=bearer(refreshed["access_token"])).json()
    for reply in (refreshed, me):
        assert {k: reply[k] for k in ("user", "display_name", "role", "posts")} == \
            {k: body[k] for k in ("user", "display_name", "role", "posts")}
        assert reply["unit"] == body["unit"]
    assert me["away"] is False


def test_the_client_reads_the_profile_from_the_sign_in_reply(platform: PlatformProcess) -> None:  # noqa: F811
    from app.sync.client import PlatformClient
    from app.sync.credentials import MemoryTokens

    with PlatformClient(platform.url, MemoryTokens()) as c:
        reply = c.login(user_of(TOWNSHIP, "clerk2"), PASSWORD)
    profile = reply["profile"]
    assert profile is not None and profile.role == "clerk" and profile.display_name.endswith("（B岗）")
    assert {p.post for p in profile.posts} == {"B"} and len(profile.posts) >= 16


def test_a_refresh_token_is_not_an_access_token(client: httpx.Client) -> None:
    body = login(client, TOWNSHIP)
    assert client.get("/api/v1/me", headers=bearer(body["refresh_token"])).status_code == 401


def test_an_expired_access_token_is_refused_and_refresh_recovers(tmp_path: Path) -> None:
    with PlatformProcess(tmp_path / "short-ttl", access_ttl=1) as short, \
            httpx.Client(base_url=short.url, timeout=10) as c:
        body = login(c, TOWNSHIP)
        assert body["expires_in"] == 1
        time.sleep(2.1)
        r = c.get("/api/v1/me", headers=bearer(body["access_token"]))
        assert r.status_code == 401
        assert r.json()["detail"]["code"] == "unauthorised"
        fresh = c.post("/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]})
        assert fresh.status_code == 200


def test_a_used_refresh_token_ends_its_access_token(client: httpx.Client) -> None:
    first = login(client, TOWNSHIP)
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200
    # Whoever copied the old access token loses it with the rotation.
    stale = client.get("/api/v1/me", headers=bearer(first["access_token"]))
    assert stale.status_code == 401 and stale.json()["detail"]["code"] == "unauthorised"
    assert client.get("/api/v1/me", headers=bearer(r.json()["access_token"])).status_code == 200


def test_logout_ends_both_tokens_of_that_sign_in_only(client: httpx.Client) -> None:
    here, elsewhere = login(client, TOWNSHIP), login(client, TOWNSHIP)  # the same clerk on two PCs
    r = client.post("/api/v1/auth/logout", headers=bearer(here["access_token"]))
    assert r.status_code == 204 and not r.content
    assert client.get("/api/v1/me", headers=bearer(here["access_token"])).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": here["refresh_token"]})
    assert again.status_code == 401 and again.json()["detail"]["code"] == "refresh_expired"
    assert client.post("/api/v1/auth/logout", headers=bearer(here["access_token"])).status_code == 401
    assert client.post("/api/v1/auth/logout").status_code == 401
    assert client.get("/api/v1/me", headers=bearer(elsewhere["access_token"])).status_code == 200
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}).status_code == 200
