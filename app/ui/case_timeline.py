"""The 办理过程 and 意见 tabs of the case detail: what happened, when, and what each unit said.

Every action has two times: the device's (when the clerk or reviewer took it) and the platform's
(when the city platform received it): 「待同步」 until then, 「被拒：原因」 when it refused it.
Units are named as the platform's feed names them; a unit this window has not heard of yet
shows its code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.lifecycle import ActionType
from app.ui.labels import action_label
from app.ui.qt import (
    QAbstractItemView,
    QColor,
    QCoreApplication,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

#: Qt's translate, short (pyside6-lupdate finds these calls by their literal context)
translate = QCoreApplication.translate
REFUSED_COLOUR = "#b3261e"
PENDING_COLOUR = "#8a6d00"
#: the longest a cell's text is shown in the table; the whole of it is in the tooltip
CELL_CHARS = 120
#: the widest a column but the last grows to fit its texts (px); beyond, they wrap
COLUMN_MAX = 240
#: the most the overrides' table takes above the pages (about four rows; it scrolls beyond)
OVERRIDES_HEIGHT = 140


def when(iso: str) -> str:
    """A stored time as this PC's clock shows it, to the minute."""
    return f"{dt.datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M}"


def unit_name(case: Mapping[str, Any], code: str) -> str:
    """The unit's name if the feed has told this window, else its code."""
    return str(case.get("units", {}).get(code) or code)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, object_name: str = "") -> QTableWidget:
    """A read-only table, whole rows selected, long texts wrapped and in full in the tooltip."""
    widget = QTableWidget(len(rows), len(headers))
    widget.setObjectName(object_name)
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setWordWrap(True)
    widget.verticalHeader().hide()
    # Rows follow their wrapped text as the columns settle (their widths are known only once shown).
    widget.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # A long cell (a refusal's reason, a unit's full name) wraps rather than pushing the last
    # column, which holds the longest texts, off the side.
    header.setMaximumSectionSize(COLUMN_MAX)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            shown = value if len(value) <= CELL_CHARS else value[:CELL_CHARS - 1] + "…"
            item = QTableWidgetItem(shown)
            if shown != value or c == len(values) - 1:
                item.setToolTip(value)
            widget.setItem(r, c, item)
    return widget


def platform_time(action: Mapping[str, Any]) -> tuple[str, str | None]:
    """The platform's side of an action, and the colour it is shown in (None: the usual)."""
    sync = action.get("sync") or {}
    if sync.get("state") == "refused":
        reason = sync.get("reason") or translate("CaseDetail", "未说明原因")
        return translate("CaseDetail", "被拒：{reason}").format(reason=reason), REFUSED_COLOUR
    if sync.get("received_at"):
        return when(str(sync["received_at"])), None
    if sync.get("state") == "accepted":
        return translate("CaseDetail", "已接收"), None
    return translate("CaseDetail", "待同步"), PENDING_COLOUR


def details(case: Mapping[str, Any], action: Mapping[str, Any]) -> str:
    """What the action said besides its kind: a reason, an opinion, where it went, an override."""
    p: Mapping[str, Any] = action.get("payload") or {}
    kind = ActionType(action["type"])
    parts: list[str] = []
    if kind is ActionType.FORWARD:
        parts.append(translate("CaseDetail", "报送{unit}").format(unit=unit_name(case, str(p.get("to", "")))))
        if p.get("text"):
            parts.append(translate("CaseDetail", "本级意见：{text}").format(text=p["text"]))
    elif kind is ActionType.OPINION:
        unit = unit_name(case, str(p.get("unit", "")))
        parts.append(translate("CaseDetail", "{unit}：{result}").format(unit=unit, result=p.get("result", "")))
        if p.get("text"):
            parts.append(str(p["text"]))
        for r in p.get("returns") or ():
            if isinstance(r, Mapping):
                parts.append(translate("CaseDetail", "{material}：{what}").format(material=r.get("material", ""),
                                                                               what=r.get("what", "")))
    elif kind is ActionType.DECIDE:
        parts.append(str(p.get("result", "")))
        if p.get("text"):
            parts.append(str(p["text"]))
    elif kind is ActionType.NOTIFY_MISSING:
        names = "、".join(map(str, p.get("missing", ())))
        parts.append(translate("CaseDetail", "需补齐：{names}").format(names=names))
    elif kind is ActionType.ACCEPT and isinstance(p.get("promised_days"), int):
        parts.append(translate("CaseDetail", "承诺时限 {days} 个工作日").format(days=p["promised_days"]))
    elif kind is ActionType.DELIVER:
        parts.append(" ".join(str(x) for x in (p.get("method"), p.get("tracking")) if x))
    elif kind is ActionType.NOTICE and p.get("kind"):
        parts.append(str(p["kind"]))
    elif kind is ActionType.EVALUATE and p.get("level"):
        parts.append(str(p["level"]))
    if p.get("reason") and isinstance(p["reason"], str):
        parts.append(translate("CaseDetail", "理由：{reason}").format(reason=p["reason"]))
    override = p.get("quality_override")
    if isinstance(override, Mapping) and override.get("reason"):
        parts.append(translate("CaseDetail", "质检放行：{reason}").format(reason=override["reason"]))
    return "；".join(x for x in parts if x)


