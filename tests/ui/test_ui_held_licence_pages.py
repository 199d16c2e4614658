"""The 材料 tab of a case with a material that is a licence the applicant holds (免证): listed as
「电子证照（免证）」 with its identifier, no page thumbnails; the scanned materials as before."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services import audit
from app.services.context import AppContext
from app.services.intake import new_case
from app.ui.case_pages import CasePages
from tests.conftest import PERSON
from tests.support import folders
from tests.support.held import HELD_FOR, SCANNED, SUBSIDY, kept_licence, subsidy_materials
from tests.ui.conftest import drain_background


def test_a_held_licence_is_listed_with_its_identifier_instead_of_pages(qtbot: QtBot, ctx: AppContext,
                                                                      pages: dict[str, Path]) -> None:
    licence = kept_licence(ctx)
    made = new_case(ctx, SUBSIDY, PERSON, subsidy_materials(pages["text"], licence))
    shown = CasePages(ctx, audit.open_case(ctx, made.case_no))
    qtbot.addWidget(shown)
    assert list(shown.materials()) == list(SCANNED) and HELD_FOR not in shown.strips
    text = shown.held[HELD_FOR].text()
    assert "电子证照（免证）" in text and licence.id in text and HELD_FOR in text
    assert "尚未下载" not in text

    # a case forwarded here whose licence file has not come down yet says so
    folders.blob_path(ctx.data_dir, licence.sha256).unlink()
    ctx.store.write(lambda db: db.execute("UPDATE blobs SET present = 0 WHERE sha256 = ?", [licence.sha256]))
    later = CasePages(ctx, audit.open_case(ctx, made.case_no))
    qtbot.addWidget(later)
    assert "尚未下载" in later.held[HELD_FOR].text()
    drain_background()
