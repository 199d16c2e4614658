"""免证 on the intake screen: the licences the applicant already holds, offered instead of a scan.

Once the applicant's ID number or credit code is known and the item's checklist has materials the
catalogue ties to a licence type, the platform's licence library is asked in the background (offline:
the answer kept from the last look-up, marked with its age). Each material a held licence may stand
for gets a row with 「使用已有电子证照（免提交）」; choosing fetches the licence's PDF (background) and
the material counts as handed in, with no pages. 「改为扫描」 undoes it. Nothing held: nothing shown.
The platform unreachable with nothing kept: a quiet note, never a message box.
"""

from __future__ import annotations

import datetime as dt

from app.core.errors import UserError
from app.services import held_licences
from app.services.context import AppContext
from app.services.intake import HeldLicenceRef
from app.ui.messages import user_message
from app.ui.qt import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from app.ui.tasks import Pool, Task, on_user_error, run_in_background

# the licence identifier's tail shown on the row (the whole one is in the tooltip)
SHOWN_ID_CHARS = 12
# material name → the held licences that may stand for it; and the answer they come from
Offers = dict[str, list[held_licences.HeldLicence]]
Found = tuple[held_licences.HeldAnswer, Offers]


def _short_id(licence_id: str) -> str:
    return licence_id if len(licence_id) <= SHOWN_ID_CHARS + 1 else "…" + licence_id[-SHOWN_ID_CHARS:]


class HeldLicenceOffer(QGroupBox):
    """The offers for one applicant and item; :meth:`chosen` is what the intake hands in as licences."""

    # the materials standing as held licences changed (one chosen, undone, or the applicant changed)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("已有电子证照（免证）"), parent)
        self.setObjectName("heldLicenceOffer")
        self.note = QLabel()
        self.note.setObjectName("heldLicenceNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f6368")
        self._rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self._rows)
        layout.addWidget(self.note)
        # (holder, item) the shown offers are for
        self._for: tuple[str, str] = ("", "")
        self._offers: dict[str, held_licences.HeldLicence] = {}
        self._chosen: dict[str, HeldLicenceRef] = {}
        # the button of each material's row
        self.buttons: dict[str, QPushButton] = {}
        self._lookup: Task[Found] | None = None
        self.hide()

    def chosen(self) -> dict[str, HeldLicenceRef]:
        """Material name → the held licence the clerk chose for it."""
        return dict(self._chosen)

    def look_up(self, ctx: AppContext, item_code: str, holder: str) -> None:
        """Offer ``holder``'s licences for ``item_code``'s materials (nothing for "" of either)."""
        holder = holder.strip().upper()
        if (holder, item_code) == self._for:
            return
        self._for = (holder, item_code)
        self._clear()
        if self._lookup is not None:
            self._lookup.cancel()  # an answer for the applicant typed before is not shown
            self._lookup = None
        item = ctx.catalog.get(item_code) if item_code else None
        if not holder or item is None or not any(m.licence_type for m in item.materials):
            return

        def look() -> Found:
            answer = held_licences.lookup(ctx, holder)
            return answer, held_licences.offers(ctx, item_code, answer)

        self._lookup = run_in_background(
            self, look, lambda found: self._show(ctx, found[0], found[1]),
            on_user_error(self, "held licence look-up", self._quiet), pool=Pool.SYNC)

    def _clear(self) -> None:
        had = bool(self._chosen)
        self._chosen.clear()
        self._offers.clear()
        self.buttons.clear()
        while self._rows.count():
            taken = self._rows.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.note.clear()
        self.hide()
        if had:
            self.changed.emit()

    def _quiet(self, error: UserError) -> None:
        self.note.setText(user_message(error))
        self.show()

    def _show(self, ctx: AppContext, answer: held_licences.HeldAnswer, offers: Offers) -> None:
        age = self._age(answer, ctx.clock())
        for name, licences in offers.items():
            licence = licences[0]  # valid licences of one type: the library lists the newest first
            self._offers[name] = licence
            text = QLabel(self.tr("{material}：{licence}（编号 {id}，有效期至 {until}）").format(
                material=name, licence=licence.name, id=_short_id(licence.id),
                until=licence.valid_until or self.tr("长期")))
            text.setWordWrap(True)
            text.setToolTip(f"{licence.id}\n{licence.issuer_name}")
            button = QPushButton(self.tr("使用已有电子证照（免提交）(&Z)"))
            button.setAutoDefault(False)  # Enter stays the dialog's 受理
            button.clicked.connect(lambda _=False, n=name: self._toggle(ctx, n))
            self.buttons[name] = button
            line = QWidget()
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(text, 1)
            row.addWidget(button)
            self._rows.addWidget(line)
        self.note.setText(age)
        self.setVisible(bool(offers))

    def _age(self, answer: held_licences.HeldAnswer, now: dt.datetime) -> str:
        if not answer.cached:
            return ""
        seconds = max(int((now - answer.fetched_at).total_seconds()), 0)
        if seconds < 3600:
            return self.tr("平台暂时无法连接，以下为 {n} 分钟前的查询结果").format(n=max(seconds // 60, 1))
        if seconds < 86400:
            return self.tr("平台暂时无法连接，以下为 {n} 小时前的查询结果").format(n=seconds // 3600)
        return self.tr("平台暂时无法连接，以下为 {n} 天前的查询结果").format(n=seconds // 86400)

    def _toggle(self, ctx: AppContext, name: str) -> None:
        button = self.buttons[name]
        if name in self._chosen:
            del self._chosen[name]
            button.setText(self.tr("使用已有电子证照（免提交）(&Z)"))
            self.note.setText(self.tr("“{name}”改为扫描").format(name=name))
            self.changed.emit()
            return
        licence, holder = self._offers[name], self._for[0]
        button.setEnabled(False)
        self.note.setText(self.tr("正在下载电子证照…"))

        def fetched(sha: str) -> None:
            if self.buttons.get(name) is not button:
                return  # the applicant or the item changed meanwhile: the row is gone
            button.setEnabled(True)
            self._chosen[name] = HeldLicenceRef(licence.id, sha)
            button.setText(self.tr("改为扫描(&Z)"))
            self.note.setText(self.tr("“{name}”使用电子证照，免提交").format(name=name))
            self.changed.emit()

        def failed(error: UserError | None = None) -> None:
            if self.buttons.get(name) is not button:
                return
            button.setEnabled(True)
            if error is not None:
                self.note.setText(user_message(error))

        run_in_background(self, lambda: held_licences.fetch(ctx, licence, holder), fetched,
                          on_user_error(self, "held licence fetch", failed, failed), pool=Pool.SYNC)
