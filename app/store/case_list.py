"""The case list in SQL: filters become WHERE clauses and sorts ORDER BY, on indexed columns.

Only ids leave :func:`case_ids` (the window keeps ids and fetches a screenful of rows at a time
through :func:`case_rows`), and the status bar's counts are counted here, never in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.case_list import STATUS_ORDER, CaseFilter, LightFilter, Sort, SortKey
from app.core.lifecycle import OPEN_STATES, RETURN_RESULT, Status
from app.store.search import parse_query


@dataclass(frozen=True, slots=True)
class Viewpoint:
    """Who looks at the list, from which unit, on which day: what the relative filters need."""

    today: dt.date
    #: the first day whose deadline is no longer close (临近 ends the day before)
    yellow_before: dt.date
    #: the signed-in person's account, as actions name their actor
    actor: str
    #: this installation's unit (``unit.org``)
    unit: str


def _in(column: str, values: Iterable[str]) -> str:
    # Status words are our own enum values: safe to inline, which keeps the SQL one plan.
    return f"{column} IN ({','.join(repr(str(v)) for v in values)})"


_LIGHT_STATES = _in("c.status", sorted(s for s in Status if s.shows_light))
# The sort expressions below are the ones migration 11 indexes (each with received_at and id
# after it): written the same way, a sort is a walk along an index, not a sort of 100 000 rows.
# tests/test_queries.py checks that every sort uses its index.
_STATUS_RANK = "(CASE c.status " + " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(STATUS_ORDER)) + " END)"
_NO_DUE = "(c.due_on IS NULL)"
_NO_LIGHT = f"(NOT ({_LIGHT_STATES} AND c.due_on IS NOT NULL))"
_LIGHT_DUE = f"(CASE WHEN {_LIGHT_STATES} THEN c.due_on END)"
#: returned to this unit (the ``?`` is the unit): the last opinion was 退回 (a partial index holds
#: those), the case is open and held here
RETURNED = (f"(c.rowid IN (SELECT rowid FROM cases WHERE last_opinion = '{RETURN_RESULT}')"
            f" AND {_in('c.status', sorted(OPEN_STATES))}"
            " AND (CASE WHEN c.holder = '' THEN c.org ELSE c.holder END) = ?)")
#: 待核查: a 告知承诺 case whose paper check is open (a partial index holds those)
PAPER_CHECK_OPEN = ("c.rowid IN (SELECT rowid FROM cases WHERE paper_check_due IS NOT NULL"
                    " AND paper_check_result = '')")


#: 待联审 for this unit (the ``?`` is the unit): asked in the case's open joint review, not answered yet
JOINT_WAITING = "(instr(c.joint_pending, ?) > 0)"


#: forwarded to this unit and held by it (the ``?`` is the unit): the reviewer's queue 「待我审查」, read
#: from the partial index of forwarded cases by holder (migration 14), never by a scan of every case;
#: the few rows it holds are then sorted
TO_REVIEW = f"c.rowid IN (SELECT rowid FROM cases WHERE status = '{Status.FORWARDED}' AND holder = ?)"


def _filters(f: CaseFilter, vp: Viewpoint) -> tuple[list[str], list[Any]] | None:
    """WHERE clauses for ``f``; None when the search can match nothing."""
    where: list[str] = []
    params: list[Any] = []
    if f.status:
        where.append("c.status = ?")
        params.append(f.status)
    if f.item_code:
        where.append("c.item_code = ?")
        params.append(f.item_code)
    if f.today:
        # Times are stored as the local ISO time of the window that received the case: the day
        # is its first ten characters, so a range on the indexed text selects it.
        where.append("c.received_at >= ? AND c.received_at < ?")
        params += [vp.today.isoformat(), (vp.today + dt.timedelta(days=1)).isoformat()]
    if f.mine:
        # Probed per listed case along the sort's index (bounded by the list, not by how many
        # actions the person took: a clerk may have received half of them).
        where.append("EXISTS (SELECT 1 FROM actions a WHERE a.case_id = c.id AND a.actor = ?)")
        params.append(vp.actor)
    if f.returned:
        where.append(RETURNED)
        params.append(vp.unit)
    if f.paper_check:
        where.append(PAPER_CHECK_OPEN)
    if f.joint:
        where.append(JOINT_WAITING)
        params.append(vp.unit)
    if f.to_review:
        where.append(TO_REVIEW)
        params.append(vp.unit)
    if f.light is not LightFilter.ANY:
        where.append(f"{_LIGHT_STATES} AND c.due_on IS NOT NULL")
        if f.light is LightFilter.RED:
            where.append("c.due_on < ?")
            params.append(vp.today.isoformat())
        elif f.light is LightFilter.YELLOW:
            where.append("c.due_on >= ? AND c.due_on < ?")
            params += [vp.today.isoformat(), vp.yellow_before.isoformat()]
        else:
            where.append("c.due_on < ?")
            params.append(vp.yellow_before.isoformat())
    if f.search is not None:
        query = parse_query(f.search)
        if query.empty:
            return None
        for part in query.number_parts:
            # A word of digits and letters is part of a case number, or a whole ID number or
            # credit code (the applicant's id is ``kind:NUMBER``, upper-case: a typed x finds X).
            where.append("(c.case_no LIKE ? OR c.applicant_id IN (?, ?))")
            params += [f"%{part}%", f"person:{part.upper()}", f"org:{part.upper()}"]
        if query.match:
            where.append("c.id IN (SELECT case_id FROM case_search WHERE case_search MATCH ?)")
            params.append(query.match)
    return where, params


def _order_by(sort: Sort) -> str:
    way = "DESC" if sort.descending else "ASC"
    keys = {
        SortKey.CASE_NO: ["c.case_no"],
        SortKey.APPLICANT: ["c.applicant_name"],
        SortKey.ITEM: ["c.item_name"],
        SortKey.STATUS: [_STATUS_RANK],
        SortKey.RECEIVED: [],
        # Ascending: the earliest deadline first, cases without one (not accepted yet) last.
        SortKey.DUE: [_NO_DUE, "c.due_on"],
        # Ascending is most urgent first: the cases whose light shows by deadline (overdue, then
        # close, then comfortable), then those without a light (not counting, paused, closed).
        SortKey.LIGHT: [_NO_LIGHT, _LIGHT_DUE],
    }[sort.key]
    # Ties by time received, the same way round, so that the order is total and one index serves
    # both directions: descending is the ascending list read from the end.
    return ", ".join(f"{k} {way}" for k in [*keys, "c.received_at", "c.id"])


def _select(f: CaseFilter, sort: Sort, vp: Viewpoint, among: Sequence[str] | None) -> tuple[str, list[Any]] | None:
    filters = _filters(f, vp)
    if filters is None:
        return None
    where, params = filters
    if among is not None:
        where.append(f"c.id IN ({','.join('?' * len(among))})")
        params += list(among)
    sql = "SELECT c.id FROM cases c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY " + _order_by(sort), params


def case_ids(db: sqlite_utils.Database, f: CaseFilter, sort: Sort, vp: Viewpoint,
             among: Sequence[str] | None = None) -> list[str]:
    """Ids of the cases matching ``f`` in ``sort`` order (only ``among`` these, when given)."""
    select = _select(f, sort, vp, among)
    if select is None:
        return []
    return [r[0] for r in db.execute(*select).fetchall()]


def query_plan(db: sqlite_utils.Database, f: CaseFilter, sort: Sort, vp: Viewpoint) -> list[str]:
    """How SQLite runs :func:`case_ids` (EXPLAIN QUERY PLAN), to check that a sort walks an index."""
    select = _select(f, sort, vp, None)
    if select is None:
        return []
    return [str(r[3]) for r in db.execute("EXPLAIN QUERY PLAN " + select[0], select[1]).fetchall()]


def count_due(db: sqlite_utils.Database, f: CaseFilter, vp: Viewpoint) -> tuple[int, int]:
    """(close to the limit, overdue) among the cases matching ``f`` whose light shows.

    Overdue: due before today. Close: due from today up to, not including, ``yellow_before``.
    """
    filters = _filters(f, vp)
    if filters is None:
        return 0, 0
    where, params = filters
    row = db.execute(
        "SELECT COALESCE(SUM(c.due_on >= ? AND c.due_on < ?), 0), COALESCE(SUM(c.due_on < ?), 0)"
        f" FROM cases c WHERE c.due_on IS NOT NULL AND {_LIGHT_STATES}" + "".join(f" AND {w}" for w in where),
        [vp.today.isoformat(), vp.yellow_before.isoformat(), vp.today.isoformat(), *params],
    ).fetchone()
    return int(row[0]), int(row[1])


def count_returned(db: sqlite_utils.Database, f: CaseFilter, vp: Viewpoint) -> int:
    """How many cases matching ``f`` came back to this unit with 退回 (a partial index holds them)."""
    filters = _filters(f, vp)
    if filters is None:
        return 0
    where, params = filters
    row = db.execute(f"SELECT COUNT(*) FROM cases c WHERE {RETURNED}" + "".join(f" AND {w}" for w in where),
                     [vp.unit, *params]).fetchone()
    return int(row[0])


def items_listed(db: sqlite_utils.Database) -> list[tuple[str, str, int]]:
    """(item code, item name, cases) of every item some case is for, the most cases first."""
    # Counted along the item index alone; the name (as the newest case has it) read once per item.
    rows = db.execute(
        "SELECT g.item_code, (SELECT c.item_name FROM cases c WHERE c.item_code = g.item_code"
        " ORDER BY c.received_at DESC LIMIT 1), g.n"
        " FROM (SELECT item_code, COUNT(*) AS n FROM cases GROUP BY item_code) g ORDER BY g.n DESC, g.item_code"
    ).fetchall()
    return [(r[0], r[1], int(r[2])) for r in rows]


#: a 挂号督办 on the case that no 督办回复 answers yet (probed per listed row, along the actions' case index)
SUPERVISED = ("EXISTS (SELECT 1 FROM actions s WHERE s.case_id = c.id AND s.type = 'supervise'"
              " AND NOT EXISTS (SELECT 1 FROM actions r WHERE r.case_id = c.id AND r.type = 'supervision_reply'"
              " AND json_extract(r.payload, '$.supervise_id') = s.id))")
LIST_COLUMNS = (
    "c.id, c.case_no, c.status, c.item_code, c.item_name, c.received_at, c.accepted_on, c.due_on,"
    " c.due_provisional, c.applicant_name, c.last_opinion_text, c.last_opinion_unit,"
    f" COALESCE(u.name, c.last_opinion_unit) AS last_opinion_unit_name, {RETURNED} AS returned,"
    f" {JOINT_WAITING} AS joint_waiting,"
    f" {SUPERVISED} AS supervised,"
    " c.sent_by, COALESCE(s.name, c.sent_by) AS sent_by_name"
)


def case_rows(db: sqlite_utils.Database, ids: Iterable[str], unit: str) -> dict[str, dict[str, Any]]:
    """The list columns of the given cases, by id (for a screenful of rows at a time); ``unit``
    is this installation's, for telling which cases came back to it."""
    id_list = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(id_list), 500):
        chunk = id_list[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT {LIST_COLUMNS} FROM cases c"
            f" LEFT JOIN units u ON u.code = c.last_opinion_unit LEFT JOIN units s ON s.code = c.sent_by"
            f" WHERE c.id IN ({marks})", [unit, unit, *chunk],
        ):
            out[row["id"]] = row
    return out
