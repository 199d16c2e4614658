"""收件 at the window: item, applicant, materials and the decision, on one screen, kept as a draft.

Opening the screen starts a draft (or continues one): every page is stored the moment the
scanner delivers it and the applicant's fields as they are typed, so Esc, ×, a crash or a
power cut lose nothing; after a restart the window offers the open drafts. 「取消收件」 asks,
then discards the draft. Changing the item keeps the materials the new checklist also names
and asks about the rest.

The decision is taken here too: 「受理」 (only with every required material), 「一次性告知」
(the missing materials pre-filled) or 「不予受理」 (with a reason), or 「仅收件」 to decide later.
Every device call and write runs in the background; problems show on the screen, and the focus
goes to what needs fixing, never to a button that would throw the work away.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.applicants import field_problem
from app.core.lifecycle import Status
from app.services import camera, counter, devices, drafts, intake, items, queries
from app.services.context import AppContext
from app.ui.after_decision import AfterDecision
from app.ui.applicant_form import WARNING_STYLE, ApplicantForm
from app.ui.camera_dialog import CameraDialog
from app.ui.decision_dialogs import ask_defects, ask_reason
from app.ui.fee_panel import FeePanel
from app.ui.held_licence_offer import HeldLicenceOffer
from app.ui.item_guide import ItemGuidePanel
from app.ui.item_picker import ItemPicker
from app.ui.labels import status_label
from app.ui.material_list import MaterialList
from app.ui.messages import translated, user_message
from app.ui.page_strip import PageStrip
from app.ui.page_viewer import PageViewer
from app.ui.qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.qt_print import QPrinter
from app.ui.tasks import Pool, Task, on_user_error, run_in_background, run_with_progress

#: how long after the last keystroke the applicant's fields are saved
SAVE_DELAY_MS = 400
PICK, WORK = 0, 1
SCAN_SOURCES = (("adf", QT_TRANSLATE_NOOP("IntakeDialog", "进纸器扫描(&F)"), "F5"),
                ("flatbed", QT_TRANSLATE_NOOP("IntakeDialog", "平板扫描(&B)"), "F6"))


class IntakeDialog(QDialog):
    """One intake, from item to decision; :attr:`draft_id` is the draft it writes to."""

    #: a page of material ``name`` was stored during a scan, making ``count`` pages
    page_stored = Signal(str, int)
    #: a step finished (card read, scan, decision); its outcome is in :attr:`message`
    finished_step = Signal()
    #: the case was received (and decided): its case number
    received = Signal(str)
    #: the clerk followed the link to an open case of the same applicant and item: its id
    open_case = Signal(str)
    #: the applicant's evaluation screen was opened (the window keeps it: it outlives this dialog)
    evaluation_opened = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, draft_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("收件"))
        self.resize(1000, 680)  # fits 1024×700 and a 1366×768 screen with the taskbar
        self._ctx = ctx
        self.draft_id = draft_id
        self._draft: drafts.Draft | None = None
        self._busy = False
        self._quiet_reload: Task[drafts.Draft] | None = None
        self._reload_again = False

        #: the item search, shown until an item is chosen (and again for 更换事项)
        self.picker = ItemPicker(ctx)
        self.item_line = QLabel()
        self.item_line.setObjectName("itemLine")
        self.change_item_button = QPushButton(self.tr("更换事项(&E)"))
        self.change_item_button.setAutoDefault(False)
        self.guide = ItemGuidePanel()
        self.applicant = ApplicantForm(ctx.today())
        self.materials = MaterialList()
        self.pages = PageStrip()
        self.scan_buttons: dict[str, QPushButton] = {}
        scan_row = QHBoxLayout()
        for source, label, keys in SCAN_SOURCES:
            button = QPushButton(self.tr(str(label)))
            button.setToolTip(keys)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, s=source: self.scan_selected(s))
            QShortcut(QKeySequence(keys), self, lambda s=source: self.scan_selected(s))
            self.scan_buttons[source] = button
            scan_row.addWidget(button)
        self.camera_button = QPushButton(self.tr("高拍仪拍摄(&G)"))
        self.camera_button.setToolTip("F7")
        self.camera_button.setAutoDefault(False)
        self.camera_button.clicked.connect(self.photograph)
        QShortcut(QKeySequence("F7"), self, self.photograph)
        scan_row.addWidget(self.camera_button)
        self.import_button = QPushButton(self.tr("导入文件(&I)…"))
        self.import_button.setAutoDefault(False)
        scan_row.addWidget(self.import_button)
        scan_row.addStretch(1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("页面有质量问题仍要收件时，在此注明理由"))
        self.message = QLabel()
        self.message.setObjectName("intakeMessage")
        self.message.setWordWrap(True)

        self.accept_button = QPushButton(self.tr("受理(&A)"))
        self.notify_button = QPushButton(self.tr("一次性告知(&M)"))
        self.reject_button = QPushButton(self.tr("不予受理(&J)"))
        self.receive_button = QPushButton(self.tr("仅收件(&S)"))
        #: a 即办件 is decided, issued and handed over at once (shown for such items only)
        self.settle_button = QPushButton(self.tr("当场办结(&K)"))
        self.settle_button.setToolTip(self.tr("即办件：受理并当场作出准予决定、出件，申请人签收送达回证"))
        self.cancel_button = QPushButton(self.tr("取消收件"))
        self.accept_button.setDefault(True)
        for b in (self.settle_button, self.notify_button, self.reject_button, self.receive_button, self.cancel_button):
            b.setAutoDefault(False)  # Enter never triggers anything but the default
        self._decision_buttons = (self.accept_button, self.settle_button, self.notify_button, self.reject_button,
                                  self.receive_button)

        #: an open case of this applicant for this item, with a link to it
        self.duplicate = QLabel()
        self.duplicate.setObjectName("duplicateCase")
        self.duplicate.setWordWrap(True)
        self.duplicate.setStyleSheet(WARNING_STYLE)
        self.duplicate.hide()
        # the applicant's licences offered instead of a scan (免证), once the applicant is known
        self.held_offer = HeldLicenceOffer()
        left = QVBoxLayout()
        left.addWidget(self.applicant)
        left.addWidget(self.duplicate)
        left.addWidget(self.held_offer)
        left.addWidget(self.materials, 1)
        self.side = QTabWidget()  # the pages of the chosen material, and the item's guide beside the checklist
        self.side.addTab(self.pages, self.tr("页面"))
        self.side.addTab(self.guide, self.tr("办事指南"))
        #: the payment, for an item that charges a fee: recorded with the case once it is accepted
        self.fee = FeePanel()
        self.fee_entry: tuple[int, str, str] | None = None
        self.side.addTab(self.fee, self.tr("收费"))
        self.side.setTabVisible(self.side.indexOf(self.fee), False)  # shown for an item with a fee
        right = QVBoxLayout()
        right.addLayout(scan_row)
        right.addWidget(self.side, 1)
        right.addWidget(self.reason)
        left_box, right_box = QWidget(), QWidget()
        left_box.setLayout(left)
        right_box.setLayout(right)
        split = QSplitter()
        split.addWidget(left_box)
        split.addWidget(right_box)
        # The applicant and the checklist get the larger share: at 1024 px (or 150 %) an even split
        # left the material names cut to a few characters beside the English column headers.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        for b in (*self._decision_buttons, self.cancel_button):
            bottom.addWidget(b)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("事项：")))
        head.addWidget(self.item_line, 1)
        head.addWidget(self.change_item_button)
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.addLayout(head)
        work_layout.addWidget(split, 1)
        self.body = QStackedWidget()
        self.body.addWidget(self.picker)
        self.body.addWidget(work)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addLayout(bottom)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_fields)
        self.picker.chosen.connect(self.choose_item)
        self.change_item_button.clicked.connect(self.show_picker)
        self.applicant.edited.connect(self._save_timer.start)
        for edit in (self.applicant.id_number, self.applicant.credit_code):
            edit.editingFinished.connect(self.check_duplicate)
        self.duplicate.linkActivated.connect(self.open_case)
        self.held_offer.changed.connect(lambda: self.materials.set_held(self.held_offer.chosen()))
        self.fee.entered.connect(self._fee_entered)
        self.applicant.read_card_button.clicked.connect(self.read_card)
        self.materials.selected.connect(self._show_material)
        self.materials.mark_changed.connect(self._mark)
        self.pages.open_page.connect(self.open_viewer)
        self.pages.rotate_page.connect(lambda n, turn: self._edit(drafts.rotate_page, n, turn))
        self.pages.delete_page.connect(lambda n: self._edit(drafts.delete_page, n))
        self.pages.move_page.connect(lambda n, to: self._edit(drafts.move_page, n, to))
        # One sheet scanned again goes on the glass (a sheet that jammed or came out skewed).
        self.pages.rescan_page.connect(lambda n: self.scan_selected("flatbed", page_no=n, replace=True))
        self.pages.insert_before.connect(lambda n: self.scan_selected(page_no=n))
        self.import_button.clicked.connect(self.import_files)
        self.accept_button.clicked.connect(self.decide_accept)
        self.settle_button.clicked.connect(self.decide_settle)
        self.notify_button.clicked.connect(self.decide_notify)
        self.reject_button.clicked.connect(self.decide_reject)
        self.receive_button.clicked.connect(self.receive_only)
        self.cancel_button.clicked.connect(self.cancel_intake)
        self.page_stored.connect(self._page_stored, Qt.ConnectionType.QueuedConnection)
        self._viewer: PageViewer | None = None
        #: the document camera's live view while it is open
        self.camera_dialog: CameraDialog | None = None
        #: the material whose pages the strip shows
        self._strip_material: str | None = None
        #: the decided case (after a decision), and what follows it
        self.case: counter.Decided | None = None
        self.after: AfterDecision | None = None
        #: where notices print instead of the unit's printer (tests print to a PDF file)
        self.printer: QPrinter | None = None
        self._open()

    @property
    def context(self) -> AppContext:
        return self._ctx

    def set_context(self, ctx: AppContext) -> None:
        """Another person signed in at the window: the screen closes, keeping the draft (it is
        its owner's, offered to them at their next sign-in)."""
        if ctx.session.user != self._ctx.session.user:
            self.close()
        self._ctx = ctx

    # -- opening and the draft ----------------------------------------------------------------------

    def _open(self) -> None:
        ctx, draft_id = self._ctx, self.draft_id
        self._working(self.tr("正在打开…"))

        def open_() -> drafts.Draft:
            return drafts.load(ctx, draft_id or drafts.start(ctx))

        run_in_background(self, open_, self._opened, self._failed)

    def _opened(self, draft: drafts.Draft) -> None:
        self.draft_id = draft.id
        self._draft = draft
        if draft.applicant:  # a draft taken up again; a new one keeps what the clerk typed meanwhile
            self.applicant.set_fields(draft.applicant)
        elif any(v.strip() for k, v in self.applicant.fields().items() if k not in ("kind", "id_type")):
            self._save_timer.start()
        self._show_draft(draft)
        self._done(self.tr("已继续上次未完成的收件") if draft.page_count() or draft.applicant else "")
        if draft.item_code:
            self._item_shown()
        else:
            self.show_picker()

    def _reload(self, then_message: str = "", then: Callable[[], None] | None = None) -> None:
        ctx, draft_id = self._ctx, self.draft_id
        if draft_id is None:
            return

        def show(draft: drafts.Draft) -> None:
            self._show_draft(draft)
            self._done(then_message)
            if then is not None:
                then()

        run_in_background(self, lambda: drafts.load(ctx, draft_id), show, self._failed)

    def _show_draft(self, draft: drafts.Draft) -> None:
        changed = self._draft is None or self._draft.item_code != draft.item_code
        self._draft = draft
        item = self._ctx.catalog.get(draft.item_code) if draft.item_code else None
        self.item_line.setText(f"{item.name}（{item.code}）" if item else "")
        if changed and item is not None:
            self._show_guide(item.code)
            self.fee.show_fee(item.fee)
            self.fee_entry = None
            self.side.setTabVisible(self.side.indexOf(self.fee), item.fee.charged)
        self.materials.set_checklist(item.materials if item else (),
                                     {n: len(p) for n, p in draft.materials.items()}, draft.marks)
        self._show_pages()

    def _show_material(self, name: str) -> None:
        """The clerk chose a material: the strip shows its pages."""
        self._strip_material = name
        self._show_pages()

    def _show_pages(self) -> None:
        name = self._strip_material or self.materials.current()
        pages = self._draft.materials.get(name, ()) if self._draft and name else ()
        self.pages.show_pages(self._ctx, pages)
        if self._viewer is not None and self._viewer.isVisible():
            self._viewer.set_pages(pages, self._viewer.page_no)

    def save_fields(self) -> None:
        """Keep the applicant's fields (called shortly after the last keystroke, and on close)."""
        self._save_timer.stop()
        if self.draft_id is None:
            return
        ctx, draft_id, fields = self._ctx, self.draft_id, self.applicant.fields()
        run_in_background(self, lambda: drafts.save_applicant(ctx, draft_id, fields), lambda _: None, self._failed)

    # -- the clerk's actions ----------------------------------------------------------------------------

    def read_card(self) -> None:
        self._working(self.tr("正在读取身份证…"))
        ctx = self._ctx
        run_in_background(self, lambda: devices.read_id_card(ctx), self._card_read, self._failed, pool=Pool.DEVICE)

    def select_material(self, name: str) -> None:
        """Select the row of material ``name`` (as the clerk would click it)."""
        self.materials.select(name)

    def scan_selected(self, source: str | None = None, *, page_no: int | None = None, replace: bool = False) -> None:
        """Scan into the selected material from ``source`` (None: the unit's setting): appended, or
        at ``page_no`` in place of that page (``replace``, a rescan) or before it (an insert)."""
        name = self.materials.current()
        if self._busy or self.draft_id is None:
            return
        if name is None:
            self._done(self.tr("请先选择事项，并在材料清单中选择要扫描的材料"))
            return
        if page_no is None:
            self._working(self.tr("正在扫描“{name}”…").format(name=name))
        elif replace:
            self._working(self.tr("正在重新扫描“{name}”第 {n} 页…").format(name=name, n=page_no))
        else:
            self._working(self.tr("正在扫描，插入到“{name}”第 {n} 页之前…").format(name=name, n=page_no))
        self._show_material(name)
        ctx, draft_id, emit = self._ctx, self.draft_id, self.page_stored.emit

        def scan(report: Any) -> drafts.ScanResult:
            def stored(count: int) -> None:  # on the worker thread: only emits
                emit(name, count)
                report(count)

            if page_no is None:
                return drafts.scan(ctx, draft_id, name, source=source, progress=stored)
            return drafts.scan_at(ctx, draft_id, name, page_no, replace=replace, source=source, progress=stored)

        run_with_progress(self, scan, lambda r: self._scanned(name, r, advance=page_no is None), lambda _n: None,
                          self._failed, pool=Pool.DEVICE)

    def photograph(self) -> None:
        """A sheet under the document camera (高拍仪) into the selected material: the live view,
        拍摄, then the shot through the pipeline's camera path into the draft."""
        name, draft_id = self.materials.current(), self.draft_id
        if self._busy or draft_id is None:
            return
        if name is None:
            self._done(self.tr("请先选择事项，并在材料清单中选择要拍摄的材料"))
            return
        settings = self._ctx.settings
        self.camera_dialog = CameraDialog(lambda: camera.open_configured_camera(settings),
                                          self.tr("高拍仪 — {name}").format(name=name), self)
        self.camera_dialog.finished.connect(lambda _r, d=self.camera_dialog: self._photographed(name, d.shot))
        self.camera_dialog.open()

    def _photographed(self, name: str, shot: camera.Shot | None) -> None:
        if shot is None or self.draft_id is None:
            return
        ctx, draft_id = self._ctx, self.draft_id
        self._working(self.tr("正在处理拍摄的“{name}”…").format(name=name))
        self._show_material(name)
        run_in_background(self, lambda: drafts.add_shot(ctx, draft_id, name, shot),
                          lambda n: self._reload(self.tr("“{name}”已拍摄，共 {n} 页").format(name=name, n=n)),
                          self._failed)

    def import_files(self) -> None:
        name = self.materials.current()
        if name is None or self.draft_id is None:
            self._done(self.tr("请先在材料清单中选择要导入的材料"))
            return
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("导入“{name}”的文件").format(name=name), "",
                                                self.tr("图片或PDF (*.jpg *.jpeg *.png *.tif *.tiff *.pdf)"))
        if files:
            self.import_paths(name, files)

    def import_paths(self, name: str, files: list[str]) -> None:
        ctx, draft_id = self._ctx, self.draft_id
        assert draft_id is not None
        self._working(self.tr("正在导入…"))
        run_in_background(self, lambda: drafts.import_files(ctx, draft_id, name, [Path(f) for f in files]),
                          lambda n: self._reload(self.tr("“{name}”已导入 {n} 页").format(name=name, n=n)),
                          self._failed)

    def open_viewer(self, n: int) -> None:
        name = self._strip_material or self.materials.current()
        if name is None or self._draft is None:
            return
        self._viewer = PageViewer(self._ctx, name, self._draft.materials.get(name, ()), n, self)
        self._viewer.rotate_page.connect(lambda page, turn: self._edit(drafts.rotate_page, page, turn))
        self._viewer.delete_page.connect(lambda page: self._edit(drafts.delete_page, page))
        self._viewer.show()

    def _edit(self, operation: Any, *args: int) -> None:
        name, ctx, draft_id = self._strip_material or self.materials.current(), self._ctx, self.draft_id
        if name is None or draft_id is None:
            return
        run_in_background(self, lambda: operation(ctx, draft_id, name, *args), lambda _: self._reload(),
                          self._failed)

    def _mark(self, name: str, mark: str, on: bool) -> None:
        ctx, draft_id = self._ctx, self.draft_id
        if draft_id is not None:
            run_in_background(self, lambda: drafts.set_mark(ctx, draft_id, name, mark, on),  # type: ignore[arg-type]
                              lambda _: None, self._failed)

    @property
    def item_code(self) -> str:
        """The item the draft is for ("" until one is chosen)."""
        return self._draft.item_code if self._draft else ""

    def show_picker(self) -> None:
        """Back to the item search (更换事项)."""
        self.body.setCurrentIndex(PICK)
        for button in self._decision_buttons:  # nothing to decide before the item is chosen
            button.hide()
        self.picker.setFocus()

    def choose_item(self, code: str) -> None:
        """The draft is for item ``code`` from now on (the pages of materials it also names stay)."""
        if self.draft_id is None:
            return
        if code == self.item_code:
            self._item_shown()
            return
        ctx, draft_id = self._ctx, self.draft_id
        self._working(self.tr("正在更换事项…"))
        run_in_background(self, lambda: drafts.change_item(ctx, draft_id, code),
                          lambda orphans: self._item_orphans(code, orphans), self._failed)

    def check_duplicate(self) -> None:
        """Warn, with a link, when this applicant already has an open case of this item here."""
        fields, code = self.applicant.fields(), self.item_code
        kind = "org" if fields.get("kind") == "org" else "person"
        number = fields.get("credit_code" if kind == "org" else "id_number", "").strip().upper()
        field = "credit_code" if kind == "org" else "id_number"
        if not code or len(number) != 18 or field_problem(field, number, self._ctx.today()):
            self.duplicate.hide()
            self.held_offer.look_up(self._ctx, code, "")
            return
        ctx = self._ctx
        self.held_offer.look_up(ctx, code, number)
        run_in_background(self, lambda: queries.open_cases_of(ctx, kind, number, code), self._show_duplicates,
                          self._failed, pool=Pool.SEARCH)

    def _show_duplicates(self, found: list[dict[str, str]]) -> None:
        links = "、".join(f'<a href="{c["id"]}">{c["case_no"]}</a>（{c["status"]}）' for c in found)
        warning = self.tr("注意：该申请人已有同一事项的在办件 {links}，请核实是否重复申请")
        self.duplicate.setText(warning.format(links=links))
        self.duplicate.setVisible(bool(found))

    def _item_shown(self) -> None:
        self.check_duplicate()
        self.body.setCurrentIndex(WORK)
        immediate = counter.is_immediate(self._ctx, self.item_code)
        for button in self._decision_buttons:
            button.setVisible(button is not self.settle_button or immediate)
        first = self.materials.next_missing()
        if first is not None:
            self.materials.select(first)
        self.applicant.read_card_button.setFocus()

    def _item_orphans(self, code: str, orphans: tuple[str, ...]) -> None:
        if not orphans:
            self._reload(then=self._item_shown)
            return
        answer = QMessageBox.question(
            self, self.tr("更换事项"),
            self.tr("新事项的材料清单中没有以下材料，更换后将删除其已扫描的页面：\n{names}\n\n确定更换吗？").format(
                names="\n".join(orphans)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self._done("")
            if self.item_code:
                self._item_shown()
            return
        ctx, draft_id = self._ctx, self.draft_id
        assert draft_id is not None
        run_in_background(self, lambda: drafts.change_item(ctx, draft_id, code, drop=True),
                          lambda _: self._reload(then=self._item_shown), self._failed)

    # -- decisions ----------------------------------------------------------------------------------------

    def _ready(self) -> bool:
        """Everything typed is saved and the fields are right; else say what to fix and focus it."""
        if self._busy or self.draft_id is None:
            return False
        if not self.item_code:
            self.show_picker()
            self._refuse(self.tr("请先选择办理事项"), self.picker)
            return False
        problems = self.applicant.problems()
        if problems:
            self._refuse(translated(next(iter(problems.values()))), self.applicant.first_problem_field())
            return False
        self.save_fields()
        return True

    def _options(self) -> intake.IntakeOptions:
        return intake.IntakeOptions(accept_warnings=self.reason.text().strip() or None, source="scanner",
                                    held=self.held_offer.chosen())

    def decide_accept(self) -> None:
        if not self._ready():
            return
        # A missing required material: the service refuses (case_actions.incomplete), the draft stays.
        self._decide(self.tr("正在受理…"), lambda ctx, d, o: counter.accept(ctx, d, o))

    def decide_settle(self) -> None:
        """当场办结 of a 即办件 (the service refuses any other item, and a missing material)."""
        if self._ready():
            fee = self.fee_entry  # paid before the result is handed over: recorded by the service
            self._decide(self.tr("正在当场办结…"), lambda ctx, d, o: counter.settle(ctx, d, o, fee=fee))

    def decide_notify(self) -> None:
        if not self._ready() or self.draft_id is None:
            return
        # What is wrong goes onto the Chinese notice as the clerk leaves it: Chinese in any UI language.
        defects = ask_defects(self, [counter.Defect(n, "未提供") for n in self.materials.missing_required()],
                              self.materials.names())
        if defects is not None:
            self._decide(self.tr("正在出具一次性告知…"), lambda ctx, d, o: counter.notify_missing(ctx, d, defects, o))

    def decide_reject(self) -> None:
        if not self._ready():
            return
        reason = ask_reason(self)
        if reason is not None:
            self._decide(self.tr("正在办理不予受理…"), lambda ctx, d, o: counter.reject(ctx, d, reason, o))

    def receive_only(self) -> None:
        if self._ready():
            self._decide(self.tr("正在收件…"), lambda ctx, d, o: counter.receive(ctx, d, o))

    def _decide(self, text: str, step: Any) -> None:
        ctx, draft_id, options = self._ctx, self.draft_id, self._options()
        assert draft_id is not None
        fields = self.applicant.fields()
        self._working(text)

        def run() -> counter.Decided:
            drafts.save_applicant(ctx, draft_id, fields)  # what is on screen is what is received
            result: counter.Decided = step(ctx, draft_id, options)
            return result

        run_in_background(self, run, self._decided, self._failed)

    def cancel_intake(self) -> None:
        """取消收件: asks, then discards the draft and its pages."""
        if self.draft_id is None:
            self.reject()
            return
        answer = QMessageBox.question(
            self, self.tr("取消收件"), self.tr("确定取消这次收件吗？已扫描的页面和填写的信息将被删除。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx, draft_id = self._ctx, self.draft_id
        self._save_timer.stop()
        run_in_background(self, lambda: drafts.discard(ctx, draft_id), lambda _: self._discarded(), self._failed)

    def _discarded(self) -> None:
        self.draft_id = None
        self.reject()

    def reject(self) -> None:
        """Esc, × and 关闭 keep the draft; what was typed last is saved before the screen goes
        (so whoever lists the open drafts next sees it)."""
        if not self._save_timer.isActive() or self.draft_id is None:
            super().reject()
            return
        self._save_timer.stop()
        self.hide()
        ctx, draft_id, fields = self._ctx, self.draft_id, self.applicant.fields()
        def close(*_: object) -> None:
            QDialog.reject(self)

        run_in_background(self, lambda: drafts.save_applicant(ctx, draft_id, fields), close,
                          on_user_error(self, "intake close", close, close))

    # -- callbacks on the GUI thread --------------------------------------------------------------------

    def _card_read(self, card: dict[str, Any]) -> None:
        warning = self.applicant.fill_from_card(card)
        self.check_duplicate()
        self._done(warning or self.tr("已读取身份证：{name}").format(name=card["name"]))
        if warning:
            self.message.setStyleSheet(WARNING_STYLE)

    def _page_stored(self, name: str, count: int) -> None:
        self.materials.set_count(name, count)
        self.message.setText(self.tr("正在扫描“{name}”：第 {n} 页").format(name=name, n=count))
        if self._strip_material == name and self.draft_id is not None:
            self._reload_quietly()

    def _reload_quietly(self) -> None:
        # One reload at a time: pages stored while one runs are shown by a single reload after it,
        # so a fast feeder does not queue a draft load and a redraw on the GUI thread per page.
        if self._quiet_reload is not None and not self._quiet_reload.done:
            self._reload_again = True
            return
        ctx, draft_id = self._ctx, self.draft_id
        if draft_id is None:
            return

        def shown(draft: drafts.Draft) -> None:
            self._show_draft(draft)
            if self._reload_again:
                self._reload_again = False
                self._reload_quietly()

        self._reload_again = False
        self._quiet_reload = run_in_background(self, lambda: drafts.load(ctx, draft_id), shown, self._failed)

    def _scanned(self, name: str, result: drafts.ScanResult, *, advance: bool = True) -> None:
        text = result.problem or self.tr("“{name}”已扫描 {n} 页").format(name=name, n=result.pages)
        # A page rescanned or inserted is looked at where it went: the checklist stays put.
        self._reload(text, then=self._next_material if advance and not result.problem else None)

    def _next_material(self) -> None:
        """After a scan, the next required material without pages is selected: the next
        sheets go straight into the feeder."""
        following = self.materials.next_missing()
        if following is not None:
            # Only the checklist moves on: the strip keeps the pages just scanned, to be looked
            # over, until the clerk picks a material or scans the next one.
            self.materials.select(following, quiet=True)

    def _show_guide(self, code: str) -> None:
        ctx = self._ctx
        run_in_background(self, lambda: items.guide(ctx, code), self.guide.show_guide, self._failed)

    def _decided(self, decided: counter.Decided) -> None:
        """The case is decided: its notice is printed, the applicant signs and rates; then the
        intake is done."""
        self.draft_id = None
        self.case = decided
        fee = self.fee_entry if decided.status not in (Status.REJECTED, Status.DELIVERED) else None
        self.after = AfterDecision(self, self._ctx, decided, self.printer, fee=fee)
        self.after.progress.connect(self._working)
        self.after.evaluation_opened.connect(self.evaluation_opened)
        self.after.finished.connect(self._finish)
        self.after.failed.connect(self._after_failed)
        self.after.start()

    def _fee_entered(self, fen: int, basis: str, reference: str) -> None:
        self.fee_entry = (fen, basis, reference)
        self.fee.message.setStyleSheet("")
        self.fee.message.setText(self.tr("已填写：{amount} 元，受理后登记").format(amount=f"{fen / 100:.2f}"))

    def _finish(self) -> None:
        case = self.case
        assert case is not None
        self._done(self.tr("{status}，受理编号 {case_no}").format(status=status_label(case.status),
                                                                  case_no=case.case_no))
        self.received.emit(case.case_no)
        self.accept()

    def _after_failed(self, message: str) -> None:
        self._done(message)
        self.message.setStyleSheet("color: #b3261e")
        for button in self._decision_buttons:
            button.setEnabled(False)  # the case is decided: only 关闭 is left
        if self.case is not None:
            self.received.emit(self.case.case_no)

    def _failed(self, exc: BaseException) -> None:
        on_user_error(self, "intake", lambda e: self._refuse(user_message(e), None), lambda: self._done(""))(exc)

    # -- helpers --------------------------------------------------------------------------------------------

    def _refuse(self, text: str, focus: QWidget | None) -> None:
        self._done(text)
        self.message.setStyleSheet("color: #b3261e")
        # After an error the focus goes to what needs fixing (never to 取消收件).
        (focus or self.materials.table).setFocus()

    def _working(self, text: str) -> None:
        self._busy = True
        self.message.setStyleSheet("")
        self.message.setText(text)
        for button in (*self._decision_buttons, *self.scan_buttons.values(), self.import_button,
                       self.camera_button, self.applicant.read_card_button):
            button.setEnabled(False)

    def _done(self, text: str) -> None:
        self._busy = False
        self.message.setStyleSheet("")
        self.message.setText(text)
        for button in (*self._decision_buttons, *self.scan_buttons.values(), self.import_button,
                       self.camera_button, self.applicant.read_card_button):
            button.setEnabled(True)
        self.finished_step.emit()

