"""Engine and sessions: SQLite (embedded default) or PostgreSQL, chosen by URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from city_platform.models import Base


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` as users write it; SQLAlchemy needs the psycopg 3 driver named."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Database:
    """The engine, a session factory and the lock that serialises changes to cases.

    Actions on one case must be judged in a single order. The reference platform runs as
    one process, so a process lock is enough and behaves the same on both databases.
    """

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        kwargs: dict[str, Any] = {}
        if self.url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_lock = threading.Lock()

    def create_schema(self) -> None:
        """Create what is missing; refuse a database made by an older platform.

        The reference platform has no migrations: ``create_all`` adds new tables but never new
        columns, so a database lacking one would fail later, request by request.
        """
        inspector = inspect(self.engine)
        for table in Base.metadata.sorted_tables:
            if inspector.has_table(table.name):
                have = {c["name"] for c in inspector.get_columns(table.name)}
                lacking = sorted(c.name for c in table.columns if c.name not in have)
                if lacking:
                    raise RuntimeError(f"platform database {self.engine.url!r} predates this version: table "
                                       f"{table.name} lacks {', '.join(lacking)}; start with a new database")
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose changes commit together, under the write lock."""
        with self.write_lock, self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(conn: Any, _record: Any) -> None:
    cur = conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
