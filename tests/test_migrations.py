"""The migrations produce exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tracker import db
from tracker.models import analysis


def test_autogenerate_finds_no_difference(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": db.include_name}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_derived_tables_are_those_of_their_migration(engine: Engine) -> None:
    def derived(name: str | None, type_: str, _parent: Any) -> bool:
        return type_ != "table" or name in analysis.ANALYSIS_TABLES

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": derived}
        )
        diff = compare_metadata(context, analysis.METADATA)
    assert diff == []
    assert sorted(analysis.ANALYSIS_TABLES) == [
        "analysis_case_complainants", "analysis_case_sums", "analysis_own_sums",
        "analysis_pair_sums", "analysis_sums_state",
    ]  # fmt: skip


def test_database_is_at_head(engine: Engine) -> None:
    assert db.current_revision(engine) == db.head_revision() == "0014"


def test_upgrade_is_idempotent(engine: Engine) -> None:
    db.upgrade(engine)
    assert db.current_revision(engine) == "0014"


def test_sqlite_connections_have_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
