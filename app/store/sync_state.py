"""What sync needs to remember locally: each action's standing with the platform, tus
upload positions, the feed cursor, known units, and which blobs are where.

An action is ``pending`` until the platform answers; ``accepted`` actions carry the
platform's order (``platform_seq``), which is the order a case's state is derived in.
A ``refused`` action stays in the append-only log, with the platform's reason, but no
longer counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from app.core.lifecycle import Action, ActionType
from app.store.notices import NOTICE_BLOBS


def mark_pending(db: sqlite_utils.Database, action_id: str) -> None:
    db.execute("INSERT INTO action_sync (action_id, state) VALUES (?, 'pending')", [action_id])


def set_result(db: sqlite_utils.Database, action_id: str, state: str, platform_seq: int | None,
               received_at: str | None, reason: str = "") -> None:
    db.execute(
        "INSERT INTO action_sync (action_id, state, platform_seq, received_at, reason) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (action_id) DO UPDATE SET state = excluded.state, platform_seq = excluded.platform_seq,"
        " received_at = excluded.received_at, reason = excluded.reason",
        [action_id, state, platform_seq, received_at, reason],
    )


def _action(row: dict[str, Any]) -> Action:
    return Action(id=row["id"], case_id=row["case_id"], type=ActionType(row["type"]), actor=row["actor"],
                  at=dt.datetime.fromisoformat(row["at"]), payload=json.loads(row["payload"]))


def effective_actions(db: sqlite_utils.Database, case_id: str) -> list[Action]:
    """The actions that count, in the order that counts: the platform's, then ours still waiting."""
    rows = db.query(
        "SELECT a.*, s.state, s.platform_seq FROM actions a JOIN action_sync s ON s.action_id = a.id"
        " WHERE a.case_id = ? AND s.state != 'refused'"
        " ORDER BY s.state = 'pending', s.platform_seq, a.seq",
        [case_id],
    )
    return [_action(r) for r in rows]


#: the actor of a case's next action to send (the first one the platform has not answered)
_NEXT_ACTOR = ("(SELECT n.actor FROM actions n JOIN action_sync ns ON ns.action_id = n.id"
               " WHERE n.case_id = {case} AND ns.state = 'pending' ORDER BY n.seq LIMIT 1)")


def pending_actions(db: sqlite_utils.Database, actor: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Actions not yet answered by the platform, case by case (oldest case first), in order, of the
    cases whose next action to send is ``actor``'s.

    The platform takes an action only from the person who took it, and a case's actions in order: a
    case whose next action is somebody else's waits for them to sign in here. Choosing those cases
    before the limit keeps one person's backlog from hiding everybody else's work from every run.
    """
    return list(db.query(
        "SELECT a.*, c.case_no FROM actions a JOIN action_sync s ON s.action_id = a.id"
        " JOIN cases c ON c.id = a.case_id WHERE s.state = 'pending'"
        f" AND {_NEXT_ACTOR.format(case='a.case_id')} = ?"
        " ORDER BY c.received_at, a.case_id, a.seq LIMIT ?",
        [actor, limit],
    ))


def waiting_for_others(db: sqlite_utils.Database, actor: str) -> int:
    """How many cases have actions to send whose next one is not ``actor``'s."""
    return int(db.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT a.case_id FROM actions a JOIN action_sync s ON s.action_id = a.id"
        " WHERE s.state = 'pending') p"
        f" WHERE {_NEXT_ACTOR.format(case='p.case_id')} != ?", [actor]).fetchone()[0])


def action_state(db: sqlite_utils.Database, action_id: str) -> str | None:
    row = db.execute("SELECT state FROM action_sync WHERE action_id = ?", [action_id]).fetchone()
    return None if row is None else str(row[0])


def standing_of(db: sqlite_utils.Database, case_id: str) -> dict[str, dict[str, Any]]:
    """Each action of a case → its standing with the platform: ``state`` (pending, accepted,
    refused), ``platform_seq``, the platform's ``received_at`` and its ``reason`` for a refusal."""
    rows = db.query(
        "SELECT s.action_id, s.state, s.platform_seq, s.received_at, s.reason FROM action_sync s"
        " JOIN actions a ON a.id = s.action_id WHERE a.case_id = ?", [case_id])
    return {r.pop("action_id"): r for r in rows}


