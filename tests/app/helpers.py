"""Running pages under AppTest as a logged-in user."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from tests.factories import make_user
from tracker import db, seed

ROOT = Path(__file__).resolve().parents[2]


def page(path: str) -> AppTest:
    """An AppTest of ``path`` (relative to the project root: "app.py", "pages/x.py")."""
    return AppTest.from_file(str(ROOT / path), default_timeout=60)


def ready_engine(url: str) -> Engine:
    """The test database, migrated and seeded exactly as the app's first start would."""
    engine = db.make_engine(url)
    seed.ensure_ready(engine)
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
    at.session_state["auth"] = {"username": name, "last_seen": time.time()}
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
