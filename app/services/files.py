"""Files the application writes for people and tools outside it (exports, trust files, device
captures): each one whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


def replace_atomically(path: Path, data: bytes) -> None:
    """``data`` as the file at ``path``: a temporary file beside it, flushed to disk, then renamed over
    it, so a reader (or a crash) sees the old file or the new one, never half of one (OSError as raised)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
