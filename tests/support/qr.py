"""The QR code on a PDF's page, read as a phone reads it: a first look, then closer ones.

OpenCV's decoder misses about one code in sixty at 150 dpi (a 34 mm code of 45 modules is 4½
pixels a module there) and none in three hundred at 300 dpi; a phone held over the paper resolves
far more than either. Only a code no look reads counts as unreadable.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np


def page_gray(pdf: Path, dpi: int, page: int = 1) -> np.ndarray:
    """One page of ``pdf`` rendered by poppler, in grey."""
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", str(pdf)],
                         check=True, capture_output=True, timeout=60).stdout
    img = cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert img is not None, f"poppler rendered nothing for {pdf}"
    return img


def qr_text(pdf: Path, looks: tuple[int, ...] = (150, 300, 400), page: int = 1) -> str:
    """What the page's QR code says, or "" if no look at any of ``looks`` (dpi) reads one."""
    for dpi in looks:
        found = cv2.QRCodeDetector().detectAndDecode(page_gray(pdf, dpi, page))[0]
        if found:
            return str(found)
    return ""
