"""Numbered schema migrations, applied in order; ``PRAGMA user_version`` is the number.

Each migration runs in the same transaction as the version bump, so a crash mid-upgrade
leaves the previous schema intact. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from app.store import drafts, item_prefs, ledger, seal_keys, sqlite, views
from app.store.search import index_case

Migration = Callable[[sqlite.Connection], None]

_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE applicants (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'org')),
    name TEXT NOT NULL,
    identifier TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    case_no TEXT NOT NULL UNIQUE,
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    org TEXT NOT NULL,
    applicant_id TEXT NOT NULL REFERENCES applicants(id),
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    accepted_on TEXT,
    promised_days INTEGER,
    due_on TEXT,
    due_provisional INTEGER NOT NULL DEFAULT 0,
    closed_on TEXT,
    head_seq INTEGER NOT NULL,
    head_hash TEXT NOT NULL
);
CREATE INDEX cases_by_received ON cases (received_at, id);
CREATE INDEX cases_by_status ON cases (status, received_at);
CREATE TABLE materials (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    UNIQUE (case_id, seq)
);
CREATE TABLE pages (
    material_id TEXT NOT NULL REFERENCES materials(id),
    seq INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    bytes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    blank INTEGER NOT NULL,
    warnings TEXT NOT NULL,
    PRIMARY KEY (material_id, seq)
);
CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
-- The log is append-only: the app never changes an action. (Someone with the file can drop
-- these triggers; the hash chain is what detects that.)
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;
"""

_SCHEMA_2 = """
CREATE VIRTUAL TABLE case_search USING fts5(case_id UNINDEXED, body, tokenize = 'unicode61');
CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, source TEXT NOT NULL);
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL,
    source TEXT NOT NULL
);
"""


_SCHEMA_3 = """
CREATE TABLE action_sync (
    action_id TEXT PRIMARY KEY REFERENCES actions(id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'refused')),
    platform_seq INTEGER,
    received_at TEXT,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_sync_by_state ON action_sync (state);
INSERT INTO action_sync (action_id, state) SELECT id, 'pending' FROM actions;
CREATE TABLE uploads (
    sha256 TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    size INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT NOT NULL,
    parent TEXT
);
CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE cases ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE blobs ADD COLUMN present INTEGER NOT NULL DEFAULT 1;
ALTER TABLE blobs ADD COLUMN on_platform INTEGER NOT NULL DEFAULT 0;
"""

_SCHEMA_4 = """
ALTER TABLE pages ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0;
"""

_SCHEMA_5 = """
CREATE TABLE feed_set_aside (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id TEXT,
    body TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
"""

_SCHEMA_7 = """
CREATE TABLE reserved_case_numbers (
    case_no TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    since TEXT NOT NULL
);
"""

# The case list filters and sorts in SQL (app.store.case_list): the applicant's name and the last
# opinion on the case row, backfilled (the name from the applicant, the opinion from the last
# opinion action of each case), so that sorting by name and marking a case returned with 退回 read
# no other table; an index for each sort (the column or expression, then received_at and id: a
# sort walks it either way) and for the filters.
_SCHEMA_11 = """
ALTER TABLE cases ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN last_opinion TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN last_opinion_text TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN last_opinion_unit TEXT NOT NULL DEFAULT '';
UPDATE cases SET applicant_name = (SELECT a.name FROM applicants a WHERE a.id = cases.applicant_id);
UPDATE cases SET (last_opinion, last_opinion_text, last_opinion_unit) = (
    SELECT COALESCE(json_extract(a.payload, '$.result'), ''), COALESCE(json_extract(a.payload, '$.text'), ''),
           COALESCE(json_extract(a.payload, '$.unit'), '')
    FROM actions a WHERE a.case_id = cases.id AND a.type = 'opinion' ORDER BY a.seq DESC LIMIT 1)
WHERE id IN (SELECT case_id FROM actions WHERE type = 'opinion');
CREATE INDEX cases_by_applicant_name ON cases (applicant_name, received_at, id);
CREATE INDEX cases_by_item_name ON cases (item_name, received_at, id);
CREATE INDEX cases_by_status_rank ON cases ((CASE status WHEN 'received' THEN 0 WHEN 'awaiting_materials' THEN 1
    WHEN 'accepted' THEN 2 WHEN 'in_review' THEN 3 WHEN 'forwarded' THEN 4 WHEN 'suspended' THEN 5
    WHEN 'approved' THEN 6 WHEN 'denied' THEN 7 WHEN 'rejected' THEN 8 WHEN 'issued' THEN 9
    WHEN 'delivered' THEN 10 WHEN 'archived' THEN 11 WHEN 'withdrawn' THEN 12 END), received_at, id);
CREATE INDEX cases_by_due ON cases ((due_on IS NULL), due_on, received_at, id);
CREATE INDEX cases_by_light ON cases ((NOT (status IN ('accepted','forwarded','in_review') AND due_on IS NOT NULL)),
    (CASE WHEN status IN ('accepted','forwarded','in_review') THEN due_on END), received_at, id);
CREATE INDEX cases_by_item ON cases (item_code, received_at, id);
CREATE INDEX cases_by_applicant ON cases (applicant_id);
CREATE INDEX cases_returned ON cases (received_at) WHERE last_opinion = '退回';
CREATE INDEX actions_by_actor ON actions (actor, case_id);
"""


