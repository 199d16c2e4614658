"""The real PostgreSQL test server: Chinese text round-trips through a UTF8 database."""

from __future__ import annotations

import sqlalchemy as sa

from tests.pg_fixture import postgres_server, postgres_url  # noqa: F401

NAME = "城关镇便民服务中心"


def test_postgres_round_trips_chinese_text(postgres_url: str) -> None:  # noqa: F811  (pytest fixture)
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SHOW server_encoding")).scalar_one() == "UTF8"
            conn.execute(sa.text("CREATE TABLE office (id serial PRIMARY KEY, name text NOT NULL)"))
            conn.execute(sa.text("INSERT INTO office (name) VALUES (:name)"), {"name": NAME})
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name FROM office")).scalars().all() == [NAME]
    finally:
        engine.dispose()
