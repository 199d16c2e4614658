"""好差评 and fees: the payload rules, one evaluation per case, fees only where the item charges one,
the four-level setting, a 差评's follow-up date across a holiday, and the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import InvalidTransition, UserError
from app.core.evaluation import LEVELS, REASONS, check_evaluation, levels
from app.core.fees import check_fee, parse_yuan
from app.core.settings import Settings
from app.services import evaluation, fees, intake, queries
from app.services.context import AppContext
from app.services.demo import render_page
from tests.conftest import PERSON, make_data_folder, snapshot
from tests.support import folders

FREE_ITEM = "GG00231000"  # 城乡居民基本养老保险参保登记: 不收费
FEE_ITEM = "QR00203000"  # 国有建设用地使用权及房屋所有权转移登记: 收费
CST = dt.timezone(dt.timedelta(hours=8))
#: a Monday before the National Day holiday (2026-10-01…07, 10-10 a working Saturday)
MONDAY = dt.datetime(2026, 9, 28, 10, 0, tzinfo=CST)


@pytest.mark.parametrize(("payload", "fragment"), [
    ({"level": "很好"}, "评价等级应为"),
    ({"level": 3}, "评价等级应为"),
    ({"level": "不满意"}, "请至少选择一项原因"),
    ({"level": "非常不满意", "reasons": []}, "请至少选择一项原因"),
    ({"level": "不满意", "reasons": ["态度恶劣"]}, "不在可选原因中"),
    ({"level": "不满意", "reasons": "服务态度差"}, "从列表中选择"),
    ({"level": "不满意", "reasons": ["服务态度差", "服务态度差"]}, "重复"),
    ({"level": "满意", "reasons": ["服务态度差"]}, "不需选择差评原因"),
    ({"level": "满意", "text": "好" * 201}, "不能超过200个字"),
    ({"level": "满意", "text": "ok\x1b[2J"}, "控制字符"),
    ({"level": "满意", "text": ["好"]}, "应为文字"),
    ({"level": "满意", "channel": "短信"}, "评价渠道"),
])
def test_hostile_evaluations_are_refused_in_chinese(payload: dict[str, object], fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        check_evaluation(payload)


def test_good_evaluations_pass() -> None:
    check_evaluation({"level": "满意"})
    check_evaluation({"level": "非常不满意", "reasons": ["多次跑动", "其他"], "text": "跑了三趟\n还没办好"})
    assert levels(False) == LEVELS and levels(True) == LEVELS[:4]
    assert "未一次性告知" in REASONS and REASONS[-1] == "其他"


@pytest.mark.parametrize(("typed", "fen"), [("80", 8000), ("80.5", 8050), ("￥550.00", 55000), ("１２.５０元", 1250)])
def test_amounts_are_typed_in_yuan_and_kept_in_fen(typed: str, fen: int) -> None:
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["", "0", "-5", "12.345", "1e3", "12,50", "abc", "100000000", "NaN"])
def test_bad_amounts_are_refused(typed: str) -> None:
    with pytest.raises(UserError):
        parse_yuan(typed)


@pytest.mark.parametrize(("payload", "fragment"), [
    ({"amount_fen": 8000.0, "basis": "x", "reference": "FZ20260928000001"}, "金额格式错误"),
    ({"amount_fen": True, "basis": "x", "reference": "FZ20260928000001"}, "金额格式错误"),
    ({"amount_fen": 8000, "basis": " ", "reference": "FZ20260928000001"}, "收费依据"),
    ({"amount_fen": 8000, "basis": "x", "reference": "123"}, "订单号"),
    ({"amount_fen": 8000, "basis": "x", "reference": "FZ2026/0928"}, "订单号"),
    ({"amount_fen": 8000, "basis": "x", "reference": 2026092800001}, "订单号"),
])
def test_hostile_fees_are_refused(payload: dict[str, object], fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        check_fee(payload)


def _new_case(ctx: AppContext, item_code: str, folder: Path) -> str:
    item = ctx.catalog.get(item_code)
    assert item is not None
    folder.mkdir(exist_ok=True)
    materials = []
    for n, spec in enumerate(item.materials[:1]):
        page = folder / f"{item_code}-{n}.png"
        page.write_bytes(render_page(spec.name, ["申请人：韦秀英"]))
        materials.append(intake.MaterialInput(spec.name, (page,)))
    return intake.new_case(ctx, item_code, PERSON, materials).case_no


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a free case and a charged one, received on a Monday before the National Day holiday."""
    root = tmp_path_factory.mktemp("evaluation")

    def fill(ctx: AppContext, root: Path) -> None:
        at = dataclasses.replace(ctx, clock=lambda: MONDAY)
        (root / "cases.json").write_text(json.dumps([_new_case(at, FREE_ITEM, root), _new_case(at, FEE_ITEM, root)]))

    return make_data_folder(root, fill)


