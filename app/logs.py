"""Logging set-up: named loggers per subsystem, a rotating file in the data folder.

Log messages are English (for whoever maintains this); what the clerk reads is Chinese and
travels in :class:`app.core.errors.UserError`.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TailHandler(logging.Handler):
    """Keeps the last records in memory for an in-app log view and crash reports."""

    def __init__(self, size: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def setup_logging(data_dir: Path | None, *, console: bool, level: int = logging.INFO) -> TailHandler:
    """Configure the root logger once per process; returns the in-memory tail."""
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_chuangkou", False):
            root.removeHandler(h)
            h.close()
    handlers: list[logging.Handler] = [tail := TailHandler()]
    if data_dir is not None:
        (data_dir / "logs").mkdir(exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            data_dir / "logs" / "chuangkou.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h._chuangkou = True  # type: ignore[attr-defined]
        root.addHandler(h)
    return tail
