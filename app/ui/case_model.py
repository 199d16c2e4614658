"""The case list's table model: it keeps only ids and fetches rows on demand (Anki's DataModel).

At 100 000 cases a reset costs one list of ids; rows are fetched by blocks around the
row a view asks for, and a bounded LRU cache keeps a few thousand of them.
"""

from __future__ import annotations

import collections
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.case_list import SortKey
from app.core.deadlines import Light
from app.core.lifecycle import Status
from app.services.queries import CaseRow
from app.ui.labels import light_label, status_label
from app.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QIcon,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QPixmap,
    Qt,
)

#: ``ids -> rows by id`` (``queries.case_rows`` bound to a context); ids it omits show empty.
FetchRows = Callable[[Sequence[str]], Mapping[str, CaseRow]]
AnyIndex = QModelIndex | QPersistentModelIndex

LIGHT_COLOURS = {  # (dot, cell background)
    Light.GREEN: ("#2e7d32", "#e3f2e4"),
    Light.YELLOW: ("#e0a000", "#fff1c7"),
    Light.RED: ("#d32f2f", "#fbdcdc"),
}
NO_LIGHT_COLOUR = "#9e9e9e"
#: a case a higher unit returned (退回): its text and marker
RETURNED_COLOUR = "#7b1fa2"  # purple: apart from the lights' yellow and red


class Column(enum.IntEnum):
    CASE_NO = 0
    APPLICANT = 1
    ITEM = 2
    STATUS = 3
    RECEIVED = 4
    DUE = 5
    LIGHT = 6
    #: the unit that sent the case up to this one (上报), by name
    SENT_BY = 7


#: what a click on each column title sorts by (in SQL)
SORT_KEYS = {
    Column.CASE_NO: SortKey.CASE_NO, Column.APPLICANT: SortKey.APPLICANT, Column.ITEM: SortKey.ITEM,
    Column.STATUS: SortKey.STATUS, Column.RECEIVED: SortKey.RECEIVED, Column.DUE: SortKey.DUE,
    Column.LIGHT: SortKey.LIGHT,
}


@dataclass(frozen=True, slots=True)
class _Shown:
    """One fetched row, formatted once."""

    row: CaseRow
    texts: tuple[str, ...]


_CENTRED = frozenset({Column.STATUS, Column.RECEIVED, Column.DUE, Column.LIGHT})