@pytest.fixture
def monday(folder: Path, tmp_path: Path) -> Iterator[tuple[AppContext, Path, list[str]]]:
    """A fresh copy of the folder, signed in, with the clock on that Monday."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    ctx = folders.open_signed_in(copy, clock=lambda: MONDAY)
    yield ctx, copy, json.loads((folder.parent / "cases.json").read_text())
    ctx.close()


def test_a_bad_evaluation_opens_a_follow_up_due_in_15_working_days_across_the_holiday(monday) -> None:  # type: ignore[no-untyped-def]
    ctx, _, (free, _) = monday
    evaluation.evaluate(ctx, free, "不满意", ["多次跑动"], "  第三次来了  ")
    shown = queries.show_case(ctx, free)
    assert shown["status"] == "received"  # the evaluation leaves the case where it was
    assert shown["evaluation"] == {
        "level": "不满意", "reasons": ["多次跑动"], "text": "第三次来了", "channel": "评价器",
        "at": MONDAY.isoformat(), "follow_up_due": "2026-10-23", "follow_up_provisional": False,
    }  # 9-29, 9-30, (10-1…7 off) 10-8, 10-9, 10-10 (调休), … the 15th working day; Mon–Fri would say 10-19
    assert shown["actions"][-1]["type"] == "evaluate" and shown["actions"][-1]["actor_name"] == "测试受理员"


def test_one_evaluation_per_case(monday) -> None:  # type: ignore[no-untyped-def]
    ctx, data_dir, (free, _) = monday
    evaluation.evaluate(ctx, free, "满意")
    assert queries.show_case(ctx, free)["evaluation"]["follow_up_due"] is None  # 好评: nothing to follow up
    before = snapshot(data_dir)
    with pytest.raises(InvalidTransition, match="已评价（满意），每件只能评价一次"):
        evaluation.evaluate(ctx, free, "非常满意")
    assert snapshot(data_dir) == before


def test_the_four_level_setting_hides_the_fifth(monday) -> None:  # type: ignore[no-untyped-def]
    ctx, data_dir, (free, _) = monday
    assert evaluation.levels(ctx) == LEVELS  # the national five levels unless the unit chose otherwise
    four = dataclasses.replace(ctx, settings=Settings({**{"unit.org": ctx.settings.get("unit.org")},
                                                       "evaluation.four_levels": "true"}))
    assert evaluation.levels(four) == ("非常满意", "满意", "基本满意", "不满意")
    before = snapshot(data_dir)
    with pytest.raises(UserError, match="四级评价"):
        evaluation.evaluate(four, free, "非常不满意", ["其他"])
    assert snapshot(data_dir) == before


def test_fees_only_where_the_item_charges_one(monday) -> None:  # type: ignore[no-untyped-def]
    ctx, data_dir, (free, charged) = monday
    before = snapshot(data_dir)
    with pytest.raises(UserError, match="不收费，无需登记缴费"):
        fees.record_fee(ctx, free, 8000, "无", "FZ20260928000001")
    assert snapshot(data_dir) == before
    assert fees.fee_basis(ctx, charged) is not None and "2559号" in fees.fee_basis(ctx, charged)[1]  # type: ignore[index]
    fees.record_fee(ctx, charged, 8000, "住宅每件80元", "fz 2026 0928 0000 01")
    shown = queries.show_case(ctx, charged)
    assert shown["fees"] == [{"amount_fen": 8000, "amount": "80.00", "basis": "住宅每件80元",
                              "reference": "FZ20260928000001", "at": MONDAY.isoformat()}]
    with pytest.raises(InvalidTransition, match="已在该办件登记过"):
        fees.record_fee(ctx, charged, 8000, "住宅每件80元", "FZ20260928000001")


def test_the_command_line(monday, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    _, data_dir, (free, charged) = monday

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--data", str(data_dir), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    before = snapshot(data_dir)
    for argv, fragment in [
        (("case", "evaluate", free, "--level", "不满意"), "请至少选择一项原因"),
        (("case", "evaluate", free, "--level", "不满意", "--reason", "太慢了"), "不在可选原因中"),
        (("case", "fee", free, "--amount", "80", "--basis", "x", "--reference", "FZ20260928000001"), "不收费"),
        (("case", "fee", charged, "--amount", "80.001", "--basis", "x", "--reference", "FZ20260928000001"), "两位小数"),
        (("case", "fee", charged, "--amount", "80", "--basis", "x", "--reference", "付了"), "订单号"),
    ]:
        code, out, err = run(*argv)
        assert (code, out) == (2, ""), err
        assert fragment in err
    assert snapshot(data_dir) == before
    code, out, err = run("--json", "case", "evaluate", free, "--level", "非常不满意", "--reason", "服务态度差",
                         "--reason", "超时办理", "--text", "等了两个小时")
    assert code == 0, err
    assert {"id", "status"} <= json.loads(out).keys() and json.loads(out)["status"] == "received"
    code, out, err = run("--json", "case", "fee", charged, "--amount", "550", "--basis", "非住宅每件550元",
                         "--reference", "FZ20260928000002")
    assert code == 0, err
    assert json.loads(out)["status"] == "received"
    code, out, _ = run("case", "show", free)
    assert "好差评    非常不满意（服务态度差、超时办理），须于" in out
    shown = json.loads(run("--json", "case", "show", charged)[1])
    assert [f["amount_fen"] for f in shown["fees"]] == [55000] and shown["evaluation"] is None

    # A unit on the older four-level rule: 非常不满意 is no longer offered.
    code, _, err = run("config", "set", "evaluation.four_levels", "也许")
    assert code == 2 and "是或否" in err
    assert run("config", "set", "evaluation.four_levels", "是")[0] == 0
    code, _, err = run("case", "evaluate", charged, "--level", "非常不满意", "--reason", "其他")
    assert code == 2 and "四级评价" in err
