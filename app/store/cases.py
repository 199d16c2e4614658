"""Case rows: the projection of each case's actions, its applicant, materials and pages.

The ``cases`` row is derived state: it is written only together with the action that
changed it, in the writer's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.deadlines import Deadline
from app.core.lifecycle import CaseState
from app.store.search import index_case


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One stored page image of a material."""

    sha256: str
    bytes: int
    kind: str
    blank: bool = False
    warnings: tuple[str, ...] = ()
    #: clockwise turn the page is shown with (its pixels are never turned)
    rotation: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "bytes": self.bytes, "kind": self.kind, "blank": self.blank,
                "warnings": list(self.warnings), "rotation": self.rotation}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageRecord:
        return cls(d["sha256"], d["bytes"], d["kind"], bool(d.get("blank", False)), tuple(d.get("warnings", ())),
                   int(d.get("rotation", 0)))


@dataclass(frozen=True, slots=True)
class MaterialRecord:
    """One material (电子材料): its PDF and the pages it was built from.

    A material that is a licence the applicant already holds (免证) has no pages: its PDF is the
    licence's own, and ``licence_id`` names it.
    """

    id: str
    name: str
    pdf_sha256: str
    pdf_bytes: int
    pages: tuple[PageRecord, ...]
    licence_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As the case envelope and the amendment action carry it (``licence_id`` only when set, so
        a scanned material's record is what it was before 免证)."""
        out: dict[str, Any] = {"id": self.id, "name": self.name, "pdf_sha256": self.pdf_sha256,
                               "pdf_bytes": self.pdf_bytes, "pages": [p.to_dict() for p in self.pages]}
        if self.licence_id is not None:
            out["licence_id"] = self.licence_id
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MaterialRecord:
        licence_id = d.get("licence_id")
        return cls(d["id"], d["name"], d["pdf_sha256"], d["pdf_bytes"],
                   tuple(PageRecord.from_dict(p) for p in d["pages"]),
                   str(licence_id) if licence_id is not None else None)


def record_blob(db: sqlite_utils.Database, sha256: str, size: int, media_type: str, now: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO blobs (sha256, size, media_type, created_at) VALUES (?, ?, ?, ?)",
        [sha256, size, media_type, now],
    )


def insert_case(
    db: sqlite_utils.Database, *, case_id: str, case_no: str, item_code: str, item_name: str, org: str,
    applicant_id: str, applicant: dict[str, Any], identifier: str, received_at: dt.datetime,
    materials: Sequence[MaterialRecord],
) -> None:
    """Write a new case's rows (the receive action and projection are written by the caller)."""
    now = received_at.isoformat()
    db.execute(
        "INSERT INTO applicants (id, kind, name, identifier, body) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body",
        [applicant_id, applicant["kind"], applicant["name"], identifier,
         json.dumps(applicant, ensure_ascii=False)],
    )
    db.execute(
        "INSERT INTO cases (id, case_no, item_code, item_name, org, applicant_id, applicant_name, status,"
        " received_at, head_seq, head_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, 0, '')",
        [case_id, case_no, item_code, item_name, org, applicant_id, applicant["name"], now],
    )
    # The list sorts by the name on the case row: the applicant's other cases take a new spelling too.
    db.execute("UPDATE cases SET applicant_name = ? WHERE applicant_id = ? AND applicant_name != ?",
               [applicant["name"], applicant_id, applicant["name"]])
    _insert_materials(db, case_id, materials, now)
    index_case(db.conn, case_id, case_no, applicant["name"], item_name)


def _insert_materials(db: sqlite_utils.Database, case_id: str, materials: Sequence[MaterialRecord], now: str) -> None:
    for seq, m in enumerate(materials, 1):
        record_blob(db, m.pdf_sha256, m.pdf_bytes, "application/pdf", now)
        db.execute(
            "INSERT INTO materials (id, case_id, seq, name, pdf_sha256, licence_id) VALUES (?, ?, ?, ?, ?, ?)",
            [m.id, case_id, seq, m.name, m.pdf_sha256, m.licence_id],
        )
        for pseq, p in enumerate(m.pages, 1):
            record_blob(db, p.sha256, p.bytes, "image", now)
            db.execute(
                "INSERT INTO pages (material_id, seq, sha256, bytes, kind, blank, warnings, rotation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [m.id, pseq, p.sha256, p.bytes, p.kind, int(p.blank), json.dumps(list(p.warnings)), p.rotation],
            )


def replace_materials(db: sqlite_utils.Database, case_id: str, materials: Sequence[MaterialRecord],
                      now: str) -> set[str]:
    """Make ``materials`` the case's materials, in order (an amendment); returns the blobs it let go.

    Blobs no material of any case refers to any more lose their row (and any unfinished
    upload), so the next garbage collection removes their files: a replaced scan is not
    kept, and is never uploaded. The actions still name them, as the record of what was
    handed in.
    """
    before = _material_blobs(db, case_id)
    db.execute("DELETE FROM pages WHERE material_id IN (SELECT id FROM materials WHERE case_id = ?)", [case_id])
    db.execute("DELETE FROM materials WHERE case_id = ?", [case_id])
    _insert_materials(db, case_id, materials, now)
    return release(db, before - _material_blobs(db, case_id))


def release(db: sqlite_utils.Database, hashes: Iterable[str]) -> set[str]:
    """Forget the blobs of ``hashes`` that no case and no draft uses any more (and any unfinished
    upload of them): the next garbage collection removes their files."""
    released = {h for h in hashes if not db.execute(
        "SELECT 1 FROM materials WHERE pdf_sha256 = ?1 UNION ALL SELECT 1 FROM pages WHERE sha256 = ?1"
        " UNION ALL SELECT 1 FROM draft_pages WHERE sha256 = ?1 LIMIT 1", [h]).fetchone()}
    for h in sorted(released):
        db.execute("DELETE FROM uploads WHERE sha256 = ?", [h])
        db.execute("DELETE FROM blobs WHERE sha256 = ?", [h])
    return released


def _material_blobs(db: sqlite_utils.Database, case_id: str) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT pdf_sha256 FROM materials WHERE case_id = :c UNION"
        " SELECT p.sha256 FROM pages p JOIN materials m ON m.id = p.material_id WHERE m.case_id = :c",
        {"c": case_id}).fetchall()}