def _alignment(column: Column) -> Qt.AlignmentFlag:
    if column in _CENTRED:
        return Qt.AlignmentFlag.AlignCenter
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class CaseTableModel(QAbstractTableModel):
    """Rows of the case list by id; :meth:`set_ids` and :meth:`refresh_ids` change the list."""

    BLOCK = 200
    CACHE_LIMIT = 4000

    def __init__(self, fetch_rows: FetchRows, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[str] = []
        self._cache: collections.OrderedDict[str, _Shown | None] = collections.OrderedDict()
        #: row of each id, made when first asked for (row_of) and dropped when the list changes
        self._rows: dict[str, int] | None = None
        self._dots: dict[Light, QIcon] = {}
        self._returned: QIcon | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- the list --------------------------------------------------------------------------
    def set_ids(self, ids: Iterable[str]) -> None:
        """Show a new list (a new search or filter): resets the view, fetches nothing yet."""
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = None
        self._cache.clear()
        self.endResetModel()

    def refresh_rows(self, ids: Iterable[str]) -> None:
        """Some cases changed (an operation said which): re-read only their rows.

        Listed ids lose their cached row and their row alone is repainted (no reset: the scroll
        position, selection and every other cached row stay); ids not listed are ignored.
        """
        for case_id in ids:
            row = self.row_of(case_id)
            if row is None:
                continue
            self._cache.pop(case_id, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def insert_ids(self, row: int, ids: Sequence[str]) -> None:
        """Add ``ids`` (cases new to the list, e.g. just received) before ``row``, without a reset."""
        new = [i for i in dict.fromkeys(ids) if self.row_of(i) is None]
        if not new:
            return
        row = max(0, min(row, len(self._ids)))
        self.beginInsertRows(QModelIndex(), row, row + len(new) - 1)
        self._ids[row:row] = new
        self._rows = None
        self.endInsertRows()

    def refresh_ids(self, ids: Iterable[str]) -> None:
        """The same query again (cases may have changed): forget cached rows.

        With the same ids the view keeps its scroll position and selection and re-reads
        only what it shows; otherwise the list is reset.
        """
        new = list(ids)
        if new != self._ids:
            self.set_ids(new)
            return
        self._cache.clear()
        if new:
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(Column) - 1))

    def set_fetch_rows(self, fetch_rows: FetchRows) -> None:
        """Fetch rows this way from now on (another person signed in); the rows held are forgotten."""
        self._fetch_rows = fetch_rows
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    def case_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, case_id: str) -> int | None:
        if self._rows is None:  # built on first need, not on every reset (100 000 ids)
            self._rows = {i: n for n, i in enumerate(self._ids)}
        return self._rows.get(case_id)

    @property
    def cached_rows(self) -> int:
        """How many rows are held (for tests and the benchmark)."""
        return len(self._cache)

    # -- Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.titles()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(Column(section))
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # A first click shows what a clerk looks for first: the newest, the most urgent.
            newest_first = section in (Column.RECEIVED,)
            return Qt.SortOrder.DescendingOrder if newest_first else Qt.SortOrder.AscendingOrder
        return None

    def titles(self) -> tuple[str, ...]:
        return (self.tr("受理编号"), self.tr("申请人"), self.tr("事项"), self.tr("状态"),
                self.tr("收件时间"), self.tr("办结时限"), self.tr("时限状态"), self.tr("报送单位"))

    def sample_texts(self, column: Column) -> list[str]:
        """The widest texts a column shows (its title included), for sizing it without reading rows."""
        samples = {
            Column.CASE_NO: ["●●4504032025112001000123"],  # room for the 退回 marker
            Column.APPLICANT: ["欧阳某某某"],
            Column.ITEM: ["城乡居民基本养老保险参保登记"],
            Column.STATUS: [status_label(s) for s in Status],
            Column.RECEIVED: ["2025-11-20 09:30"],
            Column.DUE: ["2025-12-03" + self.tr("（暂定）")],
            Column.LIGHT: ["●●" + light_label(light) for light in Light],
            Column.SENT_BY: ["万秀区城东镇便民服务中心"],
        }[column]
        return [self.titles()[column], *samples]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        shown = self._shown(index.row())
        if shown is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(shown, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if shown.row.returned is not None:
            # Returned by a higher unit: the whole row stands out, the marker sits by the case number.
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.DecorationRole and column == Column.CASE_NO:
                return self._returned_icon()
            if role == Qt.ItemDataRole.ForegroundRole and column != Column.LIGHT:
                return QBrush(QColor(RETURNED_COLOUR))
        if shown.row.supervised and column == Column.CASE_NO:
            # 挂号督办 waiting for this unit's answer: the number stands out in the lights' red.
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(LIGHT_COLOURS[Light.RED][0]))
        if column != Column.LIGHT:
            return None
        light = shown.row.light
        if role == Qt.ItemDataRole.DecorationRole and light is not None:
            return self._dot(light)
        if role == Qt.ItemDataRole.BackgroundRole and light is not None:
            return QBrush(QColor(LIGHT_COLOURS[light][1]))
        if role == Qt.ItemDataRole.ForegroundRole and light is None:
            return QBrush(QColor(NO_LIGHT_COLOUR))
        return None

    # -- fetching ----------------------------------------------------------------------------
    def _shown(self, row: int) -> _Shown | None:
        case_id = self._ids[row]
        try:
            shown = self._cache[case_id]
        except KeyError:
            self._fetch_block(row)
            return self._cache.get(case_id)
        self._cache.move_to_end(case_id)
        return shown

    def _fetch_block(self, row: int) -> None:
        start = row - row % self.BLOCK
        wanted = [i for i in self._ids[start:start + self.BLOCK] if i not in self._cache]
        rows = self._fetch_rows(wanted)
        for case_id in wanted:
            found = rows.get(case_id)
            self._cache[case_id] = self._format(found) if found is not None else None
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)

    def _format(self, row: CaseRow) -> _Shown:
        due = ""
        if row.due is not None:
            due = row.due.isoformat() + (self.tr("（暂定）") if row.provisional else "")
        return _Shown(row, (
            row.case_no, row.applicant, row.item_name,
            self.tr("待联审") if row.joint_waiting else status_label(row.status),
            f"{row.received_at.astimezone():%Y-%m-%d %H:%M}", due,
            light_label(row.light) if row.light is not None else "—", row.sent_by,
        ))

    def _tooltip(self, shown: _Shown, column: Column) -> str | None:
        if shown.row.supervised and column == Column.CASE_NO:
            return self.tr("该件已被挂号督办，请在办件详情中查看并回复")
        if shown.row.returned is not None and column != Column.LIGHT:
            return self.tr("{unit}退回：{text}").format(unit=shown.row.returned_by or self.tr("上级单位"),
                                                      text=shown.row.returned)
        if column == Column.DUE and shown.row.provisional:
            return self.tr("该年度的节假日安排尚未公布，暂按周一至周五计算")
        if column == Column.ITEM:
            return shown.row.item_name
        if column == Column.LIGHT and shown.row.light is None:
            return self.tr("未在计时（尚未受理、已中止计时或已办结）")
        return None

    def _returned_icon(self) -> QIcon:
        """A small red tag reading 「退」: the marker of a returned case, beside its number."""
        if self._returned is None:
            pixmap = QPixmap(16, 16)
            pixmap.fill(QColor(0, 0, 0, 0))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(RETURNED_COLOUR))
            painter.drawRoundedRect(0, 0, 16, 16, 3, 3)
            font = QFont(self._bold)
            font.setPixelSize(12)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("退"))
            painter.end()
            self._returned = QIcon(pixmap)
        return self._returned

    def _dot(self, light: Light) -> QIcon:
        icon = self._dots.get(light)
        if icon is None:
            pixmap = QPixmap(12, 12)
            pixmap.fill(QColor(0, 0, 0, 0))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(LIGHT_COLOURS[light][0]))
            painter.drawEllipse(1, 1, 10, 10)
            painter.end()
            icon = self._dots[light] = QIcon(pixmap)
        return icon
