"""Shared fixtures: every database test runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from TRACKER_TEST_POSTGRES_URL (default: the local server of the CI machine).
When it cannot be reached the PostgreSQL half is skipped with a message, except under CI=true
where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tracker import db
from tracker.models import analysis
from tracker.permissions import Principal

PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# One schema per test process, so parallel runs (several checkouts, CI) never collide.
PG_SCHEMA = f"tracker_test_{os.getpid()}"
_HOW_TO = (
    "PostgreSQL tests skipped: no server at {url} ({err}). Start one, or set "
    "TRACKER_TEST_POSTGRES_URL, e.g. 'pg_ctlcluster --skip-systemctl-redirect "
    "$(ls /etc/postgresql) main start'."
)


def _pg_url_with_schema() -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{PG_SCHEMA}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file, copied for each test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_engine() -> Iterator[Engine]:
    """One migrated PostgreSQL schema for the session; tests truncate it before use."""
    base = db.make_engine(PG_URL)
    try:
        with base.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    except Exception as exc:  # noqa: BLE001  (any connection failure means: no server)
        message = _HOW_TO.format(url=PG_URL, err=type(exc).__name__)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    finally:
        base.dispose()
    engine = db.make_engine(_pg_url_with_schema())
    db.upgrade(engine)
    yield engine
    engine.dispose()
    base = db.make_engine(PG_URL)
    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    base.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = [*SQLModel.metadata.sorted_tables, *analysis.METADATA.sorted_tables]
    names = ", ".join(f'"{t.name}"' for t in tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> Iterator[str]:
    """URL of a migrated, empty database of each kind, private to the test."""
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        shutil.copy(_sqlite_template, path)
        yield f"sqlite:///{path}"
    else:
        engine = request.getfixturevalue("_pg_engine")
        _truncate_all(engine)
        yield _pg_url_with_schema()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database (SQLite file or PostgreSQL)."""
    eng = db.make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def app_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app (AppTest) at the test's database and clear Streamlit's caches."""
    import streamlit as st

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    return db_url


@pytest.fixture
def vocab_engine(engine: Engine) -> Engine:
    """An engine whose database holds the seed vocabularies and nothing else."""
    from tracker import seed

    with db.unit_of_work(engine, Principal("seed", "admin")) as session:
        seed.load_vocabularies(session)
    return engine
