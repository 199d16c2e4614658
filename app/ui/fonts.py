"""The bundled CJK font, so Chinese renders on a machine that has no Chinese font installed."""

from __future__ import annotations

import logging
from pathlib import Path

from app.store.bundled import FONT_FILE
from app.ui.qt import QFont, QFontDatabase, QGuiApplication

log = logging.getLogger("ui.fonts")


def with_fallback(font: QFont, family: str) -> QFont:
    """``font`` with ``family`` appended to its family list (used for glyphs the others lack)."""
    families = list(font.families()) or [font.family()]
    if family not in families:
        families.append(family)
    result = QFont(font)
    result.setFamilies(families)
    return result


def load_bundled_font(app: QGuiApplication, font_file: Path = FONT_FILE) -> str | None:
    """Register the bundled font and make it the application font's fallback; its family or None.

    Never raises: without the font Chinese may show as boxes, which is logged, not fatal.
    """
    font_id = QFontDatabase.addApplicationFont(str(font_file))
    if font_id < 0:
        log.error("could not load bundled font %s; Chinese may not render", font_file)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        log.error("bundled font %s has no family name", font_file)
        return None
    family = families[0]
    app.setFont(with_fallback(app.font(), family))
    log.info("bundled font %r loaded as fallback", family)
    return family
