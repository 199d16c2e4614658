"""Intake drafts (DESIGN §3 ``draft``): what the clerk has typed and scanned so far, never synced.

A draft lives only on this PC. Each scanned page is a blob written the moment it arrives and
a row here committed right after, so a closed window, a crash or a power cut loses at most
the page being written. Submitting turns a draft into a case in the same transaction that
deletes it; discarding deletes it and lets go of the blobs no case or other draft uses, for
the next garbage collection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.store.cases import record_blob, release

SCHEMA = """
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    owner TEXT NOT NULL,
    item_code TEXT NOT NULL DEFAULT '',
    applicant TEXT NOT NULL DEFAULT '{}',
    marks TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX drafts_owner ON drafts (owner, updated_at);
CREATE TABLE draft_pages (
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    material TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    meta TEXT NOT NULL,
    rotation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (draft_id, material, seq)
);
CREATE INDEX draft_pages_blob ON draft_pages (sha256);
"""


@dataclass(frozen=True, slots=True)
class DraftPage:
    """A page of a draft: its blob, what the pipeline said about it (``meta``), its turn."""

    sha256: str
    meta: dict[str, Any]
    rotation: int = 0


@dataclass(frozen=True, slots=True)
class DraftRow:
    """A draft as stored: the item chosen, the applicant's fields as typed, the clerk's marks."""

    id: str
    org: str
    owner: str
    item_code: str
    applicant: dict[str, Any]
    marks: dict[str, Any]
    created_at: str
    updated_at: str


def create(db: sqlite_utils.Database, draft_id: str, org: str, owner: str, item_code: str, now: str) -> None:
    db.execute("INSERT INTO drafts (id, org, owner, item_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
               [draft_id, org, owner, item_code, now, now])


def find(db: sqlite_utils.Database, draft_id: str) -> DraftRow | None:
    row = db.execute("SELECT id, org, owner, item_code, applicant, marks, created_at, updated_at FROM drafts"
                     " WHERE id = ?", [draft_id]).fetchone()
    if row is None:
        return None
    return DraftRow(row[0], row[1], row[2], row[3], as_object(row[4]), as_object(row[5]), row[6], row[7])


def drafts_of(db: sqlite_utils.Database, owner: str) -> list[dict[str, Any]]:
    """``owner``'s drafts, newest first, with their page counts."""
    return [dict(r) for r in db.query(
        "SELECT d.id, d.item_code, d.applicant, d.updated_at, d.created_at,"
        " (SELECT COUNT(*) FROM draft_pages p WHERE p.draft_id = d.id) AS pages"
        " FROM drafts d WHERE d.owner = ? ORDER BY d.updated_at DESC, d.id", [owner])]


def touch(db: sqlite_utils.Database, draft_id: str, now: str) -> None:
    db.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", [now, draft_id])


def save_applicant(db: sqlite_utils.Database, draft_id: str, fields: dict[str, Any], now: str) -> None:
    db.execute("UPDATE drafts SET applicant = ?, updated_at = ? WHERE id = ?",
               [json.dumps(fields, ensure_ascii=False), now, draft_id])


def save_marks(db: sqlite_utils.Database, draft_id: str, marks: dict[str, Any], now: str) -> None:
    db.execute("UPDATE drafts SET marks = ?, updated_at = ? WHERE id = ?",
               [json.dumps(marks, ensure_ascii=False), now, draft_id])


def set_item(db: sqlite_utils.Database, draft_id: str, item_code: str, now: str) -> None:
    db.execute("UPDATE drafts SET item_code = ?, updated_at = ? WHERE id = ?", [item_code, now, draft_id])


def pages(db: sqlite_utils.Database, draft_id: str) -> dict[str, list[DraftPage]]:
    """The draft's pages by material, each in order."""
    out: dict[str, list[DraftPage]] = {}
    for material, sha, meta, rotation in db.execute(
            "SELECT material, sha256, meta, rotation FROM draft_pages WHERE draft_id = ? ORDER BY material, seq",
            [draft_id]).fetchall():
        out.setdefault(material, []).append(DraftPage(sha, as_object(meta), int(rotation)))
    return out


def add_page(db: sqlite_utils.Database, draft_id: str, material: str, page: DraftPage, size: int,
             media_type: str, now: str) -> int:
    """Append ``page`` (its blob already written) to ``material``; returns the material's page count."""
    record_blob(db, page.sha256, size, media_type, now)
    seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM draft_pages WHERE draft_id = ? AND material = ?",
                     [draft_id, material]).fetchone()[0]
    db.execute("INSERT INTO draft_pages (draft_id, material, seq, sha256, meta, rotation) VALUES (?, ?, ?, ?, ?, ?)",
               [draft_id, material, seq, page.sha256, json.dumps(page.meta, ensure_ascii=False), page.rotation])
    touch(db, draft_id, now)
    return int(seq)


def replace_pages(db: sqlite_utils.Database, draft_id: str, material: str, new: Sequence[DraftPage],
                  now: str) -> set[str]:
    """Make ``new`` the pages of ``material`` (an edit; all blobs already recorded); returns
    the blobs let go."""
    before = {p.sha256 for p in pages(db, draft_id).get(material, [])}
    db.execute("DELETE FROM draft_pages WHERE draft_id = ? AND material = ?", [draft_id, material])
    for seq, p in enumerate(new, 1):
        db.execute("INSERT INTO draft_pages (draft_id, material, seq, sha256, meta, rotation)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [draft_id, material, seq, p.sha256, json.dumps(p.meta, ensure_ascii=False), p.rotation])
    touch(db, draft_id, now)
    return release(db, before)


def drop_materials(db: sqlite_utils.Database, draft_id: str, materials: Iterable[str], now: str) -> set[str]:
    """Delete every page of ``materials``; returns the blobs let go."""
    released: set[str] = set()
    for name in materials:
        released |= replace_pages(db, draft_id, name, (), now)
    return released


def delete(db: sqlite_utils.Database, draft_id: str) -> set[str]:
    """Delete the draft and its pages; returns the blobs let go."""
    hashes = {r[0] for r in db.execute("SELECT sha256 FROM draft_pages WHERE draft_id = ?", [draft_id]).fetchall()}
    db.execute("DELETE FROM draft_pages WHERE draft_id = ?", [draft_id])
    db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
    return release(db, hashes)


def as_object(text: str) -> dict[str, Any]:
    """A JSON object column (anything else, e.g. a damaged value, reads as empty)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