def timeline(case: Mapping[str, Any]) -> QTableWidget:
    """Every action of the case, oldest first: device time, platform time, action, who, details."""
    actions = case["actions"]
    widget = table(
        [translate("CaseDetail", "设备时间"), translate("CaseDetail", "平台时间"), translate("CaseDetail", "操作"),
         translate("CaseDetail", "经办人"), translate("CaseDetail", "说明")],
        [[when(a["at"]), platform_time(a)[0], action_label(ActionType(a["type"])), str(a["actor_label"]),
          details(case, a)] for a in actions],
        object_name="caseTimeline")
    for row, a in enumerate(actions):
        colour, item = platform_time(a)[1], widget.item(row, 1)
        if colour is not None and item is not None:
            item.setForeground(QColor(colour))
    return widget


def opinion_rows(case: Mapping[str, Any]) -> list[list[str]]:
    """The opinions on the case, oldest first: the forwarding units' own (本级意见, given with
    上报) and the higher tiers' (上级意见) — time, unit by name, conclusion, text."""
    rows: list[tuple[str, list[str]]] = []
    for f in case.get("forwards", ()):
        if f.get("text"):
            to = f.get("to_name") or f.get("to", "")
            rows.append((f["at"], [when(f["at"]), f.get("unit_name") or f.get("unit", ""),
                                   translate("CaseDetail", "上报意见（报{unit}）").format(unit=to), f["text"]]))
    for o in case.get("opinions", ()):
        text = o["text"] + "".join(translate("CaseDetail", "\n· {material}：{what}").format(**r)
                                   for r in o.get("returns", ()))
        rows.append((o["at"], [when(o["at"]), o.get("unit_name") or unit_name(case, o["unit"]), o["result"], text]))
    rows.sort(key=lambda r: dt.datetime.fromisoformat(r[0]))
    return [r for _, r in rows]


def opinions(case: Mapping[str, Any]) -> QTableWidget:
    headers = [translate("CaseDetail", "时间"), translate("CaseDetail", "单位"), translate("CaseDetail", "结论"),
               translate("CaseDetail", "意见")]
    return table(headers, opinion_rows(case), object_name="caseOpinions")


def override_rows(case: Mapping[str, Any]) -> list[list[str]]:
    """Pages taken in despite the quality checks: time, who, which page of which material and
    what was found, and the reason given."""
    rows = []
    for o in case.get("overrides", ()):
        for p in o["pages"]:
            rows.append([when(o["at"]), o["actor_label"], p["material"], p["message"], o["reason"]])
    return rows


def overrides(case: Mapping[str, Any]) -> QTableWidget:
    headers = [translate("CaseDetail", "时间"), translate("CaseDetail", "经办人"), translate("CaseDetail", "材料"),
               translate("CaseDetail", "质检提示"), translate("CaseDetail", "放行理由")]
    widget = table(headers, override_rows(case), object_name="caseOverrides")
    # As tall as its rows, up to a few: the pages below are what the tab is for.
    widget.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    widget.setMaximumHeight(OVERRIDES_HEIGHT)
    return widget