def _script(sql: str) -> Migration:
    def run(conn: sqlite.Connection) -> None:
        for statement in _statements(sql):
            conn.execute(statement)

    return run


def _statements(sql: str) -> list[str]:
    # executescript() would COMMIT our transaction; split on complete statements instead.
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


def _ledger(conn: sqlite.Connection) -> None:
    _script(ledger.SCHEMA)(conn)
    ledger.backfill(conn)
    ledger.name_installation(conn)


def _search_index(conn: sqlite.Connection) -> None:
    _script(_SCHEMA_2)(conn)
    rows = conn.execute(
        "SELECT c.id, c.case_no, a.name, c.item_name FROM cases c JOIN applicants a ON a.id = c.applicant_id"
    ).fetchall()
    for case_id, case_no, name, item_name in rows:
        index_case(conn, case_id, case_no, name, item_name)


# 免证: the material is the held licence's own PDF, without pages; NULL for a scanned material.
_SCHEMA_13 = """
ALTER TABLE materials ADD COLUMN licence_id TEXT;
"""

# 告知承诺: the paper check an approval on the applicant's promise opened (its due day, NULL for any
# other case) and its result ('' while open), so the case list's 「待核查」 and the supervisor's list of
# open and overdue checks read the case row alone. No case had one before: nothing to backfill.
_SCHEMA_14 = """
ALTER TABLE cases ADD COLUMN paper_check_due TEXT;
ALTER TABLE cases ADD COLUMN paper_check_result TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_paper_check_open ON cases (paper_check_due, received_at, id)
    WHERE paper_check_due IS NOT NULL AND paper_check_result = '';
"""


# 网上联审: the departments of a case's open joint review that have not answered yet (unit codes, space
# separated), so the list finds the cases a department owes an opinion on (待联审). Nothing to backfill:
# joint review actions are newer than every database that lacks the column.
_SCHEMA_15 = """
ALTER TABLE cases ADD COLUMN joint_pending TEXT NOT NULL DEFAULT '';
"""


# The reviewer's desk (issue 16): the unit that sent each case to the unit holding it now (the
# queue names it), backfilled from the last 上报 of each forwarded case; a partial index for the
# queue 「待我审查」 (forwarded cases by the unit they are with); and each reviewer's library of
# 常用意见 (local to this PC, by account; never synced).
_SCHEMA_16 = """
ALTER TABLE cases ADD COLUMN sent_by TEXT NOT NULL DEFAULT '';
UPDATE cases SET sent_by = COALESCE((
    SELECT NULLIF(json_extract(a.payload, '$.unit'), '') FROM actions a
    WHERE a.case_id = cases.id AND a.type = 'forward' ORDER BY a.seq DESC LIMIT 1), org)
WHERE id IN (SELECT case_id FROM actions WHERE type = 'forward');
CREATE INDEX cases_forwarded_to ON cases (holder) WHERE status = 'forwarded';
CREATE TABLE opinion_phrases (
    id INTEGER PRIMARY KEY,
    user TEXT NOT NULL,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (user, text)
);
"""


MIGRATIONS: tuple[Migration, ...] = (
    _script(_SCHEMA_1),  # 1: cases, actions, blobs, materials, pages
    _search_index,  # 2: full-text search (backfilled) and calendar overrides
    _script(_SCHEMA_3),  # 3: sync state of actions and blobs, tus uploads, units, case holder
    _script(_SCHEMA_4),  # 4: a page's turn (materials can be edited before acceptance)
    _script(_SCHEMA_5),  # 5: feed entries this window could not apply, kept to try again
    _ledger,  # 6: one chain over every action of the installation (backfilled in the order written)
    _script(_SCHEMA_7),  # 7: case numbers a repair could not bring back, never given out again
    _script(views.SCHEMA),  # 8: who looked at personal data (view events, chained, append-only)
    _script(drafts.SCHEMA),  # 9: intake drafts and their pages (local only, never synced)
    _script(item_prefs.SCHEMA),  # 10: each person's recent and favourite catalogue items
    _script(_SCHEMA_11),  # 11: the case list's sort and filter indexes; a case's last opinion (退回)
    _script(seal_keys.SCHEMA),  # 12: seal keys (PKCS#8, encrypted with the database), certificates, root, CRLs
    _script(_SCHEMA_13),  # 13: a material that is a licence the applicant holds (免证) names it
    _script(_SCHEMA_14),  # 14: a 告知承诺 case's paper check: due day and result (「待核查」)
    _script(_SCHEMA_15),  # 15: the departments that still owe a case's joint review their opinion (待联审)
    _script(_SCHEMA_16),  # 16: who sent a case up (the reviewer's queue, its index); each reviewer's 常用意见
)
LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite.Connection, target: int = LATEST) -> int:
    """Bring the schema up to ``target``; returns the version it started from."""
    start = schema_version(conn)
    if start > LATEST:
        raise RuntimeError(f"database schema {start} is newer than this program ({LATEST})")
    for number in range(start + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite has already rolled back after a full disk or an I/O error
                conn.execute("ROLLBACK")
            raise
    return start
