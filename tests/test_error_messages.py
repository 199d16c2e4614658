"""User-facing errors are templates with fields: the Chinese is as before, and every template is in
the translation source with English that keeps its fields (``tools/extract_errors.py``)."""

from __future__ import annotations

import datetime as dt
import pickle
import string
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.core import lifecycle
from app.core.applicants import parse_person
from app.core.errors import InvalidTransition, Message, UserError
from app.core.ids import phone_problem
from app.core.lifecycle import ActionType, CaseState, Status
from app.services.case_actions import incomplete

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import extract_errors  # noqa: E402


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _translations() -> dict[str, tuple[str | None, str | None]]:
    out = {}
    for context in ET.parse(extract_errors.TS).getroot():
        if context.findtext("name") == extract_errors.CONTEXT:
            for m in context.findall("message"):
                tr = m.find("translation")
                assert tr is not None
                out[m.findtext("source") or ""] = (tr.text, tr.get("type"))
    return out


def test_every_error_template_has_english_with_the_same_fields() -> None:
    found = extract_errors.collect()
    assert len(found.templates) > 250
    translations = _translations()
    missing = [t for t in found.templates if t not in translations]
    assert missing == [], "run tools/extract_errors.py and translate the new messages"
    unfinished = [s for s, (text, kind) in translations.items() if s in found.templates and (not text or kind)]
    assert unfinished == [], "translate the unfinished messages in " + extract_errors.TS.name
    for source in found.templates:
        assert _fields(source) == _fields(translations[source][0] or ""), source


def test_no_message_is_built_as_finished_chinese() -> None:
    """An f-string or a concatenation as the message could not be translated: use fields."""
    assert extract_errors.collect().unmarked == []


def test_the_extraction_sees_fstrings_subclasses_and_markers(tmp_path: Path) -> None:
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "x.py").write_text(
        "class DeviceGone(UserError): ...\n"
        "class Busy(UserError):\n"
        "    def __init__(self, retry_at): super().__init__('忙到{retry_at}', log='', retry_at=retry_at)\n"
        "A = N_('一个词')\n"
        "raise DeviceGone('设备“{name}”不见了', log='', name=n)\n"
        "raise UserError('甲' if x else '乙', log='')\n"
        "raise Busy(when)\n"
        "raise UserError(f'坏的{n}', log='')\n"
        "raise UserError('前缀' + '、'.join(xs), log='')\n",
        encoding="utf-8")
    found = extract_errors.collect(pkg)
    assert sorted(found.templates) == sorted(["忙到{retry_at}", "一个词", "设备“{name}”不见了", "甲", "乙"])
    assert [line.split(":")[1] for line in found.unmarked] == ["8", "9"]


def test_the_chinese_message_is_as_before() -> None:
    err = incomplete(["经营者居民身份证", "经营场所使用证明"])
    assert str(err) == err.message == ("缺少必要材料：“经营者居民身份证”、“经营场所使用证明”，不能受理。"
                                       "请申请人补齐，或出具一次性告知书")
    assert isinstance(err.message, Message)
    assert err.message.template == "缺少必要材料：{missing}，不能受理。请申请人补齐，或出具一次性告知书"
    with pytest.raises(UserError) as refused:
        parse_person({"name": "韦秀英", "id_type": "passport", "id_number": "E12345678", "phone": "123"})
    assert str(refused.value) == "联系电话“123”有误：手机号码应为11位，现为3位"


def test_a_phone_problem_keeps_its_template_and_fields() -> None:
    problem = phone_problem("123")
    assert problem == "手机号码应为11位，现为3位"
    assert isinstance(problem, Message) and problem.fields == {"length": 3}
    err = UserError("联系电话“{phone}”有误：{problem}", log="x", phone="123", problem=problem)
    assert str(err) == "联系电话“123”有误：手机号码应为11位，现为3位"
    assert err.message.fields["problem"] is problem


def test_labels_show_in_chinese_and_stay_enums_for_the_window() -> None:
    state = CaseState(status=Status.WITHDRAWN, received_at=dt.datetime(2025, 3, 3, 9))
    why = lifecycle.refusal(state, ActionType.FORWARD)
    assert why == "该办件当前状态为“已撤回”，不能上报"
    assert isinstance(why, Message) and why.fields == {"status": Status.WITHDRAWN, "kind": ActionType.FORWARD}
    err = InvalidTransition(why, log="x")
    assert err.message is why


def test_a_template_without_fields_is_not_formatted_and_messages_pickle() -> None:
    assert str(UserError("花括号 {不是字段}", log="x")) == "花括号 {不是字段}"
    m = Message("第{page}页", page=2)
    again = pickle.loads(pickle.dumps(m))
    assert (again, again.template, again.fields) == ("第2页", "第{page}页", {"page": 2})
