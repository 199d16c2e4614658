"""Full-text search over case number, applicant name and item name (FTS5).

Chinese has no spaces, so text is indexed one character per token and a query becomes a
phrase of characters: any substring of a name or number matches, through the index.
"""

from __future__ import annotations

import sqlite3


def _chars(text: str) -> list[str]:
    return [ch for ch in text.lower() if ch.isalnum()]


def index_case(conn: sqlite3.Connection, case_id: str, case_no: str, name: str, item_name: str) -> None:
    # A phrase may span the end of one field and the start of the next; harmless here.
    body = " ".join(" ".join(_chars(part)) for part in (case_no, name, item_name))
    conn.execute("INSERT INTO case_search (case_id, body) VALUES (?, ?)", (case_id, body))


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None if it has no searchable text.

    Each whitespace-separated word must appear (AND); within a word, characters must be
    adjacent (a phrase).
    """
    phrases = []
    for word in query.split():
        chars = _chars(word)
        if chars:
            phrases.append('"' + " ".join(chars) + '"')
    return " AND ".join(phrases) or None
