"""Errors in the interface language: templates translated, fields filled in, labels translated,
and a translation that does not fit shown as the Chinese rather than failing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import lifecycle
from app.core.errors import InvalidTransition, UserError
from app.core.lifecycle import ActionType, CaseState, Status
from app.core.notice_kinds import NoticeKind
from app.services.case_actions import incomplete
from app.ui import translation
from app.ui.messages import user_message
from app.ui.qt import QApplication, QMessageBox, QTranslator, QWidget
from app.ui.tasks import default_failure

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    translators = translation.install_translators(qapp, "en", tmp_path / "qm")
    yield
    translation.remove_translators(qapp, translators)


def refused_forward() -> InvalidTransition:
    state = CaseState(status=Status.WITHDRAWN, received_at=dt.datetime(2025, 3, 3, 9))
    return InvalidTransition(lifecycle.refusal(state, ActionType.FORWARD), log="test")


def test_fields_and_labels_are_filled_in_in_english(english: None) -> None:
    assert user_message(incomplete(["经营场所使用证明"])).startswith("Required materials missing: “经营场所使用证明”.")
    assert user_message(refused_forward()) == "This case is “Withdrawn”, so “Forwarded” is not possible."
    signed = UserError("该{kind}已签名", log="test", kind=NoticeKind.ACCEPTANCE)
    assert str(signed) == "该受理通知书已签名"
    assert user_message(signed) == "This acceptance notice is already signed."


def test_a_nested_problem_and_a_marked_word_are_translated(english: None) -> None:
    from app.core.applicants import parse_person
    from app.store.faults import disk_full

    with pytest.raises(UserError) as refused:
        parse_person({"name": "韦秀英", "id_type": "passport", "id_number": "E12345678", "phone": "0774"})
    assert user_message(refused.value) == ("Phone number “0774” is wrong: "
                                          "A landline number is an area code and 7 to 8 digits, e.g. 0774-3822345")
    assert "disk of the data folder" in user_message(disk_full(None, "test"))


def test_in_chinese_the_message_is_the_chinese_one() -> None:
    assert user_message(refused_forward()) == "该办件当前状态为“已撤回”，不能上报"
    assert user_message(UserError("数据目录 {data_dir} 尚未初始化，请先运行 init --org 本单位代码", log="t",
                                  data_dir="/tmp/x")) == "数据目录 /tmp/x 尚未初始化，请先运行 init --org 本单位代码"


def broken_translator(qapp: QApplication, tmp_path: Path, translations: dict[str, str]) -> QTranslator:
    messages = "".join(f"<message><source>{s}</source><translation>{t}</translation></message>"
                       for s, t in translations.items())
    ts = tmp_path / "broken.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
                  f"<context><name>errors</name>{messages}</context></TS>", encoding="utf-8")
    qm = tmp_path / "broken.qm"
    translation.compile_ts(ts, qm)
    translator = QTranslator(qapp)
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    return translator


def test_a_translation_that_does_not_fit_shows_the_chinese(qapp: QApplication, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    translator = broken_translator(qapp, tmp_path, {
        "联系电话“{phone}”有误：{problem}": "The phone number is wrong",  # a field left out
        "找不到办件“{ref}”，请核对受理编号": "No case “{case}”",  # a field that is not there
        "导出位置“{out}”不是文件夹": "Not a folder: “{out:d}”",  # a format the value does not take
    })
    try:
        with caplog.at_level(logging.ERROR, logger="ui.messages"):
            phone = UserError("联系电话“{phone}”有误：{problem}", log="t", phone="123",
                              problem="手机号码应为11位，现为3位")
            assert user_message(phone) == "联系电话“123”有误：手机号码应为11位，现为3位"
            case = UserError("找不到办件“{ref}”，请核对受理编号", log="t", ref="X1")
            assert user_message(case) == "找不到办件“X1”，请核对受理编号"
            out = UserError("导出位置“{out}”不是文件夹", log="t", out="/tmp/a")
            assert user_message(out) == "导出位置“/tmp/a”不是文件夹"
        assert len([r for r in caplog.records if "showing the Chinese" in r.getMessage()]) == 3
    finally:
        qapp.removeTranslator(translator)


def test_a_failed_background_task_shows_the_translated_message_in_a_box(qtbot: QtBot, english: None) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    default_failure(parent, "test", incomplete(["经营者居民身份证"]))
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=5_000)
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text().startswith("Required materials missing: “经营者居民身份证”.")
    box.close()