def unit_names(db: sqlite_utils.Database, codes: Iterable[str]) -> dict[str, str]:
    """The names of the units known here among ``codes`` (the feed brings them; unknown ones are left out)."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    return {str(r[0]): str(r[1]) for r in db.execute(f"SELECT code, name FROM units WHERE code IN ({marks})",
                                                     wanted).fetchall()}


def refused_actions(db: sqlite_utils.Database, case_id: str) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT a.id, a.type, a.at, s.reason FROM actions a JOIN action_sync s ON s.action_id = a.id"
        " WHERE a.case_id = ? AND s.state = 'refused' ORDER BY a.seq", [case_id]))


#: the notices' blobs of actions still waiting for the platform
_PENDING_NOTICE_BLOBS = "SELECT sha256 FROM (" + NOTICE_BLOBS.format(actions=(
    "(SELECT a.* FROM actions a JOIN action_sync s ON s.action_id = a.id WHERE s.state = 'pending')")) + ")"


def counts(db: sqlite_utils.Database) -> tuple[int, int]:
    """(cases with actions waiting, bytes of their blobs the platform does not have yet)."""
    cases = db.execute(
        "SELECT COUNT(DISTINCT a.case_id) FROM actions a JOIN action_sync s ON s.action_id = a.id"
        " WHERE s.state = 'pending'").fetchone()[0]
    waiting = db.execute(
        "WITH waiting AS (SELECT DISTINCT a.case_id AS id FROM actions a JOIN action_sync s"
        "  ON s.action_id = a.id WHERE s.state = 'pending' AND a.type = 'receive'),"
        " wanted AS (SELECT m.pdf_sha256 AS sha256 FROM materials m JOIN waiting w ON w.id = m.case_id"
        "  UNION SELECT p.sha256 FROM pages p JOIN materials m ON m.id = p.material_id"
        "  JOIN waiting w ON w.id = m.case_id"
        "  UNION SELECT n.sha256 FROM (" + _PENDING_NOTICE_BLOBS + ") n)"
        ' SELECT COALESCE(SUM(b.size - COALESCE(u."offset", 0)), 0) FROM blobs b'
        " JOIN wanted ON wanted.sha256 = b.sha256 LEFT JOIN uploads u ON u.sha256 = b.sha256"
        " WHERE b.on_platform = 0 AND b.present = 1").fetchone()[0]
    return int(cases), int(waiting)


def case_blobs(db: sqlite_utils.Database, case_id: str) -> list[dict[str, Any]]:
    """Every blob a case refers to (its material PDFs, page images and notices) with size and state."""
    return list(db.query(
        "SELECT b.sha256, b.size, b.present, b.on_platform FROM blobs b WHERE b.sha256 IN ("
        " SELECT pdf_sha256 FROM materials WHERE case_id = :c UNION"
        " SELECT p.sha256 FROM pages p JOIN materials m ON m.id = p.material_id WHERE m.case_id = :c UNION"
        " SELECT sha256 FROM (" + NOTICE_BLOBS.format(actions="(SELECT * FROM actions WHERE case_id = :c)") + "))"
        " ORDER BY b.size", {"c": case_id}))


def mark_on_platform(db: sqlite_utils.Database, hashes: Iterable[str]) -> None:
    for h in hashes:
        db.execute("UPDATE blobs SET on_platform = 1 WHERE sha256 = ?", [h])
        db.execute("DELETE FROM uploads WHERE sha256 = ?", [h])


def absent_blobs(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Blobs of cases forwarded to us that are not downloaded yet, material PDFs first."""
    return list(db.query(
        "SELECT b.sha256, b.size, b.media_type FROM blobs b WHERE b.present = 0"
        " ORDER BY b.media_type != 'application/pdf', b.size"))


def mark_present(db: sqlite_utils.Database, sha256: str) -> None:
    db.execute("UPDATE blobs SET present = 1, on_platform = 1 WHERE sha256 = ?", [sha256])


def upload_of(db: sqlite_utils.Database, sha256: str) -> tuple[str, int] | None:
    row = db.execute('SELECT url, "offset" FROM uploads WHERE sha256 = ?', [sha256]).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def save_upload(db: sqlite_utils.Database, sha256: str, url: str, size: int, offset: int, now: str) -> None:
    db.execute(
        'INSERT INTO uploads (sha256, url, size, "offset", updated_at) VALUES (?, ?, ?, ?, ?)'
        ' ON CONFLICT (sha256) DO UPDATE SET url = excluded.url, "offset" = excluded."offset",'
        " updated_at = excluded.updated_at",
        [sha256, url, size, offset, now],
    )


