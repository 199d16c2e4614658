"""pytest fixtures for a real PostgreSQL server (see tests/support/postgres.py).

Set CHUANGKOU_SKIP_POSTGRES=1 to skip the tests that need it; otherwise a machine without a usable
PostgreSQL fails those tests with the reason, so CI never skips them silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresServer, postgres_available

SKIP_ENV = "CHUANGKOU_SKIP_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One temporary PostgreSQL cluster for the whole test session."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    reason = postgres_available()
    if reason is not None:
        pytest.fail(f"PostgreSQL test server unavailable: {reason} (set {SKIP_ENV}=1 to skip)", pytrace=False)
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The SQLAlchemy URL of a fresh, empty database for this test."""
    return postgres_server.create_database(f"t_{uuid.uuid4().hex}")
