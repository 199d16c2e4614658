"""``case show``: besides DESIGN §9's keys, each action's standing with the platform, the units by
name, the forwarding unit's own opinion and the quality-gate overrides with their reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import UserError
from app.core.lifecycle import ActionType, check_payload
from tests.conftest import ORG
from tests.support import cases
from tests.support import pagegen as g

DPI = 100
REASON = "申请人仅带来此份复印件，原件字迹即不清晰"
OPINION = "材料齐全，拟同意"
COUNTY = "12450403MB1904031X"


@pytest.fixture
def received(cli, person_file: Path, tmp_path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A complete case, its first material with a blurred second page taken in on the clerk's
    reason, accepted and forwarded with an opinion (no platform: nothing synced)."""
    text = g.save(tmp_path / "text.png", g.text_page(1, DPI), DPI)
    blurred = g.save(tmp_path / "blurred.png", g.blur(g.text_page(4, DPI), 1.6), DPI)
    code, out, err = cli("--json", "case", "new", "--item", cases.ITEM, "--applicant", str(person_file),
                         "--accept-warnings", REASON, *cases.material_args((text, blurred), text))
    assert code == 0, err
    made: dict[str, Any] = json.loads(out)
    for argv in (["accept"], ["forward", "--to", COUNTY, "--text", OPINION]):
        code, _, err = cli("case", argv[0], made["case_no"], *argv[1:])
        assert code == 0, err
    return made


def test_the_json_carries_the_platform_standing_the_forwarding_opinion_and_the_override(  # type: ignore[no-untyped-def]
        cli, received: dict[str, Any]) -> None:
    code, out, err = cli("config", "set", "unit.name", "城东镇便民服务中心")
    assert code == 0, err
    code, out, err = cli("--json", "case", "show", received["case_no"])
    assert code == 0, err
    shown = json.loads(out)
    assert [(a["type"], a["sync"]["state"], a["sync"]["received_at"]) for a in shown["actions"]] == [
        ("receive", "pending", None), ("accept", "pending", None), ("notice", "pending", None),
        ("forward", "pending", None)]  # the 上报审查表 goes up with the forward
    assert [n["kind"] for n in shown["notices"]] == ["上报审查表"]
    (forward,) = shown["forwards"]
    # The units are named as far as this window knows them: its own from its settings, the county's
    # only once the platform's feed has told it (until then, its code).
    assert (forward["unit_name"], forward["to"], forward["to_name"], forward["text"]) == (
        "城东镇便民服务中心", COUNTY, "", OPINION)
    assert shown["holder"] == COUNTY and shown["holder_name"] == ""
    (override,) = shown["overrides"]
    assert override["reason"] == REASON and override["type"] == "receive"
    assert [(p["material"], p["page"], p["code"], p["message"]) for p in override["pages"]] == [
        (cases.FORM, 2, "blurred", "第2页模糊，请重新扫描")]
    assert all(p["present"] for m in shown["materials"] for p in m["pages"])
    assert shown["opinions"] == []


def test_the_text_names_the_override_the_opinion_and_what_waits_for_the_platform(  # type: ignore[no-untyped-def]
        cli, received: dict[str, Any]) -> None:
    code, out, err = cli("case", "show", received["case_no"])
    assert code == 0, err
    assert f"质检放行  {REASON}" in out and "第2页模糊" in out
    assert f"上报意见  {ORG}：{OPINION}" in out  # its own unit, by code until it has a name
    assert f"办理单位  {COUNTY}" in out
    assert out.count("待同步") == 4  # receive, accept, the review sheet, forward


def test_a_forwards_opinion_is_text_when_given() -> None:
    check_payload(ActionType.FORWARD, {"to": COUNTY})
    check_payload(ActionType.FORWARD, {"to": COUNTY, "text": OPINION})
    with pytest.raises(UserError, match="本级意见应为文字"):
        check_payload(ActionType.FORWARD, {"to": COUNTY, "text": ["拟同意"]})
