"""Changes of a re-import applied together: each record audited, versions raised, and a change
the services refuse reported under the file's own column, with nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.test_import import GOOD
from tracker.i18n import set_language
from tracker.imports import run_import
from tracker.models import AuditLog, Case, Charge
from tracker.permissions import Principal
from tracker.stats import row_counts

EDITOR = Principal("ana", "editor")
# The same sheet a year later: Juan Pérez acquitted; Rosa Quispe's riot charge now convicted.
LATER = GOOD.replace(
    "Disturbios;25/04/2019;Absuelto;17 de julio de 2021",
    "Disturbios;25/04/2019;Condenado;17 de julio de 2021",
).replace("2020-03;;;Policía Nacional", "2020-03;Absuelto;2022-06-01;Policía Nacional")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _run(engine: Engine, text: str, **kwargs: object) -> object:
    return run_import(engine, EDITOR, text.encode("utf-8"), "charges.csv", **kwargs)  # type: ignore[arg-type]


def test_changes_are_applied_with_one_audit_row_per_record(vocab_engine: Engine) -> None:
    assert _run(vocab_engine, GOOD).committed  # type: ignore[attr-defined]
    preview = _run(vocab_engine, LATER, dry_run=True)
    # The acquittal also closes Juan Pérez's case (its only charge is now resolved).
    assert sorted(
        (c.table, c.field, c.old, c.new, c.row, c.column)
        for c in preview.changes  # type: ignore[attr-defined]
    ) == [
        ("charge", "outcome", "", "acquitted", 4, "Resultado"),
        ("charge", "outcome", "acquitted", "convicted", 2, "Resultado"),
        ("charge", "outcome_on", "", "2022-06-01", 4, "Fecha del resultado"),
        ("charge", "status", "pending", "resolved", 4, ""),
        ("court_case", "closed_on", "", "2022-06-01", 4, ""),
        ("court_case", "status", "open", "closed", 4, ""),
    ]
    report = _run(vocab_engine, LATER)
    assert report.committed and report.errors == []  # type: ignore[attr-defined]
    with Session(vocab_engine) as s:
        charges = {c.filed_on: c for c in s.exec(select(Charge)).all()}
        riot, juan = charges[date(2019, 4, 25)], charges[date(2020, 3, 1)]
        assert (riot.outcome, riot.version_id) == ("convicted", 2)
        assert (juan.outcome, juan.outcome_on, juan.status, juan.version_id) == (
            "acquitted",
            date(2022, 6, 1),
            "resolved",
            2,
        )
        case = s.exec(select(Case).where(Case.case_number == "002-2020")).one()
        assert (case.status, case.closed_on, case.version_id) == ("closed", date(2022, 6, 1), 2)
        logged = s.exec(select(AuditLog).where(AuditLog.action == "update")).all()
        by_row = {a.row_id: (a.username, a.changes) for a in logged}
        assert by_row == {
            case.id: (
                "ana",
                {
                    "status": ["open", "closed"],
                    "closed_on": [None, "2022-06-01"],
                    "closed_on_precision": ["unknown", "day"],
                },
            ),
            riot.id: ("ana", {"outcome": ["acquitted", "convicted"]}),
            juan.id: (
                "ana",
                {
                    "outcome": [None, "acquitted"],
                    "outcome_on": [None, "2022-06-01"],
                    "outcome_on_precision": ["unknown", "day"],
                    "status": ["pending", "resolved"],
                },
            ),
        }


def test_a_refused_change_is_reported_under_the_files_column(vocab_engine: Engine) -> None:
    assert _run(vocab_engine, GOOD).committed  # type: ignore[attr-defined]
    before = row_counts(vocab_engine)
    # The outcome dated before the charge was filed (March 2020): the service refuses it.
    wrong = LATER.replace("Absuelto;2022-06-01;", "Absuelto;2019-01-05;")
    report = _run(vocab_engine, wrong)
    # The closing date the status rule derives has no column of the file: the field's name.
    assert [p.line("en") for p in report.errors] == [  # type: ignore[attr-defined]
        "Error: row 4, column “Closed on”: 2019-01-05 is before Opened on (2020).",
        "Error: row 4, column “Fecha del resultado”: 2019-01-05 is before Filed on (2020-03).",
        "Error: row 4, column “Fecha del resultado”: 2019-01-05 is before the case was opened "
        "(2020).",
    ]
    assert report.committed is False  # type: ignore[attr-defined]
    assert row_counts(vocab_engine) == before
    with Session(vocab_engine) as s:
        assert {c.outcome for c in s.exec(select(Charge)).all()} == {"acquitted", None}
        assert s.exec(select(AuditLog).where(AuditLog.action == "update")).all() == []
        assert len(s.exec(select(Case)).all()) == 2


def test_progress_is_told_of_rows_checked_then_written(vocab_engine: Engine) -> None:
    calls: list[tuple[int, int]] = []
    report = _run(vocab_engine, GOOD, progress=lambda done, total: calls.append((done, total)))
    assert report.committed  # type: ignore[attr-defined]
    # Three rows: each counted once checked and once written; every 500 rows a call.
    assert calls == [(0, 6), (3, 6), (6, 6)]


def test_a_record_saved_meanwhile_refuses_the_whole_import(
    vocab_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from tracker.imports import commit

    assert _run(vocab_engine, GOOD).committed  # type: ignore[attr-defined]
    before = row_counts(vocab_engine)
    real = commit._defendants

    def saved_meanwhile(session, lookups, held, updates):  # type: ignore[no-untyped-def]
        # As if someone saved the charges after they were read: their version moves on.
        session.connection().execute(text("UPDATE charge SET version_id = version_id + 1"))
        real(session, lookups, held, updates)

    monkeypatch.setattr(commit, "_defendants", saved_meanwhile)
    report = _run(vocab_engine, LATER)
    assert report.committed is False  # type: ignore[attr-defined]
    assert [(p.row, p.key) for p in report.errors] == [(0, "import.change.conflict")]  # type: ignore[attr-defined]
    assert row_counts(vocab_engine) == before
    with Session(vocab_engine) as s:
        assert {(c.outcome, c.version_id) for c in s.exec(select(Charge)).all()} == {
            ("acquitted", 1),
            (None, 1),
        }
