"""The applicant signs a notice: the pad, what is being signed, and 「取消」.

The window's flow shows this after 受理 (受理通知书) and at 送达 (送达回证), then hands the strokes to
:func:`app.services.notices.sign` (in the background): binding them to the notice's SHA-256 and
drawing them into the signed copy are the service's work, not the dialog's.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.notice_kinds import NoticeKind
from app.core.signature import Strokes
from app.ui.qt import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from app.ui.signature_pad import SignaturePadWidget


class NoticeSignDialog(QDialog):
    """Asks the applicant (or the recipient of a service) to sign one notice; ``strokes`` once accepted."""

    def __init__(self, kind: NoticeKind, case_no: str, parent: QWidget | None = None, *,
                 clock: Callable[[], int] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeSignDialog")
        self.setWindowTitle(self.tr("签名确认"))
        self.strokes: Strokes | None = None
        who = self.tr("受送达人") if kind is NoticeKind.SERVICE else self.tr("申请人")
        heading = QLabel(self.tr("请{who}在下方签名，确认收到{kind}（受理编号 {case_no}）").format(
            who=who, kind=kind.value, case_no=case_no))
        heading.setWordWrap(True)
        self.pad = SignaturePadWidget(self, clock=clock)
        self.pad.confirmed.connect(self._confirmed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.pad, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _confirmed(self, strokes: Strokes) -> None:
        self.strokes = strokes
        self.accept()


def ask_signature(kind: NoticeKind, case_no: str, parent: QWidget | None = None) -> Strokes | None:
    """Show the dialog; the accepted strokes, or None if the clerk cancelled."""
    dialog = NoticeSignDialog(kind, case_no, parent)
    return dialog.strokes if dialog.exec() == QDialog.DialogCode.Accepted else None
