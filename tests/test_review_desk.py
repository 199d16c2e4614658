"""The reviewer's desk without a window: the 待我审查 queue, each reviewer's 常用意见, and a returned
case's 补正 with the clock paused from the 退回 to the next 上报 over a real calendar week."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.case_list import CaseFilter, Sort, SortKey
from app.core.deadlines import Light
from app.core.errors import InvalidTransition, UserError
from app.core.lifecycle import RETURN_RESULT, ActionType, Status
from app.services import queries, review_desk
from app.services.amend import amend_materials, parse_edits
from app.services.case_actions import perform, refresh_paused_deadlines
from app.services.context import AppContext
from app.services.demo import make_demo_data, render_page
from app.services.intake import new_case
from app.store import case_list, sync_state
from tests.conftest import ORG, PERSON, make_data_folder
from tests.support import cases, folders
from tests.support.returns import COUNTY, county_reviewer

TOWNSHIP_NAME, COUNTY_NAME = "长洲镇便民服务中心", "长洲区政务服务中心"
TZ = dt.timezone(dt.timedelta(hours=8))


def _named_units(ctx: AppContext) -> None:
    ctx.store.write(lambda w: sync_state.save_units(w, [
        {"code": COUNTY, "name": COUNTY_NAME, "tier": "county", "parent": None},
        {"code": ORG, "name": TOWNSHIP_NAME, "tier": "township", "parent": COUNTY}]))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    def fill(ctx: AppContext, root: Path) -> None:
        make_demo_data(ctx, root / "pages", 30, staff=folders.staff(ctx))
        _named_units(ctx)

    ctx = folders.open_signed_in(make_data_folder(tmp_path_factory.mktemp("demo"), fill))
    yield ctx
    ctx.close()


def test_the_queue_is_what_was_forwarded_to_my_unit_by_deadline_naming_the_sender(demo: AppContext) -> None:
    county = county_reviewer(demo)
    by_due = Sort(SortKey.DUE, descending=False)
    queue = queries.case_ids(county, CaseFilter(to_review=True), by_due)
    forwarded = queries.case_ids(demo, CaseFilter(status=str(Status.FORWARDED)), by_due)
    assert queue and queue == forwarded  # every case the township forwarded is with the county
    rows = queries.case_rows(county, queue)
    dues = [rows[i].due for i in queue]
    assert dues == sorted(d for d in dues if d is not None)
    assert {rows[i].sent_by for i in queue} == {TOWNSHIP_NAME}  # the name, never the credit code
    assert all(rows[i].light is not None for i in queue)
    # The township forwarded them: none is waiting for its own review.
    assert queries.case_ids(demo, CaseFilter(to_review=True)) == []
    # The queue is read from its partial index, whatever the sort (the few rows it holds are then
    # sorted), never by scanning every case.
    for key in SortKey:
        plan = case_list.query_plan(county.store.reader(), CaseFilter(to_review=True), Sort(key),
                                    queries.viewpoint(county))
        assert any("cases_forwarded_to" in step for step in plan), (key, plan)
        assert not any(step.startswith("SCAN") for step in plan), (key, plan)


def test_each_reviewer_keeps_their_own_common_opinions(demo: AppContext) -> None:
    reviewer, approver = folders.as_role(demo, "reviewer"), folders.as_role(demo, "approver")
    built_in = review_desk.phrases(reviewer, "同意")
    assert built_in[0].startswith("经审核")
    review_desk.keep_phrase(reviewer, "  经现场核查，情况属实，同意。 ")
    review_desk.keep_phrase(reviewer, "请补充近三个月的社保缴费记录。")
    assert review_desk.phrases(reviewer, "同意")[:2] == ["请补充近三个月的社保缴费记录。",
                                                       "经现场核查，情况属实，同意。"]
    assert review_desk.phrases(reviewer, "同意")[2:] == built_in
    assert review_desk.phrases(approver, "同意") == built_in  # another person's library is their own
    review_desk.forget_phrase(reviewer, "请补充近三个月的社保缴费记录。")
    assert review_desk.own_phrases(reviewer) == ["经现场核查，情况属实，同意。"]
    with pytest.raises(UserError, match="请先填写意见内容"):
        review_desk.keep_phrase(reviewer, "   ")


def _at(ctx: AppContext, day: dt.date) -> AppContext:
    moment = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)
    return dataclasses.replace(ctx, clock=lambda: moment)


def test_a_returned_case_is_amended_at_the_window_and_its_clock_waits_for_the_next_forward(tmp_path: Path) -> None:
    """Accepted Mon 2 March 2026, promised 3 working days: due Thu 5 March. Returned Tue 3 March; on
    Fri 6 March the list shows the due day moved to Tue 10 March (Wed–Fri paused); forwarded again
    Mon 9 March, it is due Wed 11 March (Wed 4 – Mon 9 paused: four working days)."""
    folder = make_data_folder(tmp_path)
    page = tmp_path / "page.png"
    page.write_bytes(render_page("户口簿", ["户主 韦秀英"]))
    whole = tmp_path / "whole.png"  # the household register's page with the head of household's page
    whole.write_bytes(render_page("户口簿", ["户主 韦秀英", "常住人口登记卡 户主页"]))
    ctx = folders.open_signed_in(folder)
    try:
        _named_units(ctx)
        mon = dt.date(2026, 3, 2)
        made = new_case(_at(ctx, mon), cases.ITEM, PERSON, cases.materials(page))
        perform(_at(ctx, mon), made.case_no, ActionType.ACCEPT)
        perform(_at(ctx, mon), made.case_no, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意"})
        due = queries.case_rows(ctx, [made.id])[made.id].due
        assert due == dt.date(2026, 3, 5)
        with pytest.raises(InvalidTransition, match="上报至长洲区政务服务中心"):  # with the county: not amended here
            amend_materials(_at(ctx, mon), made.case_no, parse_edits([["rescan", cases.HOUSEHOLD, "1", str(page)]]))

        county = county_reviewer(_at(ctx, dt.date(2026, 3, 3)))
        with pytest.raises(UserError, match="逐项列出"):
            review_desk.give_opinion(county, made.case_no, RETURN_RESULT, "请补正")
        with pytest.raises(UserError, match="“结婚证”不是该办件的材料"):
            review_desk.give_opinion(county, made.case_no, RETURN_RESULT, "请补正",
                                     [{"material": "结婚证", "what": "缺"}])
        given = review_desk.give_opinion(county, made.case_no, RETURN_RESULT, "请补正后再报", [
            {"material": cases.HOUSEHOLD, "what": "缺户主页"}, {"material": cases.ID_CARD, "what": "反面不清晰"}])
        assert given.changed.status is Status.IN_REVIEW
        assert not given.sealed and "电子印章证书" in given.why_not_sealed  # this PC has no seal

        friday = _at(ctx, dt.date(2026, 3, 6))
        assert refresh_paused_deadlines(friday) == [made.id]
        assert refresh_paused_deadlines(friday) == []  # nothing more to write the same day
        row = queries.case_rows(friday, [made.id])[made.id]
        assert row.due == dt.date(2026, 3, 10) and row.light is Light.YELLOW and row.returned == "请补正后再报"
        shown = queries.show_case(friday, made.case_no)
        assert shown["returns"] == [{"material": cases.HOUSEHOLD, "what": "缺户主页"},
                                    {"material": cases.ID_CARD, "what": "反面不清晰"}]

        amended = amend_materials(friday, made.case_no, parse_edits([["rescan", cases.HOUSEHOLD, "1", str(whole)]]))
        assert amended.rebuilt == (cases.HOUSEHOLD,) and amended.status is Status.IN_REVIEW
        monday = _at(ctx, dt.date(2026, 3, 9))
        perform(folders.as_role(monday, "reviewer"), made.case_no, ActionType.FORWARD,
                {"to": COUNTY, "text": "已按要求补正"})
        row = queries.case_rows(monday, [made.id])[made.id]
        assert row.due == dt.date(2026, 3, 11) and row.returned is None
        assert queries.show_case(monday, made.case_no)["returns"] == []
        with pytest.raises(InvalidTransition, match="上报至长洲区政务服务中心"):  # amended once, forwarded again
            amend_materials(monday, made.case_no, parse_edits([["rescan", cases.HOUSEHOLD, "1", str(page)]]))
        assert queries.show_case(monday, made.case_no)["actions"][-1]["type"] == "forward"
    finally:
        ctx.close()


def test_the_command_line_gives_a_return_per_material(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("case", "opinion", "4504030000", "--result", "退回", "--text", "请补正", "--return", "户口簿")
    assert code == 2 and "--return 应写作“材料名称=需补正的内容”" in err
    code, _, err = cli("case", "opinion", "4504030000", "--result", "退回", "--text", "请补正")
    assert code == 2 and "退回时须逐项列出需补正的材料及补正内容" in err  # nothing written: checked first
