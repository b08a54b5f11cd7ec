"""The charges' sums kept per data revision (tracker.analysis.revision_sums): the same
numbers as summing the kept charges on every read, made again after an edit, never used
when a filter changes the sums, and left out of backups.

The network is that of tests/test_graphs.py; expected values are worked out by hand from its
docstring, with today = 2026-01-01 (as in tests/test_indicators.py).
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tests.test_graphs import EDITOR, build_network
from tracker import analysis as ind
from tracker import backup, db, revision
from tracker.analysis import revision_sums
from tracker.analysis.indicators import Aggregates
from tracker.models import Actor, Charge
from tracker.models.analysis import (
    ANALYSIS_TABLES,
    CASE_COMPLAINANTS,
    CASE_SUMS,
    OWN_SUMS,
    PAIR_SUMS,
    SUMS_STATE,
)

TODAY = date(2026, 1, 1)
BOTH = ("overall", "complainant")


def numbers(engine: Engine, stored: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Any:
    """Aggregates.numbers overall and per complainant, from the stored sums or not."""
    with monkeypatch.context() as m:
        if not stored:
            m.setattr(revision_sums, "usable", lambda _q: False)
        agg = Aggregates(engine, today=TODAY, **kw)
        found = agg.numbers(BOTH)
        assert (agg._stored is not None) is stored
    return found


def figure(engine: Engine, code: str, show: bool = False) -> ind.Figure:
    (found,) = ind.figures(engine, today=TODAY, codes=[code], show_confidential=show)
    return found


def edit(engine: Engine, model: Any, key: str, ids: dict[str, str], **changes: Any) -> None:
    """Change a record through the ORM, as the app does (which raises the data revision)."""
    with db.unit_of_work(engine, EDITOR) as s:
        row = s.get(model, uuid.UUID(ids[key]))
        for name, value in changes.items():
            setattr(row, name, value)


def test_the_stored_sums_give_the_numbers_of_the_charges(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = build_network(engine)
    # K3 restricted: a viewer counts none of the six charges only K3 brought. D1 restricted:
    # nor D1's three charges, and K1 brought a charge in C2 only against D1.
    edit(engine, Actor, "K3", ids, confidentiality="restricted")
    edit(engine, Actor, "D1", ids, confidentiality="restricted")
    for show in (False, True):
        for filters in (ind.Filters(), ind.Filters(regions=("Cajamarca",), start_year=2012)):
            kw = {"show_confidential": show, "filters": filters}
            assert numbers(engine, True, monkeypatch, **kw) == numbers(
                engine, False, monkeypatch, **kw
            )
    # A viewer: only ch3 (D2 in C1, brought by K1 and K2) is left of what K1-K3 brought.
    reach = figure(engine, "complainant_reach")
    assert (reach.value, reach.details) == (1, {"complainants": 2, "cases": 1, "charges": 1})
    reach = figure(engine, "complainant_reach", show=True)
    assert (reach.value, reach.details) == (6, {"complainants": 3, "cases": 3, "charges": 10})
    # Per complainant, the cases of K1 a viewer counts: C1 only (C2's charge is D1's).
    mass = {f.group: (f.numerator, f.denominator) for f in ind.figures(
        engine, group_by="complainant", today=TODAY, codes=["mass_prosecution"])}  # fmt: skip
    assert mass == {ids["K1"]: (0, 1), ids["K2"]: (0, 1)}
    with engine.connect() as conn:
        rows = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in
                (OWN_SUMS, PAIR_SUMS, CASE_SUMS, CASE_COMPLAINANTS)}  # fmt: skip
        hidden = {t.name: conn.execute(select(func.sum(t.c.hidden))).scalar() for t in
                  (OWN_SUMS, PAIR_SUMS, CASE_SUMS, CASE_COMPLAINANTS)}  # fmt: skip
        made = conn.execute(select(SUMS_STATE.c.revision)).scalar()
    # (defendant, case): D1 C1, D1 C2, D2 C1, D2 C3, D3..D6 C3; pairs add K2 with D2 in C1;
    # cases C1-C3; (case, complainant): C1 K1, C1 K2, C2 K1, C3 K3.
    assert rows == {"analysis_own_sums": 8, "analysis_pair_sums": 9, "analysis_case_sums": 3,
                    "analysis_case_complainants": 4}  # fmt: skip
    # Hidden from a viewer: D1's (defendant, case) rows; the pairs of D1 (K1 in C1 and C2) and
    # of K3 (D2-D6 in C3); no case; K3 in C3.
    assert hidden == {"analysis_own_sums": 2, "analysis_pair_sums": 7, "analysis_case_sums": 0,
                      "analysis_case_complainants": 1}  # fmt: skip
    assert made == revision.current(engine)


def test_an_edit_is_counted_at_the_next_read(engine: Engine) -> None:
    ids = build_network(engine)
    unfounded = figure(engine, "unfounded_rate")
    assert (unfounded.value, unfounded.numerator, unfounded.denominator) == (0.75, 3, 4)
    made = revision.current(engine)
    # ch4 (D1 in C2, pending) ends in an acquittal.
    edit(engine, Charge, "ch4", ids, outcome="acquitted", outcome_on=date(2021, 1, 1),
         outcome_on_precision="day", status="resolved")  # fmt: skip
    assert revision.current(engine) > made
    unfounded = figure(engine, "unfounded_rate")
    assert (unfounded.value, unfounded.numerator, unfounded.denominator) == (0.8, 4, 5)
    with engine.connect() as conn:
        assert conn.execute(select(SUMS_STATE.c.revision)).scalar() == revision.current(engine)


def test_a_filter_on_single_charges_sums_the_charges_themselves(engine: Engine) -> None:
    build_network(engine)
    for filters in (
        ind.Filters(charge_types=("riot",)),
        ind.Filters(complainant_categories=("police",)),
        ind.Filters(include_synthetic=False),
    ):
        agg = Aggregates(engine, filters, today=TODAY)
        agg.numbers(BOTH)
        assert agg._stored is None
    riot = ind.figures(engine, ind.Filters(charge_types=("riot",)), today=TODAY,
                       codes=["unfounded_rate"])  # fmt: skip
    # ch2 dismissed and ch10 archived: the riot charges that ended (of ch2, ch5, ch7-ch10).
    assert [(f.value, f.numerator, f.denominator) for f in riot] == [(1.0, 2, 2)]


def test_backups_leave_the_sums_out(engine: Engine, tmp_path: Path) -> None:
    build_network(engine)
    figure(engine, "unfounded_rate")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(OWN_SUMS)).scalar() == 8
    info = backup.backup(engine, tmp_path / "backup")
    assert {info.tables.get(name, 0) for name in ANALYSIS_TABLES} == {0}
    assert info.tables["charge"] == 10


def test_hearings_per_court_alone_do_not_make_the_sums(engine: Engine) -> None:
    build_network(engine)
    agg = Aggregates(engine, today=TODAY)
    found = agg.numbers(["court"])
    assert agg._stored is None
    with engine.connect() as conn:
        assert conn.execute(select(SUMS_STATE.c.revision)).scalar() is None
    # One group of courts here: h3, h4 postponed of h1-h4 held by today (h5 is in 2030).
    rates = found["court"]["postponement_rate"].values()
    assert [(r.numerator, r.denominator) for r in rates] == [(2, 4)]