def update_projection(
    db: sqlite_utils.Database, case_id: str, state: CaseState, deadline: Deadline | None,
    head_seq: int, head_hash: str,
) -> None:
    db.execute(
        "UPDATE cases SET status = ?, accepted_on = ?, promised_days = ?, due_on = ?,"
        " due_provisional = ?, closed_on = ?, head_seq = ?, head_hash = ?, holder = ?,"
        " last_opinion = ?, last_opinion_text = ?, last_opinion_unit = ?, paper_check_due = ?,"
        " paper_check_result = ?, joint_pending = ?,"
        # the unit that sent the case to its holder (its receiving unit when that is the holder's
        # last in forwarded_from, written ""); "" for a case never forwarded
        " sent_by = CASE WHEN ? THEN COALESCE(NULLIF(?, ''), org) ELSE '' END WHERE id = ?",
        [str(state.status), state.accepted_on.isoformat() if state.accepted_on else None,
         state.promised_days if state.accepted_on else None,
         deadline.due.isoformat() if deadline else None, int(bool(deadline and deadline.provisional)),
         state.closed_on.isoformat() if state.closed_on else None, head_seq, head_hash, state.holder,
         *_last_opinion(state), *_paper_check(state), _joint_pending(state), bool(state.forwarded_from),
         state.forwarded_from[-1] if state.forwarded_from else "", case_id],
    )


def _paper_check(state: CaseState) -> tuple[str | None, str]:
    # 告知承诺: the list's 「待核查」 and the open checks (app.services.paper_checks) read these.
    check = state.paper_check
    return (check.due.isoformat(), check.result) if check is not None else (None, "")


def _joint_pending(state: CaseState) -> str:
    # The list's 待联审 (app.store.case_list.JOINT_WAITING) reads this: who still owes an opinion.
    if state.joint is None or state.closed_on is not None:
        return ""
    return " ".join(d.unit for d in state.joint.pending())


def _last_opinion(state: CaseState) -> tuple[str, str, str]:
    # The list marks a case that came back with 退回 (app.store.case_list.RETURNED) from these.
    if not state.opinions:
        return "", "", ""
    last = state.opinions[-1]
    return last.result, last.text, last.unit


def find_case(db: sqlite_utils.Database, ref: str) -> dict[str, Any] | None:
    """A case row by id or case number."""
    rows = list(db.query("SELECT * FROM cases WHERE id = ? OR case_no = ?", [ref, ref]))
    return rows[0] if rows else None


def applicant_of(db: sqlite_utils.Database, applicant_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT body FROM applicants WHERE id = ?", [applicant_id])))
    body: dict[str, Any] = json.loads(row["body"])
    return body


def material_records(db: sqlite_utils.Database, case_id: str) -> list[MaterialRecord]:
    """The case's materials in order, each with its PDF's size and its pages."""
    out = []
    for m in db.query("SELECT m.id, m.name, m.pdf_sha256, m.licence_id, COALESCE(b.size, 0) AS pdf_bytes"
                      " FROM materials m"
                      " LEFT JOIN blobs b ON b.sha256 = m.pdf_sha256 WHERE m.case_id = ? ORDER BY m.seq", [case_id]):
        pages = tuple(
            PageRecord(p["sha256"], p["bytes"], p["kind"], bool(p["blank"]), tuple(json.loads(p["warnings"])),
                       p["rotation"])
            for p in db.query("SELECT * FROM pages WHERE material_id = ? ORDER BY seq", [m["id"]])
        )
        out.append(MaterialRecord(m["id"], m["name"], m["pdf_sha256"], m["pdf_bytes"], pages, m["licence_id"]))
    return out


def materials_of(db: sqlite_utils.Database, case_id: str) -> list[dict[str, Any]]:
    """:func:`material_records` as the envelope and ``case show`` carry them."""
    return [m.to_dict() for m in material_records(db, case_id)]


def referenced_blobs(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT sha256 FROM blobs").fetchall()}


def last_sequence(db: sqlite_utils.Database, prefix: str) -> int:
    """The highest sequence number among case numbers starting with ``prefix`` (0 if none).

    Numbers a repair could not bring back with their case count as given: the applicant may
    hold a receipt with one (see :mod:`app.store.recovery`).
    """
    row = db.execute(
        "SELECT MAX(n) FROM (SELECT MAX(case_no) AS n FROM cases WHERE case_no LIKE ?1 || '%'"
        " UNION ALL SELECT MAX(case_no) FROM reserved_case_numbers WHERE case_no LIKE ?1 || '%')", [prefix]
    ).fetchone()
    return int(row[0][len(prefix):]) if row and row[0] else 0
