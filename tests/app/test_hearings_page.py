"""The Hearings page: hearings ahead by window, court and lawyer; overdue ones; the .ics."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine

from tests.app.helpers import ready_engine, run_as
from tracker import db, seed
from tracker import services as sv
from tracker.permissions import Principal
from tracker.seed import seed_id

PAGE = "pages/5_Hearings.py"
CELENDIN = seed_id("case", "case-celendin-16")
ACUNA = seed_id("case", "case-maxima-acuna")


def _hearings(engine: Engine) -> None:
    """One hearing in 3 days (Celendín), one in 20 days (Acuña's lawyer), one overdue."""
    today = date.today()
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        for case, days, kind in (
            (CELENDIN, 3, "trial_session"),
            (ACUNA, 20, "appeal"),
            (CELENDIN, -4, "preliminary"),
        ):
            when = (today + timedelta(days=days)).isoformat() + " 09:30"
            sv.hearings.create(s, {"case_id": case, "scheduled_at": when, "hearing_type": kind})


def test_empty_database(app_env: str) -> None:
    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    at = run_as(PAGE, app_env)
    assert [i.value for i in at.info] == ["No hearings in this period.", "Nothing overdue."]


def test_hearings_ahead_windows_lawyer_and_overdue(app_env: str) -> None:
    _hearings(ready_engine(app_env))
    at = run_as(PAGE, app_env)
    ahead, overdue = (d.value for d in at.dataframe)
    assert list(ahead["Hearing type"]) == ["Trial session", "Appeal hearing"]
    # and the Espinar retrial hearing of 18 February 2020, whose result no source gives
    assert list(overdue["Hearing type"]) == ["Preliminary / control hearing", "Trial session"]
    assert "2 hearings; showing 1–2." in [c.value for c in at.caption]
    at.radio(key="h_days").set_value(7).run()
    assert list(at.dataframe[0].value["Hearing type"]) == ["Trial session"]
    at.radio(key="h_days").set_value(90).run()
    at.selectbox(key="h_lawyer").set_value(seed_id("actor", "mirtha-vasquez")).run()
    ahead = at.dataframe[0].value
    # She defends the Celendín 16 and the Acuña family (Peru Support Group; Mongabay).
    assert list(ahead["Hearing type"]) == ["Trial session", "Appeal hearing"]
    assert list(ahead["Defence lawyers"]) == ["Mirtha Vásquez", "Mirtha Vásquez"]
    button = at.get("download_button")[0]
    assert button.proto.label == "Download these hearings for your calendar (.ics)"


def test_viewer_sees_pseudonyms_only(app_env: str) -> None:
    _hearings(ready_engine(app_env))
    at = run_as(PAGE, app_env, role="viewer")
    defendants = at.dataframe[0].value["Defendants"][0]
    assert "Celendín defender 01" in defendants
    assert "withheld" not in defendants


def test_spanish(app_env: str) -> None:
    _hearings(ready_engine(app_env))
    at = run_as(PAGE, app_env)
    at.selectbox(key="lang").set_value("es").run()
    assert at.subheader[0].value == "Audiencias de los próximos 30 días"
    assert at.dataframe[0].value["Tipo de audiencia"].iloc[0] == "Sesión de juicio oral"
