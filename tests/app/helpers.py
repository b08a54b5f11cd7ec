"""Running pages under AppTest as a logged-in user."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from streamlit.testing.v1 import AppTest

from tests.factories import make_user
from tracker import db, seed, sessions
from tracker.stats import row_counts

ROOT = Path(__file__).resolve().parents[2]


def page(path: str) -> AppTest:
    """An AppTest of ``path`` (relative to the project root: "app.py", "pages/x.py")."""
    return AppTest.from_file(str(ROOT / path), default_timeout=60)


@cache
def _seed_snapshot() -> tuple[tuple[Table, tuple[dict[str, Any], ...]], ...]:
    """Every row of a freshly seeded database, made once per test process.

    Loading the documented seed through the services takes seconds; copying its rows into
    each test's database takes milliseconds and gives the very same rows (ids included).
    """
    folder = Path(tempfile.mkdtemp(prefix="seed-snapshot-"))
    engine = db.make_engine(f"sqlite:///{folder / 'seed.db'}")
    seed.ensure_ready(engine)
    with engine.connect() as conn:
        snapshot = tuple(
            (table, tuple(dict(row._mapping) for row in conn.execute(table.select())))
            for table in SQLModel.metadata.sorted_tables
        )
    engine.dispose()
    return snapshot


def ready_engine(url: str) -> Engine:
    """The test database, migrated and holding exactly what the app's first start seeds."""
    engine = db.make_engine(url)
    if row_counts(engine)["vocabulary_term"] == 0:
        with engine.begin() as conn:
            for table, rows in _seed_snapshot():
                if rows:
                    conn.execute(table.insert(), list(rows))
    seed.ensure_ready(engine)  # already seeded: only checks the schema
    return engine


def run_as(
    path: str,
    url: str,
    role: str = "editor",
    username: str | None = None,
    query: dict[str, str] | None = None,
) -> AppTest:
    """Create an account with ``role`` (if new), log it in, and run the page once."""
    engine = db.make_engine(url)
    name = username or f"test_{role}"
    if not _exists(engine, name):
        make_user(engine, name, role)
    at = page(path)
    at.session_state["auth"] = {"token": sessions.start(engine, name).token}
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _exists(engine: Engine, username: str) -> bool:
    from sqlmodel import Session, select

    from tracker.models import AppUser

    with Session(engine) as s:
        return s.exec(select(AppUser.id).where(AppUser.username == username)).first() is not None
