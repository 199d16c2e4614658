"""The supervisor's lists as a hostile platform might send them: the window shows none of a reply that
does not fit, says so in plain Chinese, and nothing crashes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.services import supervision
from app.services.context import AppContext, init_data_dir
from app.sync.client import PlatformError
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.hostile import Exchange, HostileFront
from tests.support.platform import COUNTY, PlatformProcess, user_of
from tests.support.supervision_cases import NOW, UNITS, build

pytestmark = pytest.mark.slow
LISTS = "/api/v1/supervision/lists"


@pytest.fixture(scope="module")
def front(platform: PlatformProcess) -> Iterator[HostileFront]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        build(client, UNITS, 12, seed=5)
    with HostileFront(platform.port) as f:
        yield f


@pytest.fixture(scope="module")
def ctx(front: HostileFront, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder = Path(tmp_path_factory.mktemp("hostile-sup")) / "sup"
    init_data_dir(folder, COUNTY, front.url)
    c = folders.online(folder, user_of(COUNTY, "supervisor"), clock=lambda: NOW)
    yield c
    c.close()


def _rewrite(change: Callable[[dict[str, Any]], Any]) -> Callable[[Exchange], None]:
    def trap(x: Exchange) -> None:
        body = x.forward().json()
        assert body["red"], "the generated cases give a red list to spoil"
        spoiled = copy.deepcopy(body)
        out = change(spoiled)
        x.reply(200, spoiled if out is None else out)
    return trap


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        target: Any = body
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


SPOILED = {
    "red row without its case number": _set(("red", 0, "case_no"), KeyError),
    "due day that is not a date": _set(("red", 0, "due"), "2026-02-30"),
    "light neither yellow nor red": _set(("red", 0, "light"), "purple"),
    "a yellow case in the red list": _set(("red", 0, "light"), "yellow"),
    "days overdue as text": _set(("red", 0, "workdays_left"), "-3"),
    "flag as a number": _set(("red", 0, "supervised"), 1),
    "counts not a list": _set(("per_unit",), {"a": 1}),
    "unit name far too long": _set(("red", 0, "unit_name"), "镇" * 5000),
    "rows beyond any county": _set(("notices",), [{}] * 6000),
    "no today": _set(("today",), KeyError),
    "not an object": lambda body: [body],
}


@pytest.mark.parametrize("how", list(SPOILED))
def test_a_reply_that_does_not_fit_is_refused_whole(front: HostileFront, ctx: AppContext, how: str) -> None:
    front.trap("GET", LISTS, _rewrite(SPOILED[how]), times=1)
    try:
        with pytest.raises(PlatformError, match="市级平台返回了无法识别的数据"):
            supervision.lists(ctx)
    finally:
        front.clear()


def test_html_instead_of_json_and_the_real_reply_after(front: HostileFront, ctx: AppContext) -> None:
    front.trap("GET", LISTS, lambda x: x.reply(200, "<html>维护中</html>", content_type="text/html"), times=1)
    try:
        with pytest.raises(PlatformError):
            supervision.lists(ctx)
    finally:
        front.clear()
    view = supervision.lists(ctx)  # the platform itself, through the front
    assert view.online and view.lists.red
