"""Slow analyses are kept in the database: the first view after a server start reads them.

At scale L the Network and Indicators results take 20-70 s to compute; a server start used to
pay that again. Here the threshold that makes an analysis slow is lowered so the hand-built
network counts, and :func:`analysis_cache.clear` plays the server start (a new process keeps
nothing in memory).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from tests.app.helpers import run_as
from tests.app.test_stale_analysis import DAY, EDITOR, VIEW, _new_charge, _reach
from tracker import db, revision
from tracker import services as sv
from tracker.backup import backup
from tracker.models import StoredResult
from tracker.network_data import Filters
from tracker.stored_results import ResultStore, codec
from tracker.ui import analysis_cache as ac

_table = StoredResult.__table__


def _analysis(engine: Engine, *, stale_ok: bool = True, show: bool = False) -> ac.Analysis:
    return ac.analysis(engine, Filters(), show_confidential=show, stale_ok=stale_ok)


def _pages(an: ac.Analysis) -> dict[str, Any]:
    """What the Network and Indicators pages show by default, as plain values (then saved,
    as at the end of a page run)."""
    shown = {
        "info": an.graph_info(VIEW),
        "drawing": [
            list(an.drawing(VIEW)[0].nodes(data=True)),
            list(an.drawing(VIEW)[0].edges(data=True)),
            an.drawing(VIEW)[1:],
        ],
        "figure": an.figure(VIEW, "community", "en").to_json(),
        "labels": an.node_labels(VIEW),
        "reach": an.reach(),
        "repeat": an.repeat(),
        "slices": an.slices(),
        "centrality": an.centrality(VIEW),
        "prepared": an.prepare_figures(("overall", "complainant"), 5, DAY),
        "overall": an.figure_table("overall", "en", 5, DAY, with_definition=True).to_json(),
        "breakdown": an.figures_page("complainant", "en", 5, DAY, 0, 1000),
        "spans": an.spans_table("en", 5, DAY).to_json(),
    }
    an.save()
    return shown


def _stored_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(_table)).scalar_one()


def _no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any computation from the case data fail the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("computed instead of read from the stored results")

    monkeypatch.setattr(ac, "network_sql", refuse)
    monkeypatch.setattr(ac, "Aggregates", refuse)
    monkeypatch.setattr(ac.graphs, "graph_by_name", refuse)


def test_the_first_view_after_a_start_reads_the_stored_results(
    network: tuple[Engine, dict[str, str]], slow: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = network
    first = _analysis(engine)
    shown = _pages(first)
    assert shown["info"] == {"nodes": 9, "edges": 8, "directed": True}
    with engine.connect() as conn:
        keys = conn.execute(select(_table.c.key)).scalars().all()
    assert sorted(keys) == [
        '{"t":["centrality","complainant-defender"]}',
        '{"t":["communities","complainant-defender"]}',
        '{"t":["drawing","complainant-defender"]}',
        '{"t":["figures","complainant","en",5,{"date":"2026-11-28"},0,1000]}',
        '{"t":["figures","overall","en",5,{"date":"2026-11-28"},0,null]}',
        '{"t":["graph_info","complainant-defender"]}',
        '{"t":["labels","complainant-defender"]}',
        '{"t":["meta"]}',  # the analysis's own facts: time taken, what was asked of it
        '{"t":["prepared",{"t":["overall","complainant"]},5,{"date":"2026-11-28"}]}',
        '{"t":["reach"]}',
        '{"t":["repeat"]}',
        '{"t":["slices"]}',
        '{"t":["spans",5,{"date":"2026-11-28"}]}',
    ]
    ac.clear()  # the server starts again
    _no_computing(monkeypatch)
    again = _analysis(engine)
    assert again is not first and again.newer is None
    assert again.revision == first.revision
    assert _pages(again) == shown
    assert "graph" not in {k[0] for k in again._memo}
    # What was asked of the first is remembered, to compute it again after the next write.
    assert {c[0] for c in again.calls()} >= {"graph_info", "figures_page", "spans_table"}
    # The editor's results are not the viewer's (names differ): nothing stored for them.
    rev, privacy = revision.current_pair(engine)
    assert ResultStore(engine, Filters(), True).latest(rev, privacy) is None


def test_stored_results_of_an_older_revision_stand_in_after_a_start(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    first = _analysis(engine)
    _pages(first)
    assert _reach(first)["Minera Norte"] == 2
    first.save()
    stored_at = first.revision
    ac.clear()
    _new_charge(engine, ids)  # adds a charge: hides nothing, reveals nothing
    rev, privacy = revision.current_pair(engine)
    served = _analysis(engine)
    assert (served.revision, served.newer) == (stored_at, rev)
    assert _reach(served)["Minera Norte"] == 2
    assert ac.wait_for_updates(60)
    new = _analysis(engine)
    assert (new.revision, new.newer) == (rev, None)
    assert _reach(new)["Minera Norte"] == 3
    assert new.graph_info(VIEW)["edges"] == 9
    # The newer results replaced the older ones in the table.
    assert ResultStore(engine, Filters(), False).latest(rev, privacy).revision == rev
    with engine.connect() as conn:
        revisions = conn.execute(select(_table.c.data_revision).distinct()).scalars().all()
    assert revisions == [rev]


def test_reports_never_take_older_stored_results(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    _pages(_analysis(engine))
    ac.clear()
    _new_charge(engine, ids)
    rev, _ = revision.current_pair(engine)
    report = _analysis(engine, stale_ok=False)
    assert (report.revision, report.newer) == (rev, None)
    assert _reach(report)["Minera Norte"] == 3


def test_a_write_that_could_reveal_a_name_leaves_the_stored_results_unread(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    first = _analysis(engine)
    assert first.node_labels(VIEW)[ids["D1"]] == "Ana Huamán"
    first.save()
    with db.unit_of_work(engine, EDITOR) as s:
        sv.actors.update(
            s, ids["D1"], {"confidentiality": "confidential", "pseudonym": "Defensora A"},
            expected_version=1,
        )  # fmt: skip
    rev, privacy = revision.current_pair(engine)
    assert ResultStore(engine, Filters(), False).latest(rev, privacy) is None
    ac.clear()
    new = _analysis(engine)
    assert new.newer is None and new.revision == rev
    assert new.node_labels(VIEW)[ids["D1"]] == "Defensora A"
    new.save()
    # Its save deleted the results of the older privacy revision, the real name with them.
    with engine.connect() as conn:
        values = conn.execute(select(_table.c.privacy_revision, _table.c.value)).all()
    assert {p for p, _ in values} == {privacy}
    assert not any("Ana Huamán" in v for _, v in values)
    assert any("Defensora A" in v for _, v in values)


def test_quick_analyses_store_nothing(network: tuple[Engine, dict[str, str]]) -> None:
    engine, _ = network
    _pages(_analysis(engine))
    assert _stored_rows(engine) == 0


def test_backups_leave_stored_results_out(
    network: tuple[Engine, dict[str, str]], slow: None, tmp_path: Path
) -> None:
    engine, _ = network
    _pages(_analysis(engine))
    assert _stored_rows(engine) == 13
    info = backup(engine, tmp_path / "b.jsonl.gz", "jsonl")
    assert "stored_result" not in info.tables
    if engine.dialect.name == "sqlite":
        backup(engine, tmp_path / "b.db", "sqlite")
        conn = sqlite3.connect(tmp_path / "b.db")
        assert conn.execute("SELECT count(*) FROM stored_result").fetchone() == (0,)
        conn.close()


def test_a_page_after_a_restart_shows_what_was_stored(
    network: tuple[Engine, dict[str, str]],
    slow: None,
    app_env: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, _ = network
    at = run_as("pages/3_Network.py", app_env, role="viewer")
    shown = at.dataframe[0].value["Defenders"].tolist()
    assert shown == [5, 2, 1]
    assert ac.wait_for_updates(30)  # saved in a thread
    assert _stored_rows(engine) == 9  # saved at the end of the run, in one transaction
    ac.clear()
    _no_computing(monkeypatch)
    again = run_as("pages/3_Network.py", app_env, role="viewer")
    assert again.info == []
    assert again.dataframe[0].value["Defenders"].tolist() == shown
    assert again.caption[-1].value == at.caption[-1].value


def test_unreadable_stored_results_are_computed_again(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    """A row edited by hand (or by another version) is neither shown nor run: the result is
    computed again, and only calls of replayable methods are kept."""
    engine, _ = network
    shown = _pages(_analysis(engine))
    meta = {
        "seconds": 9.0,
        "computed_at": 0.0,
        "calls": [("release", (), ()), ("reach", (), ()), "junk", ("slices", [], 1)],
    }
    with engine.begin() as conn:
        conn.execute(
            update(_table)
            .where(_table.c.key == '{"t":["reach"]}')
            .values(value='{"dc":["Popen",{"args":"rm -rf /"}]}')
        )
        conn.execute(
            update(_table).where(_table.c.key == '{"t":["meta"]}').values(value=codec.dumps(meta))
        )
    ac.clear()
    again = _analysis(engine)
    assert again.calls() == [("reach", (), ())]
    assert again.seconds == 9.0
    assert again.reach() == shown["reach"]  # computed from the rows again
    assert _pages(again) == shown
