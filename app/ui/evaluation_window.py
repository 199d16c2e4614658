"""The applicant's evaluation screen (好差评): a second window, for a second monitor or a touch pad.

The applicant taps a level; a good one is recorded at once. The two lowest (差评) open a list of
reasons (at least one) and an optional remark, and are recorded with 「提交评价」. Keys 1–5 pick
the levels, Enter submits. The action is recorded in the background under the signed-in clerk;
the window thanks the applicant, tells the clerk's window (``evaluated``) and closes itself.
With a second screen attached, the window opens there, full screen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.core.evaluation import BAD_LEVELS, MAX_TEXT
from app.services import evaluation
from app.services.case_actions import ActionResult
from app.services.context import AppContext
from app.ui.messages import user_message
from app.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFont,
    QGuiApplication,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import on_user_error, run_in_background

log = logging.getLogger("ui.evaluation")

# The levels and reasons are the domain's words (app.core.evaluation); listed here for lupdate.
WORDS = (
    QT_TRANSLATE_NOOP("EvaluationWindow", "非常满意"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "满意"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "基本满意"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "不满意"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "非常不满意"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "服务态度差"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "办事效率低"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "等候时间长"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "多次跑动"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "材料要求不清"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "未一次性告知"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "要求重复提交材料"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "超时办理"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "网上与窗口流程不一致"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "收费不规范"),
    QT_TRANSLATE_NOOP("EvaluationWindow", "其他"),
)
# Colours of the level buttons, best first: green to red, as 评价器 show them
_COLOURS = ("#1b7f3b", "#3f9d4f", "#8a8a2a", "#c0661b", "#b3261e")
REASONS_PER_ROW = 3
THANKS_MS = 3000


def _word(text: str) -> str:
    return QCoreApplication.translate("EvaluationWindow", text)


class EvaluationWindow(QWidget):
    """The applicant rates the service of one case; ``evaluated(level)`` once it is recorded."""

    evaluated = Signal(str)

    def __init__(self, ctx: AppContext, case_ref: str, parent: QWidget | None = None, *,
                 thanks_ms: int = THANKS_MS) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("evaluationWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx, self._case_ref, self._thanks_ms = ctx, case_ref, thanks_ms
        self._level = ""
        self._busy = False
        self.setWindowTitle(self.tr("服务评价"))
        big = QFont(self.font())
        big.setPointSizeF(max(big.pointSizeF(), 9.0) * 1.8)
        self.setFont(big)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._rating_page(evaluation.levels(ctx), evaluation.reasons()))
        self.thanks = QLabel(self.tr("感谢您的评价！"), self)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.thanks)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        self._show_reasons(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys the focused button or remark field did not take: 1–5 pick a level, Enter submits.
        key, levels = event.key(), list(self.level_buttons)
        if Qt.Key.Key_1 <= key < Qt.Key.Key_1 + len(levels):
            self.choose(levels[key - Qt.Key.Key_1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def _rating_page(self, levels: Sequence[str], reasons: Sequence[str]) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.message = QLabel("", page)
        self.message.setObjectName("evaluationMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("请您对本次服务作出评价"), page)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)

        row = QHBoxLayout()
        self.level_buttons: dict[str, QPushButton] = {}
        for n, level in enumerate(levels, 1):
            button = QPushButton(f"{n}\n{_word(level)}", page)
            button.setCheckable(True)
            button.setMinimumSize(150, 120)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            colour = _COLOURS[n - 1]
            button.setStyleSheet(f"QPushButton {{ color: white; background: {colour}; border-radius: 12px; }}"
                                 "QPushButton:checked { border: 6px solid #202020; }")
            button.clicked.connect(lambda _=False, lv=level: self.choose(lv))
            self.level_buttons[level] = button
            row.addWidget(button)
        layout.addLayout(row, 3)

        self.reasons_box = QWidget(page)
        box = QVBoxLayout(self.reasons_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel(self.tr("请选择不满意的原因（可多选）"), self.reasons_box))
        self.reason_buttons: dict[str, QPushButton] = {}
        line: QHBoxLayout | None = None
        for n, reason in enumerate(reasons):
            if n % REASONS_PER_ROW == 0:
                line = QHBoxLayout()
                box.addLayout(line)
            button = QPushButton(_word(reason), self.reasons_box)
            button.setCheckable(True)
            button.setMinimumHeight(64)
            button.setStyleSheet("QPushButton:checked { background: #f6d5d0; border: 3px solid #b3261e; }")
            button.toggled.connect(lambda _=False: self.message.setText(""))
            self.reason_buttons[reason] = button
            assert line is not None
            line.addWidget(button)
        self.remark = QLineEdit(self.reasons_box)
        self.remark.setMaxLength(MAX_TEXT)
        self.remark.setPlaceholderText(self.tr("其他意见（可不填，最多200字）"))
        self.remark.setMinimumHeight(56)
        box.addWidget(self.remark)
        layout.addWidget(self.reasons_box, 3)

        layout.addWidget(self.message)
        self.submit_button = QPushButton(self.tr("提交评价"), page)
        self.submit_button.setMinimumHeight(80)
        self.submit_button.clicked.connect(self.submit)
        layout.addWidget(self.submit_button)
        return page

    # -- the applicant's steps ------------------------------------------------------------
    def choose(self, level: str) -> None:
        """Pick a level: a good one is recorded at once, a 差评 asks for its reasons first."""
        if self._busy or level not in self.level_buttons:
            return
        self._level = level
        for name, button in self.level_buttons.items():
            button.setChecked(name == level)
        self.message.setText("")
        bad = level in BAD_LEVELS
        self._show_reasons(bad)
        if not bad:
            self.submit()

    def _show_reasons(self, shown: bool) -> None:
        self.reasons_box.setVisible(shown)
        self.submit_button.setVisible(shown)
        if not shown:
            for button in self.reason_buttons.values():
                button.setChecked(False)
            self.remark.clear()

    def chosen_reasons(self) -> list[str]:
        return [reason for reason, button in self.reason_buttons.items() if button.isChecked()]

    def submit(self) -> None:
        """Record the chosen level; a 差评 without a reason is refused here and writes nothing."""
        if self._busy:
            return
        if not self._level:
            self.message.setText(self.tr("请先选择评价等级"))
            return
        reasons = self.chosen_reasons()
        if self._level in BAD_LEVELS and not reasons:
            self.message.setText(self.tr("请至少选择一项不满意的原因"))
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        ctx, ref, level, text = self._ctx, self._case_ref, self._level, self.remark.text()
        run_in_background(self, lambda: evaluation.evaluate(ctx, ref, level, reasons, text),
                          self._recorded, self._failed)

    def _recorded(self, result: ActionResult) -> None:
        log.info("case %s: evaluated %s", result.case_no, self._level)
        self.pages.setCurrentWidget(self.thanks)
        self.evaluated.emit(self._level)
        QTimer.singleShot(self._thanks_ms, self.close)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        on_user_error(self, "evaluate", lambda e: self.message.setText(user_message(e)))(exc)

    # -- where it opens -------------------------------------------------------------------
    def open_for_applicant(self) -> None:
        """Full screen on the second screen when there is one (the applicant's side); else a window."""
        primary = QGuiApplication.primaryScreen()
        others = [s for s in QGuiApplication.screens() if s is not primary]
        if not others:
            self.resize(1024, 640)
            self.show()
            return
        screen = others[0]
        self.setScreen(screen)
        self.move(screen.geometry().topLeft())
        self.showFullScreen()
