"""Repairing a damaged database (``python -m app --data DIR recover``): keep it, start afresh, bring back.

How it decides (README «数据库损坏时»):

- The damaged file (with its ``-wal``) is moved to ``damaged/<time>/`` and never written to:
  it is read through a read-only connection, or a copy when even its header is damaged.
- A fresh database is built beside it under another name and only then swapped in, so a
  repair that fails part-way leaves the folder as it found it.
- A case comes back only whole: its row, its applicant, every action with the hash chain
  unbroken to the case's head, and every material with all its pages and their files. A half
  case would be worse than none (a chain that does not verify, a state that may be wrong),
  so anything less is left out and listed, by number, applicant and item as far as known.
- The feed cursor starts again at 0: the platform's feed replays every case of this unit it
  holds (a received case is published to its owner too) and re-applying an entry changes
  nothing, so a synced case left out comes back with the next sync. What was not synced can
  only come back from the paper: those cases are listed, and their case numbers reserved,
  never given to a new case (the applicant may hold a receipt with one).
- Every page/PDF file stays where it is and gets its record back, so the start-up clean-up does
  not remove the files of cases still to come back; a file whose content no longer matches its
  name is moved aside.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from app.core.errors import N_, UserError
from app.store import actions, folder_lock, ledger, meta, salvage, sqlite
from app.store.blobs import BlobStore, sha256_hex
from app.store.bundled import CATALOG_FILE, load_json
from app.store.crypto import DataKey, WrongKey
from app.store.database import DB_NAME, LOCK_FILE
from app.store.faults import translated
from app.store.migrations import migrate
from app.store.recovery_report import LostCase, RecoveryReport
from app.store.search import index_case

log = logging.getLogger("store.recovery")
DAMAGED_DIR = "damaged"
BUILDING = DB_NAME + ".recovering"
#: the tables brought back, parents before children; the search index is rebuilt instead
TABLES = ("meta", "catalog", "units", "calendar_years", "calendar_days", "sync_meta", "feed_set_aside", "blobs",
          "uploads", "applicants", "cases", "materials", "pages", "actions", "action_sync", "reserved_case_numbers",
          "views", "drafts", "draft_pages")


def recover(data_dir: Path, now: dt.datetime, key: DataKey, *, org: str | None = None, platform_url: str | None = None,
            ) -> RecoveryReport:
    """Repair the database of ``data_dir`` if it is damaged; the report says what came back and what did not."""
    db_path, building = data_dir / DB_NAME, data_dir / BUILDING
    with translated(data_dir), _alone(data_dir):
        if not db_path.exists() and building.is_file():
            os.replace(building, db_path)  # a repair stopped between its two renames: finish it
            log.info("finished an interrupted repair of %s", data_dir)
        if not db_path.is_file():
            raise UserError("数据目录 {data_dir} 中没有数据库文件，无法修复",
                            data_dir=data_dir, log=f"nothing to recover in {data_dir}")
        if _intact(db_path, key):
            return RecoveryReport(needed=False)
        kept = _kept_folder(data_dir, now)
        try:
            old = salvage.open_damaged(db_path, key)
            try:
                report = _build(old, building, data_dir, kept, now, org, platform_url, key)
            finally:
                if old is not None:
                    old.close()
        except BaseException:
            with contextlib.suppress(OSError):
                kept.rmdir()  # nothing was set aside yet (a damaged page file moved there stays)
            raise
        for suffix in ("", "-wal", "-shm"):
            source = data_dir / (DB_NAME + suffix)
            if source.exists():
                os.replace(source, kept / source.name)
        os.replace(building, db_path)
        report.kept_at = kept
        (kept / "恢复报告.txt").write_text("\n".join(report.lines()) + "\n", encoding="utf-8")
        (kept / "report.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2),
                                          encoding="utf-8")
    log.info("recovered %s: %d cases back, %d left out, damaged file kept in %s", data_dir, report.cases,
             len(report.lost), kept)
    return report


def _alone(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    return folder_lock.exclusive(data_dir / LOCK_FILE, wait=0,
                                 message=N_("数据目录正被窗口程序或其他命令使用。请先关闭它们，再运行修复。"))


def _intact(path: Path, key: DataKey) -> bool:
    """Whether the full ``integrity_check`` finds nothing wrong (read-only).

    Only damage counts as not intact: a lock held elsewhere or a full disk stops the repair with
    its own message, rather than setting a sound file aside.
    """
    conn = sqlite.open_keyed(f"{path.absolute().as_uri()}?mode=ro", key, uri=True)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check(1)")] == ["ok"]
    except sqlite.DatabaseError as e:
        salvage.damage(e, path.parent)
        return False
    finally:
        conn.close()


def _kept_folder(data_dir: Path, now: dt.datetime) -> Path:
    base = data_dir / DAMAGED_DIR / now.strftime("%Y%m%d-%H%M%S")
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    folder.mkdir(parents=True)
    return folder


def _build(old: salvage.Damaged | None, path: Path, data_dir: Path, kept: Path, now: dt.datetime,
           org: str | None, platform_url: str | None, key: DataKey) -> RecoveryReport:
    """Write the fresh database at ``path`` from what ``old`` still holds."""
    for suffix in ("", "-journal", "-wal", "-shm"):  # an earlier repair that did not finish: ours to replace
        Path(str(path) + suffix).unlink(missing_ok=True)
    conn = sqlite.open_keyed(path, key, isolation_level=None)
    try:
        migrate(conn)
        conn.execute("PRAGMA foreign_keys = OFF")  # rows arrive in any order; checked at the end
        triggers = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')  # a case left out takes its actions with it
        conn.execute("BEGIN")
        report = RecoveryReport(needed=True, readable=old is not None)
        seen_numbers = _copy_tables(old, conn, report)
        _settings(conn, org, platform_url, now)
        _rebuild(conn, BlobStore(data_dir / "blobs", [key]), kept, now, report)
        _leave_out_broken(conn, report)
        # A new ledger over what came back, in the order it was written: the old one stays in the kept
        # file, and this repair is the first entry of the new history (its report says what is missing).
        ledger.backfill(conn)
        _reserve(conn, seen_numbers, now, report)
        _reindex(conn)
        conn.execute("DELETE FROM sync_meta WHERE key = 'cursor'")  # the feed replays what the platform has
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"recovery left rows without their parents: {problems[:5]}")
        for sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        report.cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        report.unsynced = conn.execute(
            "SELECT COUNT(DISTINCT a.case_id) FROM actions a JOIN action_sync s ON s.action_id = a.id"
            " WHERE s.state = 'pending'").fetchone()[0]
    finally:
        conn.close()
    return report


def _copy_tables(old: salvage.Damaged | None, conn: sqlite.Connection, report: RecoveryReport) -> set[str]:
    """Every readable row of every table into the fresh file; returns every case number seen."""
    absent = _absent_in(old) if old is not None else set()
    for table in TABLES:
        wanted = salvage.columns(conn, table)
        have = set(salvage.columns(old, table)) if old is not None else set()
        names = [c for c in wanted if c in have]
        if old is None or not names:
            report.tables.append(salvage.TableRead(table, 0, table in absent))
            continue
        insert = (f'INSERT OR IGNORE INTO "{table}" ({", ".join(salvage.quoted(c) for c in names)})'
                  f' VALUES ({", ".join("?" * len(names))})')

        def sink(rows: salvage.Rows, insert: str = insert) -> None:
            try:
                conn.executemany(insert, rows)
            except sqlite.DatabaseError:  # one row broken beyond what OR IGNORE covers: go row by row
                for row in rows:
                    with contextlib.suppress(sqlite.DatabaseError):
                        conn.execute(insert, row)

        report.tables.append(salvage.read_table(old, table, names, sink))
    numbers = {r[0] for r in conn.execute("SELECT case_no FROM cases")}
    if old is not None:  # the unique index on case_no is a B-tree of its own: it may outlive the table's pages
        numbers.update(salvage.read_index_keys(old, "cases", "case_no"))
    return numbers


def _absent_in(old: salvage.Damaged) -> set[str]:
    """Tables an older schema simply does not have: nothing is lost there."""
    try:
        present = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite.DatabaseError:
        old.reset()
        return set()
    return set(TABLES) - present


def _settings(conn: sqlite.Connection, org: str | None, platform_url: str | None, now: dt.datetime) -> None:
    db = sqlite_utils.Database(conn, execute_plugins=False)
    row = conn.execute("SELECT value FROM meta WHERE key = 'unit.org'").fetchone()
    known = False
    with contextlib.suppress(ValueError, TypeError):
        known = bool(row and isinstance(json.loads(row[0]), str) and json.loads(row[0]))
    if org:
        meta.save_setting(db, "unit.org", org.strip().upper())
    elif not known:
        raise UserError("损坏的文件中读不出本单位代码。请加上 --org 本单位代码"
                        "（以及 --platform 市级平台地址）重新运行修复",
                        log="recover: unit.org not recovered and not given")
    if platform_url:
        meta.save_setting(db, "platform.url", platform_url)
    if conn.execute("SELECT 1 FROM catalog WHERE id = 1").fetchone() is None:  # the feed brings the platform's
        meta.save_catalog(db, load_json(CATALOG_FILE), now)


def _rebuild(conn: sqlite.Connection, blobs: BlobStore, kept: Path, now: dt.datetime, report: RecoveryReport) -> None:
    """Records that can be rebuilt from others: applicants, sync states, blob records."""
    for case_id, applicant_id in conn.execute(
            "SELECT c.id, c.applicant_id FROM cases c LEFT JOIN applicants a ON a.id = c.applicant_id"
            " WHERE a.id IS NULL").fetchall():
        body = _receive_payload(conn, case_id).get("applicant")
        if isinstance(body, dict) and isinstance(body.get("name"), str):
            kind, _, ident = applicant_id.partition(":")
            conn.execute("INSERT OR IGNORE INTO applicants (id, kind, name, identifier, body) VALUES (?, ?, ?, ?, ?)",
                         [applicant_id, kind, body["name"], ident, json.dumps(body, ensure_ascii=False)])
    # The list sorts by the name on the case row: a row that lost it takes the applicant's again.
    conn.execute("UPDATE cases SET applicant_name = (SELECT a.name FROM applicants a WHERE a.id = cases.applicant_id)"
                 " WHERE applicant_name = '' AND applicant_id IN (SELECT id FROM applicants)")
    report.note_unsynced(conn)  # before the missing sync states are filled in below
    # An action whose standing is unknown is sent again: the platform answers "already have it".
    conn.execute("INSERT INTO action_sync (action_id, state) SELECT a.id, 'pending' FROM actions a"
                 " WHERE a.id NOT IN (SELECT action_id FROM action_sync)")
    known = {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
    roles = dict(conn.execute("SELECT sha256, 'image' FROM pages UNION SELECT pdf_sha256, 'application/pdf'"
                              " FROM materials UNION SELECT sha256, 'image' FROM draft_pages").fetchall())
    for file in sorted(blobs.root.glob("??/*")):
        digest = file.parent.name + file.name
        if digest in known or len(digest) != 64:
            continue
        try:
            data = blobs.read(digest)
        except WrongKey:
            data = b""
        if sha256_hex(data) != digest:
            (kept / "bad-blobs").mkdir(exist_ok=True)
            os.replace(file, kept / "bad-blobs" / digest)
            report.blobs_damaged.append(digest)
            continue
        media = roles.get(digest) or ("application/pdf" if data[:5] == b"%PDF-" else "image")
        conn.execute("INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (?, ?, ?, ?)",
                     [digest, len(data), media, now.isoformat()])
        report.blobs_registered += 1


def _receive_payload(conn: sqlite.Connection, case_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT payload FROM actions WHERE case_id = ? AND type = 'receive' ORDER BY seq LIMIT 1",
                       [case_id]).fetchone()
    with contextlib.suppress(ValueError, TypeError):
        payload = json.loads(row[0]) if row else {}
        if isinstance(payload, dict):
            return payload
    return {}


def _broken_cases(conn: sqlite.Connection) -> dict[str, str]:
    """Cases that did not come back whole, each with why (Chinese, for the report)."""
    why: dict[str, str] = {}
    checks = (
        ("SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM actions)", "操作记录无法读取"),
        ("SELECT id FROM cases WHERE applicant_id NOT IN (SELECT id FROM applicants)", "申请人信息无法读取"),
        ("SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM materials)", "材料记录无法读取"),
        ("SELECT case_id FROM materials GROUP BY case_id HAVING COUNT(*) != MAX(seq)", "部分材料记录无法读取"),
        ("SELECT m.case_id FROM materials m LEFT JOIN pages p ON p.material_id = m.id GROUP BY m.id"
         " HAVING COUNT(p.seq) = 0 OR COUNT(p.seq) != MAX(p.seq)", "部分页面记录无法读取"),
        ("SELECT m.case_id FROM materials m WHERE m.pdf_sha256 NOT IN (SELECT sha256 FROM blobs) UNION"
         " SELECT m.case_id FROM pages p JOIN materials m ON m.id = p.material_id"
         " WHERE p.sha256 NOT IN (SELECT sha256 FROM blobs)", "材料文件缺失"),
    )
    for sql, reason in checks:
        for (case_id,) in conn.execute(sql).fetchall():
            why.setdefault(case_id, reason)
    # The ledger is rebuilt after the cases that did not come back are left out (see _build).
    for b in actions.case_chain_breaks(sqlite_utils.Database(conn, execute_plugins=False)):
        why.setdefault(b.case_id, "操作记录不完整或与哈希链不符")
    for case_id in _materials_short_of_payload(conn):
        why.setdefault(case_id, "部分材料记录无法读取")
    return why


def _materials_short_of_payload(conn: sqlite.Connection) -> Iterator[str]:
    """Cases whose latest receive/amendment lists materials or pages that did not come back."""
    latest: dict[str, Any] = {}
    for case_id, payload in conn.execute(
            "SELECT case_id, payload FROM actions WHERE type IN ('receive', 'amend_materials') ORDER BY case_id, seq"):
        with contextlib.suppress(ValueError, TypeError):
            listed = json.loads(payload).get("materials")
            if isinstance(listed, list):
                latest[case_id] = listed
    for case_id, listed in latest.items():
        rows = conn.execute("SELECT m.pdf_sha256, COUNT(p.seq) FROM materials m LEFT JOIN pages p"
                            " ON p.material_id = m.id WHERE m.case_id = ? GROUP BY m.id ORDER BY m.seq",
                            [case_id]).fetchall()
        expected = [(m.get("pdf_sha256"), len(m.get("pages") or ())) for m in listed if isinstance(m, dict)]
        if [(r[0], r[1]) for r in rows] != expected:
            yield case_id


def _leave_out_broken(conn: sqlite.Connection, report: RecoveryReport) -> None:
    """Remove cases that are not whole, and rows whose case is gone; list each case left out."""
    why = _broken_cases(conn)
    orphans = {r[0] for r in conn.execute(
        "SELECT case_id FROM actions WHERE case_id NOT IN (SELECT id FROM cases) UNION"
        " SELECT case_id FROM materials WHERE case_id NOT IN (SELECT id FROM cases)")}
    for case_id in sorted(orphans):
        why.setdefault(case_id, "办件记录无法读取")
    lost = [_describe_lost(conn, case_id, reason, report.unsynced_of.get(case_id)) for case_id, reason in why.items()]
    report.lost = sorted(lost, key=lambda c: (c.case_no is None, c.case_no or "", c.case_id))
    conn.execute("CREATE TEMP TABLE left_out (id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO left_out VALUES (?)", [(c,) for c in why])
    for sql in (
        "DELETE FROM pages WHERE material_id IN (SELECT id FROM materials WHERE case_id IN (SELECT id FROM left_out))"
        " OR material_id NOT IN (SELECT id FROM materials)",
        "DELETE FROM materials WHERE case_id IN (SELECT id FROM left_out)",
        "DELETE FROM action_sync WHERE action_id IN (SELECT id FROM actions WHERE case_id IN (SELECT id FROM left_out))"
        " OR action_id NOT IN (SELECT id FROM actions)",
        "DELETE FROM actions WHERE case_id IN (SELECT id FROM left_out)",
        "DELETE FROM cases WHERE id IN (SELECT id FROM left_out)",
        "DELETE FROM action_sync WHERE action_id NOT IN (SELECT id FROM actions)",
    ):
        conn.execute(sql)
    conn.execute("DROP TABLE left_out")


def _describe_lost(conn: sqlite.Connection, case_id: str, reason: str, unsynced: bool | None) -> LostCase:
    row = conn.execute("SELECT c.case_no, c.item_name, a.name FROM cases c LEFT JOIN applicants a"
                       " ON a.id = c.applicant_id WHERE c.id = ?", [case_id]).fetchone()
    payload = _receive_payload(conn, case_id)
    applicant = payload.get("applicant")
    name = row[2] if row and row[2] else (applicant.get("name") if isinstance(applicant, dict) else None)
    item = row[1] if row else payload.get("item_code")
    return LostCase(case_id, row[0] if row else None, name if isinstance(name, str) else None,
                    item if isinstance(item, str) else None, unsynced, reason)


def _reserve(conn: sqlite.Connection, seen: set[str], now: dt.datetime, report: RecoveryReport) -> None:
    present = {r[0] for r in conn.execute("SELECT case_no FROM cases")}
    held = {r[0] for r in conn.execute("SELECT case_no FROM reserved_case_numbers")}
    for number in sorted(seen - present - held):
        conn.execute("INSERT INTO reserved_case_numbers (case_no, reason, since) VALUES (?, ?, ?)",
                     [number, "修复数据库时未能恢复该办件", now.isoformat()])
        report.reserved.append(number)


def _reindex(conn: sqlite.Connection) -> None:
    conn.execute("DELETE FROM case_search")
    for case_id, case_no, name, item_name in conn.execute(
            "SELECT c.id, c.case_no, a.name, c.item_name FROM cases c JOIN applicants a ON a.id = c.applicant_id"
    ).fetchall():
        index_case(conn, case_id, case_no, name, item_name)
