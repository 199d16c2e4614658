"""What follows the counter's decision, before the next applicant: the notice is issued and
printed, the applicant signs the 受理通知书 (or, for a 即办件 settled on the spot, the 送达回证) on
the pad, and the evaluation screen opens for them. A delivery (送达) from the case desk runs the
same steps with the 送达回证, without the evaluation.

Each step runs in the background or waits for the applicant; a step that fails leaves the case
as decided (it is stored) and says so: the notice can be reprinted from the case.
"""

from __future__ import annotations

from typing import Protocol

from app.core.errors import UserError
from app.core.lifecycle import Status
from app.core.notice_kinds import NoticeKind
from app.services import fees, notices
from app.services.context import AppContext
from app.services.notice_records import NoticeRecord
from app.ui.evaluation_window import EvaluationWindow
from app.ui.labels import status_label
from app.ui.messages import user_message
from app.ui.notice_sign_dialog import ask_signature
from app.ui.printing import print_notice
from app.ui.qt import QObject, QWidget, Signal
from app.ui.qt_print import QPrinter
from app.ui.tasks import on_user_error, run_in_background

#: the notice each decision hands the applicant
NOTICE_OF = {Status.ACCEPTED: NoticeKind.ACCEPTANCE, Status.AWAITING_MATERIALS: NoticeKind.ONE_TIME,
             Status.REJECTED: NoticeKind.REJECTION, Status.RECEIVED: NoticeKind.RECEIPT,
             # a 即办件 settled on the spot: the result is handed over, and its recipient signs for it
             Status.DELIVERED: NoticeKind.SERVICE}


class Decided(Protocol):
    """The case a decision was taken on (the counter's ``Decided``, the case desk's ``Changed``)."""

    @property
    def case_id(self) -> str: ...

    @property
    def case_no(self) -> str: ...

    @property
    def status(self) -> Status: ...


class AfterDecision(QObject):
    """Runs the steps for ``case`` on ``screen`` (the parent of the prompts); emits as it goes."""

    #: what is happening now, for the clerk
    progress = Signal(str)
    #: the applicant's evaluation screen opened (whoever keeps it alive: it outlives the intake)
    evaluation_opened = Signal(object)
    #: every step done
    finished = Signal()
    #: a step failed with this message; the case stands as decided
    failed = Signal(str)

    def __init__(self, screen: QWidget, ctx: AppContext, case: Decided,
                 printer: QPrinter | None = None, *, fee: tuple[int, str, str] | None = None,
                 signed_here: bool = True, rated: bool = True) -> None:
        super().__init__(screen)
        self._screen, self._ctx, self.case, self._printer = screen, ctx, case, printer
        self._fee = fee
        # whether the notice's signer is at the counter (a 送达回证 sent by post is signed on receipt)
        self._signed_here = signed_here
        # whether the evaluation screen opens at the end (the counter's decisions; not a later step)
        self._rated = rated
        self.notice: NoticeRecord | None = None

    def start(self) -> None:
        if self._fee is not None:  # the payment entered at the window goes on record first
            fen, basis, reference = self._fee
            self._fee = None
            ctx, case_id = self._ctx, self.case.case_id
            self.progress.emit(self.tr("正在登记缴费…"))
            run_in_background(self, lambda: fees.record_fee(ctx, case_id, fen, basis, reference),
                              lambda _: self.start(), self._failed)
            return
        kind = NOTICE_OF.get(self.case.status, NoticeKind.RECEIPT)
        # The status names itself (已受理, 不予受理, 已送达): no 「已」 before it.
        self.progress.emit(self.tr("{status}，受理编号 {case_no}。正在出具{kind}…").format(
            status=status_label(self.case.status), case_no=self.case.case_no, kind=kind.value))
        ctx, case_id = self._ctx, self.case.case_id
        run_in_background(self, lambda: notices.issue(ctx, case_id, kind), self._issued, self._failed)

    def _issued(self, notice: NoticeRecord) -> None:
        self.notice = notice
        self.progress.emit(self.tr("正在打印{kind}…").format(kind=notice.kind.value))
        print_notice(self._screen, self._ctx, notice, self._printed, printer=self._printer, on_failure=self._failed)

    def _printed(self) -> None:
        notice, case = self.notice, self.case
        assert notice is not None
        if not notice.kind.signer or not self._signed_here:
            self._evaluate()
            return
        self.progress.emit(self.tr("请受送达人在签名板上签名确认") if notice.kind is NoticeKind.SERVICE
                           else self.tr("请申请人在签名板上签名确认"))
        strokes = ask_signature(notice.kind, case.case_no, self._screen)
        if strokes is None:  # the applicant would not sign: the notice stands unsigned
            self._evaluate()
            return
        ctx = self._ctx
        run_in_background(self, lambda: notices.sign(ctx, case.case_id, notice, strokes),
                          lambda _signed: self._evaluate(), self._failed)

    def _evaluate(self) -> None:
        if not self._rated:
            self.finished.emit()
            return
        window = EvaluationWindow(self._ctx, self.case.case_id)
        self.evaluation_opened.emit(window)
        window.open_for_applicant()
        self.finished.emit()

    def _failed(self, exc: BaseException) -> None:
        def tell(e: UserError) -> None:
            self.failed.emit(self.tr("办件已保存，但以下步骤未完成：{message}。可在办件详情中补办").format(
                message=user_message(e)))

        on_user_error(self._screen, "after decision", tell, self.finished.emit)(exc)
