"""The item's material checklist on the intake screen: pages per material, the clerk's marks,
and how complete the required materials are.

One tab stop: Up/Down choose the material, Space marks 已核验原件, Ctrl+U marks 未提供.
A material a licence the applicant holds stands for (免证) shows 「电子证照」 instead of a page
count and counts as handed in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from app.core.catalog import MaterialSpec
from app.services.drafts import Mark
from app.ui.qt import (
    QAbstractItemView,
    QAction,
    QColor,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QProgressBar,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

NAME, REQUIRED, PAGES, VERIFIED, ABSENT = range(5)


class MaterialList(QWidget):
    """Rows of the checklist (then any other material the draft has); the selection is the
    material the scan buttons fill."""

    #: the clerk chose another material
    selected = Signal(str)
    #: material, mark, on
    mark_changed = Signal(str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("materials")
        self.table.setHorizontalHeaderLabels([self.tr("材料"), self.tr("必需"), self.tr("页数"),
                                              self.tr("已核验原件"), self.tr("未提供")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table: one stop, not cell by cell
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (REQUIRED, PAGES, VERIFIED, ABSENT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.completeness = QProgressBar()
        self.completeness.setObjectName("completeness")
        self.completeness.setTextVisible(True)
        self.missing = QLabel()
        self.missing.setObjectName("missingMaterials")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #8a5300")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("必需材料：")))
        bar.addWidget(self.completeness, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(self.missing)

        self._specs: tuple[MaterialSpec, ...] = ()
        self._names: list[str] = []
        self._counts: dict[str, int] = {}
        self._marks: dict[str, tuple[str, ...]] = {}
        # materials a held licence stands for (免证): present without pages
        self._held: frozenset[str] = frozenset()
        for text, keys, mark in ((self.tr("已核验原件"), "Space", "verified_original"),
                                 (self.tr("未提供"), "Ctrl+U", "not_provided")):
            action = QAction(text, self.table)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, m=mark: self._toggle(m))
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemChanged.connect(self._item_changed)

    def set_checklist(self, specs: Sequence[MaterialSpec], counts: Mapping[str, int],
                      marks: Mapping[str, Sequence[str]]) -> None:
        """Show the checklist with the draft's page counts and marks (other materials after it)."""
        was = self.current()
        names = [s.name for s in specs]
        names += sorted(n for n in counts if n not in names and counts[n])
        kept = {k: tuple(v) for k, v in marks.items()}
        if tuple(specs) == self._specs and names == self._names and kept == self._marks:
            # Only page counts changed (a page scanned): the window shows the draft again after
            # every page of a feeder batch, and rebuilding the table each time stalls it.
            changed = [row for row, name in enumerate(names) if counts.get(name, 0) != self._counts.get(name, 0)]
            self._counts = dict(counts)
            for row in changed:
                self._show_count(row)
            if changed:
                self._show_completeness()
            return
        self._specs = tuple(specs)
        self._counts = dict(counts)
        self._marks = kept
        self._names = names
        required = {s.name for s in specs if s.required}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._names))
        for row, name in enumerate(self._names):
            cell = QTableWidgetItem(name)
            cell.setToolTip(name)  # the whole name when a narrow window cuts it short
            self.table.setItem(row, NAME, cell)
            self.table.setItem(row, REQUIRED, QTableWidgetItem(self.tr("必需") if name in required else ""))
            for column, mark in ((VERIFIED, "verified_original"), (ABSENT, "not_provided")):
                box = QTableWidgetItem()
                box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                box.setCheckState(Qt.CheckState.Checked if mark in self._marks.get(name, ())
                                  else Qt.CheckState.Unchecked)
                self.table.setItem(row, column, box)
            self._show_count(row)
        self.table.blockSignals(False)
        self._show_completeness()
        if was in self._names:
            self.select(was, quiet=True)  # shown again, not chosen again
        elif self._names:
            self.select(self._names[0], quiet=True)

    def set_count(self, name: str, count: int) -> None:
        self._counts[name] = count
        if name not in self._names:
            return
        self._show_count(self._names.index(name))
        self._show_completeness()

    def set_held(self, names: Collection[str]) -> None:
        """The materials a held licence stands for (the others are scanned)."""
        self._held = frozenset(names)
        for row in range(len(self._names)):
            self._show_count(row)
        self._show_completeness()

    def held(self) -> frozenset[str]:
        return self._held

    def set_mark(self, name: str, mark: Mark, on: bool) -> None:
        current = tuple(m for m in self._marks.get(name, ()) if m != mark)
        self._marks[name] = (*current, mark) if on else current
        self._show_completeness()

    def missing_required(self) -> list[str]:
        return [s.name for s in self._specs if s.required and (
            not (self._counts.get(s.name) or s.name in self._held) or "not_provided" in self._marks.get(s.name, ()))]

    def next_missing(self) -> str | None:
        """The first required material (from the selected one on, wrapping round) with no pages
        and not marked 未提供; None when every one is there."""
        missing = [n for n in self.missing_required() if "not_provided" not in self._marks.get(n, ())]
        if not missing:
            return None
        current = self.current()
        at = self._names.index(current) if current is not None and current in self._names else -1
        after = [n for n in missing if self._names.index(n) >= at]
        return (after or missing)[0]

    def current(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._names[rows[0].row()] if rows and rows[0].row() < len(self._names) else None

    def select(self, name: str, *, quiet: bool = False) -> None:
        """Select ``name``'s row; ``quiet``: without telling (the strip stays as it is)."""
        was = self.table.blockSignals(True) if quiet else None
        self.table.selectRow(self._names.index(name))
        if was is not None:
            self.table.blockSignals(was)

    def names(self) -> list[str]:
        return list(self._names)

    def _show_count(self, row: int) -> None:
        name = self._names[row]
        count = self._counts.get(name, 0)
        if name in self._held:
            cell = QTableWidgetItem(self.tr("电子证照"))
            cell.setToolTip(self.tr("使用申请人已有的电子证照，免提交纸质材料"))
            cell.setForeground(QColor("#1a73e8"))
        else:
            cell = QTableWidgetItem(str(count) if count else "")
        was = self.table.blockSignals(True)
        self.table.setItem(row, PAGES, cell)
        self.table.blockSignals(was)

    def _show_completeness(self) -> None:
        required = [s.name for s in self._specs if s.required]
        missing = self.missing_required()
        self.completeness.setMaximum(max(1, len(required)))
        self.completeness.setValue(len(required) - len(missing))
        self.completeness.setFormat(f"{len(required) - len(missing)}/{len(required)}")
        self.missing.setText(self.tr("尚缺：{names}").format(names="、".join(missing)) if missing else "")
        for row, name in enumerate(self._names):
            cell = self.table.item(row, NAME)
            if cell is not None:
                cell.setForeground(QColor("#8a5300") if name in missing else QColor("#000000"))

    def _toggle(self, mark: str) -> None:
        name = self.current()
        if name is None:
            return
        column = VERIFIED if mark == "verified_original" else ABSENT
        box = self.table.item(self._names.index(name), column)
        if box is not None:
            box.setCheckState(Qt.CheckState.Unchecked if box.checkState() == Qt.CheckState.Checked
                              else Qt.CheckState.Checked)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() not in (VERIFIED, ABSENT) or item.row() >= len(self._names):
            return
        mark = "verified_original" if item.column() == VERIFIED else "not_provided"
        on = item.checkState() == Qt.CheckState.Checked
        name = self._names[item.row()]
        self.set_mark(name, mark, on)  # type: ignore[arg-type]
        self.mark_changed.emit(name, mark, on)

    def _selection_changed(self) -> None:
        name = self.current()
        if name is not None:
            self.selected.emit(name)
