"""Fixtures of the analysis cache's tests (stand-ins, stored results, the page budget)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network
from tracker import db
from tracker.ui import analysis_cache as ac


@pytest.fixture
def network(app_env: str) -> Iterator[tuple[Engine, dict[str, str]]]:
    """The hand-built network of tests/test_graphs.py, with the analysis cache empty before
    and after (and nothing left computing in the background)."""
    engine = db.make_engine(app_env)
    ids = build_network(engine)
    ac.clear()
    yield engine, ids
    ac.wait_for_updates(60)
    ac.clear()
    engine.dispose()


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every analysis counts as slow to compute: it may stand in, and it is stored."""
    monkeypatch.setattr(ac, "STALE_AFTER_S", 0.0)
