"""Logging set-up: named loggers per subsystem, a rotating file in the data folder.

Log messages are English (for whoever maintains this); what the clerk reads is Chinese and
travels in :class:`app.core.errors.UserError`. Every line a handler installed here writes
(file, in-memory tail, console) has resident ID and mobile numbers masked
(:mod:`app.core.masking`): the finished line is masked, so arguments, ``extra`` fields in
the format and exception tracebacks are covered wherever the number came from.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

from app.core.masking import mask_personal_numbers

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskingFormatter(logging.Formatter):
    """A formatter whose every line leaves with personal numbers masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_numbers(super().format(record))


class TailHandler(logging.Handler):
    """Keeps the last records in memory for an in-app log view and crash reports."""

    def __init__(self, size: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(MaskingFormatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class LogFile(logging.handlers.RotatingFileHandler):
    """The log file in the data folder; a disk that refuses a line (full, read-only) loses that line.

    The default ``handleError`` prints a traceback to stderr, which on a full disk would be
    printed for every line and bury the one message the clerk needs.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        if not self.failed:
            self.failed = True
            logging.getLogger("logs").warning("the log file %s cannot be written; lines are dropped", self.baseFilename)

    failed = False


def _log_file(data_dir: Path) -> logging.Handler | None:
    try:
        (data_dir / "logs").mkdir(exist_ok=True)
        return LogFile(data_dir / "logs" / "chuangkou.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:  # a read-only or full data folder: the store will say so in words; log to memory only
        return None


def setup_logging(data_dir: Path | None, *, console: bool, level: int = logging.INFO) -> TailHandler:
    """Configure the root logger once per process; returns the in-memory tail."""
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_chuangkou", False):
            root.removeHandler(h)
            h.close()
    handlers: list[logging.Handler] = [tail := TailHandler()]
    file = _log_file(data_dir) if data_dir is not None else None
    if file is not None:
        handlers.append(file)
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(MaskingFormatter(FORMAT))
        h._chuangkou = True  # type: ignore[attr-defined]
        root.addHandler(h)
    return tail
