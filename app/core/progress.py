"""Where an applicant checks a case's progress: the platform's public page, named without personal data.

A case number is printed on every notice and runs in sequence, so it alone must not open a
page (anyone could walk through a unit's cases). The URL also carries a query code (查询码)
derived from the case's id, a random UUID made on the device that is never printed and never
leaves the unit's systems: the platform recomputes the code from the id it holds. The code is
printed beside the QR code, for applicants who type it in.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

#: 10 base-32 characters, 50 bits: beyond guessing, short enough to type from paper
QUERY_CODE_LENGTH = 10
PROGRESS_PATH = "/progress"


def query_code(case_id: str) -> str:
    """The case's query code (查询码): upper-case letters and digits 2–7."""
    digest = hashlib.sha256(f"chuangkou-progress:{case_id}".encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:QUERY_CODE_LENGTH]


def progress_url(base_url: str, case_no: str, case_id: str) -> str:
    """The public progress page of a case on the platform at ``base_url`` (no personal data in it)."""
    base = base_url.rstrip("/")
    return f"{base}{PROGRESS_PATH}/{quote(case_no, safe='')}?code={query_code(case_id)}"
