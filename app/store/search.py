"""Search over case number, applicant name and item name.

Chinese has no spaces, so names are indexed (FTS5) one character per token and a query
becomes a phrase of characters: any substring matches, through the index. Case numbers are
digits, whose one-character doclists would span every case; a digits-and-letters word is
matched against the case number with LIKE instead, which scans short strings quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.store import sqlite


def _chars(text: str) -> list[str]:
    return [ch for ch in text.lower() if ch.isalnum()]


def index_case(conn: sqlite.Connection, case_id: str, case_no: str, name: str, item_name: str) -> None:
    # A phrase may span the end of the name and the start of the item name; harmless here.
    body = " ".join(" ".join(_chars(part)) for part in (name, item_name))
    conn.execute("INSERT INTO case_search (case_id, body) VALUES (?, ?)", (case_id, body))


@dataclass(frozen=True, slots=True)
class Query:
    """A user's search split into case-number fragments and name/item phrases."""

    number_parts: tuple[str, ...]
    match: str | None

    @property
    def empty(self) -> bool:
        return not self.number_parts and self.match is None


def parse_query(text: str) -> Query:
    """Every whitespace-separated word must match (AND)."""
    numbers, phrases = [], []
    for word in text.split():
        chars = _chars(word)
        if not chars:
            continue
        if all(ch.isascii() for ch in chars):
            numbers.append("".join(chars))
        else:
            phrases.append('"' + " ".join(chars) + '"')
    return Query(tuple(numbers), " AND ".join(phrases) or None)
