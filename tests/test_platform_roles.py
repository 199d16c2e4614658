"""Who is at the window (real process): roles, AB posts, the actor is a person."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import OTHER_COUNTY, TOWNSHIP, PlatformProcess, user_of
from tests.support.platform_api import bearer, token


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


def _away(client: httpx.Client, tok: str, username: str, away: bool) -> httpx.Response:
    return client.post(f"/api/v1/users/{username}/away", json={"away": away}, headers=bearer(tok))


def test_people_mark_themselves_away_and_the_admin_marks_anyone_of_the_unit(client: httpx.Client) -> None:
    clerk, admin = token(client, TOWNSHIP, "clerk"), token(client, TOWNSHIP, "admin")
    me = user_of(TOWNSHIP, "clerk")
    assert _away(client, clerk, me, True).json() == {"user": me, "away": True}
    assert client.get("/api/v1/me", headers=bearer(clerk)).json()["away"] is True
    assert _away(client, admin, me, False).json() == {"user": me, "away": False}
    assert client.get("/api/v1/me", headers=bearer(clerk)).json()["away"] is False


def test_away_is_the_unit_s_own_business(client: httpx.Client) -> None:
    other_admin, own_reviewer = token(client, OTHER_COUNTY, "admin"), token(client, TOWNSHIP, "reviewer")
    for tok, name in ((other_admin, user_of(TOWNSHIP, "clerk")), (own_reviewer, "nobody-at-all"),
                      (own_reviewer, user_of(OTHER_COUNTY, "clerk"))):
        r = _away(client, tok, name, True)
        assert r.status_code == 404 and r.json()["detail"]["code"] == "no_user"
    r = _away(client, own_reviewer, user_of(TOWNSHIP, "clerk"), True)
    assert r.status_code == 403 and "登记他人不在岗" in r.json()["detail"]["message"]
