"""Interface language: Chinese source strings, English from ``resources/translations``.

Only the ``.ts`` source is kept in the repository; the ``.qm`` that :class:`QTranslator`
reads is compiled with the binding's ``lrelease`` into a cache folder when missing or
older than its ``.ts`` (a packaged build can run :func:`compile_ts` at build time instead).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from app.store.bundled import RESOURCES
from app.ui.qt import BINDING_DIR, QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("ui.translation")

TS_DIR = RESOURCES / "translations"
APP_NAME = "chuangkou"
SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


def lrelease_program() -> str | None:
    """The ``lrelease`` that ships with PySide6 (or one on PATH)."""
    exe = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    bundled = BINDING_DIR / exe
    if bundled.is_file():
        return str(bundled)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_ts(ts: Path, qm: Path) -> None:
    """Compile ``ts`` to ``qm`` (written to a temporary name, then renamed into place)."""
    program = lrelease_program()
    if program is None:
        raise FileNotFoundError("lrelease not found (it ships with PySide6)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=qm.stem, suffix=".qm", dir=qm.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        subprocess.run([program, "-silent", str(ts), "-qm", str(tmp)], check=True,
                       capture_output=True, timeout=60)
        tmp.replace(qm)
    finally:
        tmp.unlink(missing_ok=True)


def compiled_qm(language: str, cache_dir: Path) -> Path | None:
    """The up-to-date ``.qm`` for ``language`` in ``cache_dir``, compiling it when needed."""
    ts = TS_DIR / f"{APP_NAME}_{language}.ts"
    if not ts.is_file():
        log.warning("no translation source %s", ts)
        return None
    qm = cache_dir / f"{APP_NAME}_{language}.qm"
    if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
        try:
            compile_ts(ts, qm)
        except (OSError, subprocess.SubprocessError) as e:
            log.error("could not compile %s: %s; showing the Chinese source strings", ts, e)
            return None
    return qm


def install_translators(app: QCoreApplication, language: str, cache_dir: Path) -> list[QTranslator]:
    """Install Qt's own and our translators for ``language``; returns them (keep a reference)."""
    if language not in LANGUAGES:
        log.warning("unknown interface language %r; using %s", language, SOURCE_LANGUAGE)
        language = SOURCE_LANGUAGE
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_dir):  # Qt's own words: "Cancel", "Copy", …
        app.installTranslator(qt_own)
        installed.append(qt_own)
    if language != SOURCE_LANGUAGE:
        qm = compiled_qm(language, cache_dir)
        ours = QTranslator(app)
        if qm is not None and ours.load(str(qm)):
            app.installTranslator(ours)
            installed.append(ours)
        elif qm is not None:
            log.error("could not load %s", qm)
    log.info("interface language %s (%d translators)", language, len(installed))
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for t in translators:
        app.removeTranslator(t)
