"""Translated words for the domain's enums (their Chinese labels live once, in ``app.core``).

The label is the translation source; the tables below only let ``pyside6-lupdate`` see the
strings. A label missing from a table shows untranslated (in Chinese), never breaks.
"""

from __future__ import annotations

from app.core.deadlines import Light
from app.core.lifecycle import ActionType, Status
from app.core.session import Session
from app.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

STATUS_LABELS = (
    QT_TRANSLATE_NOOP("Status", "已收件"),
    QT_TRANSLATE_NOOP("Status", "待补齐材料"),
    QT_TRANSLATE_NOOP("Status", "已受理"),
    QT_TRANSLATE_NOOP("Status", "审查中"),
    QT_TRANSLATE_NOOP("Status", "已上报"),
    QT_TRANSLATE_NOOP("Status", "已中止计时"),
    QT_TRANSLATE_NOOP("Status", "准予"),
    QT_TRANSLATE_NOOP("Status", "不予"),
    QT_TRANSLATE_NOOP("Status", "不予受理"),
    QT_TRANSLATE_NOOP("Status", "已出件"),
    QT_TRANSLATE_NOOP("Status", "已送达"),
    QT_TRANSLATE_NOOP("Status", "已归档"),
    QT_TRANSLATE_NOOP("Status", "已撤回"),
)
LIGHT_LABELS = (
    QT_TRANSLATE_NOOP("Light", "正常"),
    QT_TRANSLATE_NOOP("Light", "临近"),
    QT_TRANSLATE_NOOP("Light", "超期"),
)
ACTION_LABELS = (
    QT_TRANSLATE_NOOP("ActionType", "收件"),
    QT_TRANSLATE_NOOP("ActionType", "补正材料"),
    QT_TRANSLATE_NOOP("ActionType", "受理"),
    QT_TRANSLATE_NOOP("ActionType", "不予受理"),
    QT_TRANSLATE_NOOP("ActionType", "一次性告知"),
    QT_TRANSLATE_NOOP("ActionType", "开始审查"),
    QT_TRANSLATE_NOOP("ActionType", "上报"),
    QT_TRANSLATE_NOOP("ActionType", "上级意见"),
    QT_TRANSLATE_NOOP("ActionType", "中止计时"),
    QT_TRANSLATE_NOOP("ActionType", "恢复计时"),
    QT_TRANSLATE_NOOP("ActionType", "作出决定"),
    QT_TRANSLATE_NOOP("ActionType", "出件"),
    QT_TRANSLATE_NOOP("ActionType", "送达"),
    QT_TRANSLATE_NOOP("ActionType", "归档"),
    QT_TRANSLATE_NOOP("ActionType", "撤回"),
    QT_TRANSLATE_NOOP("ActionType", "好差评"),
    QT_TRANSLATE_NOOP("ActionType", "登记缴费"),
    QT_TRANSLATE_NOOP("ActionType", "出具通知书"),
    QT_TRANSLATE_NOOP("ActionType", "注销证照"),
    QT_TRANSLATE_NOOP("ActionType", "核查结果"),
    QT_TRANSLATE_NOOP("ActionType", "发起联审"),
    QT_TRANSLATE_NOOP("ActionType", "联审意见"),
    QT_TRANSLATE_NOOP("ActionType", "挂号督办"),
    QT_TRANSLATE_NOOP("ActionType", "督办回复"),
)

# The notices' titles (``NoticeKind`` values), e.g. in an error about one of them.
NOTICE_LABELS = (
    QT_TRANSLATE_NOOP("NoticeKind", "受理通知书"),
    QT_TRANSLATE_NOOP("NoticeKind", "一次性告知书"),
    QT_TRANSLATE_NOOP("NoticeKind", "不予受理通知书"),
    QT_TRANSLATE_NOOP("NoticeKind", "补正通知书"),
    QT_TRANSLATE_NOOP("NoticeKind", "送达回证"),
    QT_TRANSLATE_NOOP("NoticeKind", "材料接收清单"),
)

ROLE_LABELS = (
    QT_TRANSLATE_NOOP("Role", "窗口受理"),
    QT_TRANSLATE_NOOP("Role", "审核"),
    QT_TRANSLATE_NOOP("Role", "审批"),
    QT_TRANSLATE_NOOP("Role", "效能监察"),
    QT_TRANSLATE_NOOP("Role", "档案管理"),
    QT_TRANSLATE_NOOP("Role", "单位管理员"),
)


def status_label(status: Status) -> str:
    return QCoreApplication.translate("Status", status.label)


def light_label(light: Light) -> str:
    return QCoreApplication.translate("Light", light.label)


def action_label(action: ActionType) -> str:
    return QCoreApplication.translate("ActionType", action.label)


def person_label(session: Session) -> str:
    """「韦秀英（窗口受理）」: the signed-in person's name and role (``Session.label``, translated)."""
    role = QCoreApplication.translate("Role", session.role_label)
    return QCoreApplication.translate("Role", "{name}（{role}）").format(name=session.name, role=role)
