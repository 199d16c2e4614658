"""效能监察 against the real platform: the county supervisor's lists are what the case lists show.

Cases are generated across the county and its two townships (deadlines across the National Day
holiday and weekends, some paused, some closed, some forwarded up), pushed as each unit's windows
would, and synced into one window per unit. On the same "today", the platform's yellow and red
lists for the county supervisor must be, case for case, the union of each unit's case list under
its 临近 and 超期 filters. Then a 挂号督办 goes round: sent, seen by the township, answered, both
timelines holding both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator

import httpx
import pytest

from app.cli import main as cli_main
from app.core.case_list import CaseFilter, LightFilter
from app.core.deadlines import Light
from app.core.errors import UserError
from app.services import queries, supervision, sync_run
from app.services.case_actions import current_state
from app.services.context import AppContext
from app.store import actions as stored_actions
from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import (
    COUNTY,
    OTHER_COUNTY,
    PASSWORD,
    TOWNSHIP,
    TOWNSHIP_2,
    TOWNSHIP_3,
    PlatformProcess,
    user_of,
)
from tests.support.platform_api import NewCase, bearer, push_one, token
from tests.support.supervision_cases import NOW, TODAY, UNITS, Built, at, build, window

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(platform: PlatformProcess) -> Built:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        built = build(client, UNITS, 60, seed=16)
        build(client, (TOWNSHIP_3,), 4, seed=3)  # under another county: never on this county's lists
    assert built.red_at_township
    return built


@pytest.fixture(scope="module")
def windows(platform: PlatformProcess, generated: Built, tmp_path_factory: pytest.TempPathFactory,  # noqa: F811
            ) -> Iterator[dict[str, AppContext]]:
    root = tmp_path_factory.mktemp("windows")
    ctxs = {u: window(platform, root, u, "clerk") for u in UNITS}
    ctxs["supervisor"] = window(platform, root, COUNTY, "supervisor")
    yield ctxs
    for ctx in ctxs.values():
        ctx.close()


def _case_list(ctx: AppContext, light: LightFilter) -> set[str]:
    return set(queries.case_ids(ctx, CaseFilter(light=light)))


def test_the_supervisors_lists_match_the_lights_of_the_case_lists(
        platform: PlatformProcess, windows: dict[str, AppContext]) -> None:  # noqa: F811
    yellow = set().union(*(_case_list(windows[u], LightFilter.YELLOW) for u in UNITS))
    red = set().union(*(_case_list(windows[u], LightFilter.RED) for u in UNITS))
    assert yellow and red  # the generated days give both

    view = supervision.lists(windows["supervisor"])  # through the client's edge, as the page gets it
    assert view.online and view.lists.today == TODAY and view.lists.complete
    assert {w.id for w in view.lists.yellow} == yellow
    assert {w.id for w in view.lists.red} == red
    assert all(w.days_over > 0 for w in view.lists.red) and all(w.days_over == 0 for w in view.lists.yellow)
    # counts per unit and per item add up to the lists, and name units by name
    assert sum(c.red for c in view.lists.per_unit) == len(red) == sum(c.red for c in view.lists.per_item)
    assert sum(c.yellow for c in view.lists.per_unit) == len(yellow)
    assert all(c.name != c.code for c in view.lists.per_unit), view.lists.per_unit  # by name
    assert "万秀区政务服务中心" in view.lists.units[0]

    # offline, the supervisor's own window lists what its own case list shows, and says so
    offline = supervision.local_lists(windows["supervisor"])
    assert {w.id for w in offline.red} == _case_list(windows["supervisor"], LightFilter.RED)
    assert {w.id for w in offline.yellow} == _case_list(windows["supervisor"], LightFilter.YELLOW)


def test_only_a_supervisor_gets_the_lists_and_the_day_is_checked(
        platform: PlatformProcess, generated: Built) -> None:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        clerk = client.get("/api/v1/supervision/lists", headers=bearer(token(client, TOWNSHIP, "clerk")))
        assert clerk.status_code == 403 and "效能监察" in clerk.json()["detail"]["message"]
        sup = bearer(token(client, COUNTY, "supervisor"))
        for params in ({"on": "2026-13-01"}, {"yellow_days": -1}, {"yellow_days": 99}, {"on": "1900-01-01"}):
            assert client.get("/api/v1/supervision/lists", params=params, headers=sup).status_code in (400, 422)
        township = client.get("/api/v1/supervision/lists", params={"on": TODAY.isoformat()},
                              headers=bearer(token(client, TOWNSHIP, "supervisor"))).json()
    # A township supervisor's tree is the township alone: its cases, those it forwarded up among them.
    assert len(township["units"]) == 1 and township["red"]
    assert {c["code"] for c in township["per_unit"]} <= {TOWNSHIP, COUNTY}


def _types(ctx: AppContext, case_id: str) -> list[str]:
    return [str(a.type) for a in stored_actions.load(ctx.store.reader(), case_id)]


def test_a_supervision_notice_goes_round(platform: PlatformProcess, windows: dict[str, AppContext],  # noqa: F811
                                         generated: Built) -> None:
    sup, township = windows["supervisor"], windows[TOWNSHIP]
    lists = supervision.lists(sup).lists
    target = next(w for w in lists.red if w.id == generated.red_at_township)
    assert target.unit == TOWNSHIP and target.light is Light.RED and not target.supervised
    yellow_one = next(iter(lists.yellow))
    with pytest.raises(UserError, match="未超期"):
        supervision.supervise(sup, yellow_one, "请说明情况")

    sid = supervision.supervise(sup, target, "该件已超期，请于期限内书面说明原因并加快办理")
    after = supervision.lists(sup).lists
    assert next(w for w in after.red if w.id == target.id).supervised
    notice = next(n for n in after.notices if n.supervise_id == sid)
    assert (notice.to, notice.answered, notice.late) == (TOWNSHIP, False, False)
    assert notice.answer_due == supervision.default_answer_due(sup, TODAY)

    # The township sees it on the case, and answers; another township may not.
    sync_run.sync_once(township)
    state = current_state(township.store.reader(), target.id)
    assert [s.id for s in state.supervisions if not s.answered] == [sid]
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        other = NewCase(case_id=target.id)
        refused = push_one(client, token(client, TOWNSHIP_2, "clerk"), other.action(
            "supervision_reply", {"text": "已办结", "supervise_id": sid}, at=at(TODAY, 15)))
        assert refused["result"] == "refused"
    supervision.reply(township, target.id, sid, "专家评审延误，已安排本周内办结")
    assert sync_run.sync_once(township).pending == 0

    # Both timelines hold both; the supervisor's list shows it answered.
    sync_run.sync_once(sup)
    for ctx in (sup, township):
        assert _types(ctx, target.id)[-2:] == ["supervise", "supervision_reply"]
    answered = next(n for n in supervision.lists(sup).lists.notices if n.supervise_id == sid)
    assert answered.answered and answered.reply_text.startswith("专家评审延误")


def test_an_unanswered_notice_past_its_day_shows_late(platform: PlatformProcess,  # noqa: F811
                                                      windows: dict[str, AppContext]) -> None:
    sup = windows["supervisor"]
    target = next(w for w in supervision.lists(sup).lists.red if not w.supervised and w.unit != COUNTY)
    sid = supervision.supervise(sup, target, "请说明超期原因", answer_due=TODAY)
    later = dataclasses.replace(sup, clock=lambda: NOW + dt.timedelta(days=1))
    notice = next(n for n in supervision.lists(later).lists.notices if n.supervise_id == sid)
    assert notice.late and not notice.answered
    # a supervisor of another county may not supervise this county's case
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        other = NewCase(case_id=target.id)
        refused = push_one(client, token(client, OTHER_COUNTY, "supervisor"), other.action(
            "supervise", {"text": "请说明", "answer_due": "2026-10-20", "unit": OTHER_COUNTY, "to": target.unit},
            at=at(TODAY, 15)))
    assert refused["result"] == "refused" and "本单位及下级单位" in refused["reason"]


def test_the_command_line_gives_the_same_lists(windows: dict[str, AppContext], monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    sup = windows["supervisor"]
    monkeypatch.setenv("CHUANGKOU_USER", user_of(COUNTY, "supervisor"))
    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    code = cli_main(["--data", str(sup.data_dir), "--json", "supervision", "lists"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lists = json.loads(out)
    # today is the real day: every case still open is overdue by now, the window's red ones among them
    assert lists["online"] and {w.id for w in supervision.lists(sup).lists.red} <= {w["id"] for w in lists["red"]}
    code = cli_main(["--data", str(sup.data_dir), "supervision", "send", "45040399999999999999", "--text", "请说明"])
    assert code == 2 and "不在本单位及下级单位的超期（红灯）名单中" in capsys.readouterr().err
