"""``python -m app figures``: this unit's figures offline, exported; a bad month refused with nothing
written. And the platform's endpoint: a unit sees itself and the units below it, nobody else."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from app.core.lifecycle import ActionType
from app.services import case_actions, intake
from app.services.context import AppContext
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases
from tests.support.platform import CITY, COUNTY, TOWNSHIP, TOWNSHIP_2, PlatformProcess
from tests.support.platform_api import bearer, token


def test_figures_of_this_month_exported(cli: Any, ctx: AppContext, pages: dict[str, Path], tmp_path: Path) -> None:
    made = intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
    case_actions.perform(ctx, made.case_no, ActionType.ACCEPT)
    month = f"{ctx.today():%Y-%m}"
    xlsx, csv_path = tmp_path / "f.xlsx", tmp_path / "f.csv"
    code, out, err = cli("--json", "figures", "--month", month, "--xlsx", str(xlsx), "--csv", str(csv_path))
    assert code == 0, err
    body = json.loads(out)
    assert body["source"] == "local" and body["month"] == month
    [unit] = body["units"]
    assert unit["items"] == [{"item_code": cases.ITEM, "item_name": unit["items"][0]["item_name"],
                              "window": 1, "online": 0, "forwarded": 0}]
    assert load_workbook(xlsx)["月报"]["C3"].value == 1
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[2][2] == "1"


@pytest.mark.parametrize("month", ["2026-13", "11/2026", "2026-1"])
def test_a_bad_month_writes_nothing(cli: Any, tmp_path: Path, month: str) -> None:
    target = tmp_path / "f.xlsx"
    code, out, err = cli("figures", "--month", month, "--xlsx", str(target))
    assert code == 2 and "月份" in err and out == ""
    assert not target.exists()


def test_another_units_figures_need_the_platform(cli: Any) -> None:
    code, _, err = cli("figures", "--month", "2026-11", "--unit", COUNTY)
    assert code == 2 and "--platform" in err


@pytest.mark.slow
def test_the_platform_shows_a_unit_and_those_below_only(platform: PlatformProcess) -> None:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        def ask(me: str, role: str, **params: str) -> httpx.Response:
            return client.get("/api/v1/figures", params={"month": "2026-11", **params},
                              headers=bearer(token(client, me, role)))

        county = ask(COUNTY, "supervisor")
        assert county.status_code == 200, county.text
        assert [u["unit"] for u in county.json()["units"]] == [COUNTY, TOWNSHIP, TOWNSHIP_2]
        assert [u["unit"] for u in ask(COUNTY, "reviewer", unit=TOWNSHIP).json()["units"]] == [TOWNSHIP]
        assert [u["unit"] for u in ask(TOWNSHIP, "clerk").json()["units"]] == [TOWNSHIP]
        for unit, role, params in ((TOWNSHIP, "clerk", {"unit": COUNTY}), (TOWNSHIP, "clerk", {"unit": TOWNSHIP_2}),
                                   (COUNTY, "supervisor", {"unit": CITY})):
            refused = ask(unit, role, **params)
            assert refused.status_code == 404 and "不在本单位之下" in refused.json()["detail"]["message"]
        assert ask(COUNTY, "admin").status_code == 403  # the administrator does no casework
        assert ask(COUNTY, "supervisor", month="2026-13").status_code == 422  # the window checks it before asking


def test_a_case_received_online_counts_as_online(cli: Any, ctx: AppContext, pages: dict[str, Path],
                                                  tmp_path: Path) -> None:
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    args = ["case", "new", "--item", cases.ITEM, "--applicant", str(applicant), *cases.material_args(pages["text"])]
    assert cli(*args, "--channel", "电话")[0] == 2  # not a channel
    code, _, err = cli(*args, "--channel", "网上")
    assert code == 0, err
    code, out, err = cli("--json", "figures", "--month", f"{ctx.today():%Y-%m}")
    assert code == 0, err
    assert json.loads(out)["units"][0]["items"][0]["online"] == 1