def forget_upload(db: sqlite_utils.Database, sha256: str) -> None:
    db.execute("DELETE FROM uploads WHERE sha256 = ?", [sha256])


def get_meta(db: sqlite_utils.Database, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT value FROM sync_meta WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def set_meta(db: sqlite_utils.Database, key: str, value: Any) -> None:
    db.execute("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)",
               [key, json.dumps(value, ensure_ascii=False)])


def save_units(db: sqlite_utils.Database, units: Iterable[dict[str, Any]]) -> None:
    db.execute("DELETE FROM units")
    for u in units:
        db.execute("INSERT INTO units (code, name, tier, parent) VALUES (?, ?, ?, ?)",
                   [u["code"], u["name"], u["tier"], u.get("parent")])


def has_children(db: sqlite_utils.Database, code: str) -> bool:
    """Whether some known unit reports to ``code`` (its parent is it)."""
    return db.execute("SELECT 1 FROM units WHERE parent = ? LIMIT 1", [code]).fetchone() is not None


def unit(db: sqlite_utils.Database, code: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM units WHERE code = ?", [code]))
    return rows[0] if rows else None


# -- feed entries set aside --------------------------------------------------------------------
def set_aside(db: sqlite_utils.Database, seq: int, kind: str, case_id: str | None, body: Any, reason: str,
              now: str) -> None:
    """Keep a feed entry this window could not apply, with why; tried again on later runs."""
    db.execute(
        "INSERT INTO feed_set_aside (seq, kind, case_id, body, reason, first_seen) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (seq) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1",
        [seq, kind, case_id, json.dumps(body, ensure_ascii=False, sort_keys=True), reason, now])


def set_aside_entries(db: sqlite_utils.Database, limit: int) -> list[dict[str, Any]]:
    """The entries set aside, least tried first, then oldest."""
    rows = db.query("SELECT * FROM feed_set_aside ORDER BY attempts, seq LIMIT ?", [limit])
    return [{**r, "body": json.loads(r["body"])} for r in rows]


def forget_set_aside(db: sqlite_utils.Database, seq: int) -> None:
    db.execute("DELETE FROM feed_set_aside WHERE seq = ?", [seq])


def set_aside_summary(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT seq, kind, case_id, reason, first_seen, attempts FROM feed_set_aside ORDER BY seq"))


def refused_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM action_sync WHERE state = 'refused'").fetchone()[0])


#: at most this many cases are listed in the window's queue (the count says how many more)
QUEUE_LIMIT = 500


def queue(db: sqlite_utils.Database, limit: int = QUEUE_LIMIT) -> list[dict[str, Any]]:
    """Cases with actions waiting for the platform or refused by it, oldest first: case number,
    item, how many actions wait, the bytes of its blobs not on the platform yet, the first refusal."""
    return list(db.query(
        "SELECT c.id, c.case_no, c.item_name,"
        " SUM(s.state = 'pending') AS waiting, SUM(s.state = 'refused') AS refused,"
        " (SELECT s2.reason FROM actions a2 JOIN action_sync s2 ON s2.action_id = a2.id"
        "   WHERE a2.case_id = c.id AND s2.state = 'refused' ORDER BY a2.seq LIMIT 1) AS reason,"
        " (SELECT COALESCE(SUM(b.size - COALESCE(u.\"offset\", 0)), 0) FROM blobs b"
        "   LEFT JOIN uploads u ON u.sha256 = b.sha256"
        "   WHERE b.on_platform = 0 AND b.present = 1 AND b.sha256 IN ("
        "     SELECT m.pdf_sha256 FROM materials m WHERE m.case_id = c.id UNION"
        "     SELECT p.sha256 FROM pages p JOIN materials m ON m.id = p.material_id WHERE m.case_id = c.id)) AS bytes"
        " FROM cases c JOIN actions a ON a.case_id = c.id JOIN action_sync s ON s.action_id = a.id"
        " WHERE s.state IN ('pending', 'refused') GROUP BY c.id ORDER BY MIN(a.at), c.case_no LIMIT ?", [limit]))
