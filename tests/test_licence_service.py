"""出件 makes the licence on a real data folder: at the counter (当场办结) and from the case desk,
with the unit's name and the platform address from the settings; an old issue action without a
licence still folds; a rolled-back issue gives its serial back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.licence_ids import parse
from app.core.licences import licence_of, verification_url
from app.core.lifecycle import Action, ActionType, Status, fold
from app.services import case_actions, counter, licences, unit_settings
from app.services.context import AppContext
from tests.conftest import ORG
from tests.support.qr import qr_text
from tests.test_counter_on_the_spot import IMMEDIATE, filled, sheets  # noqa: F401
from tests.test_notices import text_of

PLATFORM = "https://zwfw.wuzhou.example.cn"


def test_settling_at_the_counter_hands_out_a_licence(ctx: AppContext, sheets: list[Path],  # noqa: F811
                                                     tmp_path: Path) -> None:
    ctx = unit_settings.set_setting(ctx, "unit.name", "万秀区城东镇便民服务中心")
    ctx = unit_settings.set_setting(ctx, "platform.url", PLATFORM)
    decided = counter.settle(ctx, filled(ctx, IMMEDIATE, sheets))
    issued = licences.issued_licence(ctx, decided.case_no)
    assert issued is not None and issued.name == "生育服务登记证明"
    assert issued.id.issuer == ORG and issued.id.type_code == ctx.catalog.get(IMMEDIATE).licence.type_code
    assert issued.valid_until is None and issued.valid_from == ctx.today()
    out = tmp_path / "licence.pdf"
    out.write_bytes(licences.licence_pdf(ctx, issued))
    text = text_of(out)
    for expected in ("生育服务登记证明", "韦秀英", "11010519491231002X", str(issued.id), "万秀区城东镇便民服务中心",
                     "起长期有效", decided.case_no):
        assert expected in text, expected
    assert qr_text(out) == verification_url(PLATFORM, str(issued.id))


def test_the_serial_counts_on_and_a_refused_issue_uses_none(ctx: AppContext, sheets: list[Path]) -> None:  # noqa: F811
    first = counter.settle(ctx, filled(ctx, IMMEDIATE, sheets))
    second = counter.settle(ctx, filled(ctx, IMMEDIATE, sheets))
    ids = [licences.issued_licence(ctx, d.case_no) for d in (first, second)]
    assert [i.id.serial[-6:] for i in ids if i] == ["000001", "000002"]
    # A second issue on a delivered case is refused before anything is written: no number is used.
    with pytest.raises(UserError):
        case_actions.perform(ctx, first.case_no, ActionType.ISSUE)
    third = counter.settle(ctx, filled(ctx, IMMEDIATE, sheets))
    lid = licences.issued_licence(ctx, third.case_no)
    assert lid is not None and lid.id.serial.endswith("000003")


def test_an_issue_from_before_licences_still_folds_and_a_bad_licence_does_not() -> None:
    at = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)

    def act(kind: ActionType, payload: dict[str, object]) -> Action:
        return Action(id=str(kind), case_id="c", type=kind, actor="a", at=at, payload=payload)

    steps = [act(ActionType.RECEIVE, {}), act(ActionType.ACCEPT, {"promised_days": 0}),
             act(ActionType.DECIDE, {"result": "准予"})]
    state = fold([*steps, act(ActionType.ISSUE, {})])
    assert state.status is Status.ISSUED and state.licence_id == ""
    with pytest.raises(UserError, match="没有生成电子证照"):
        fold([*steps, act(ActionType.ISSUE, {}), act(ActionType.REVOKE_LICENCE, {"reason": "注销", "licence_id": "x"})])
    with pytest.raises(UserError, match="电子证照信息格式错误"):
        fold([*steps, act(ActionType.ISSUE, {"licence": {"id": "1.2.156.3005.2.x"}})])
    assert licence_of({}) is None
    lid = parse("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U")
    good = {"id": str(lid), "kind": "licence", "type_code": lid.type_code, "name": "证", "holder_name": "韦秀英",
            "holder_id": "11010519491231002X", "holder_kind": "person", "valid_from": "2026-11-23",
            "valid_until": "2031-11-22", "pdf_sha256": "a" * 64}
    assert fold([*steps, act(ActionType.ISSUE, {"licence": good})]).licence_id == str(lid)
    for bad in ({"valid_until": "2020-01-01"}, {"kind": ["licence"]}, {"type_code": "11100000000013338W012"},
                {"pdf_sha256": "A" * 64}, {"holder_kind": "alien"}, {"name": "证" * 101}, {"valid_from": 20261123}):
        with pytest.raises(UserError, match="电子证照信息格式错误"):
            fold([*steps, act(ActionType.ISSUE, {"licence": {**good, **bad}})])
