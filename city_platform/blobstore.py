"""The platform's content-addressed blob folder (``ab/cdef…`` by SHA-256) and upload area."""

from __future__ import annotations

import os
from pathlib import Path

_HEX = set("0123456789abcdef")


def is_sha256(text: str) -> bool:
    return len(text) == 64 and set(text) <= _HEX


class BlobDir:
    """Verified blobs and the partial files of tus uploads, under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / "uploads"
        self.uploads.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def upload_path(self, upload_id: str) -> Path:
        return self.uploads / upload_id

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def adopt(self, upload_id: str, sha256: str) -> None:
        """Move a finished, verified upload into place (atomic rename)."""
        target = self.path(sha256)
        target.parent.mkdir(exist_ok=True)
        os.replace(self.upload_path(upload_id), target)
