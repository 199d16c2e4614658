"""The audit chain: each action's hash covers the previous action's hash.

Canonical JSON (sorted keys, UTF-8, no spaces) makes the hash independent of how a row was
stored or read back, so a verifier on another machine gets the same digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
#: how a content address (a blob's SHA-256) is written everywhere: 64 lower-case hex digits
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def is_sha256(text: object) -> bool:
    """True if ``text`` is a content address as blobs are named (lower-case hex SHA-256)."""
    return isinstance(text, str) and SHA256_HEX.fullmatch(text) is not None


def canonical_json(value: Any) -> str:
    """The one serialisation used for hashing and storing payloads."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def action_digest(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous link and this action's fields."""
    body = canonical_json({"prev": prev_hash, **fields})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def ledger_digest(prev_hash: str, gseq: int, action_id: str, case_id: str, case_no: str, case_seq: int,
                  action_hash: str) -> str:
    """SHA-256 of one entry of the installation-wide ledger, over the entry before it.

    The ledger chains every action of the installation in the order it was written, across
    cases, so removing a whole case (its row and every action) still breaks a link.
    """
    body = canonical_json({"prev": prev_hash, "gseq": gseq, "action": action_id, "case": case_id,
                           "case_no": case_no, "seq": case_seq, "hash": action_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
