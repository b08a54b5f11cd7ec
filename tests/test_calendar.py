"""The hearing calendar: windows, court and lawyer filters, overdue hearings, the .ics file."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.test_casework import count_queries
from tracker import calendar, db
from tracker import services as sv
from tracker.i18n import set_language
from tracker.permissions import Principal

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _at(days: int, hour: int | None = None) -> str:
    day = TODAY + timedelta(days=days)
    return f"{day.isoformat()} {hour:02d}:30" if hour is not None else day.isoformat()


def build(engine: Engine) -> dict[str, uuid.UUID]:
    """Two cases (one restricted) with hearings before and after TODAY, a lawyer, two courts."""
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        court = sv.courts.create(s, {"name": "Juzgado Penal de Celendín"})
        other = sv.courts.create(s, {"name": "Sala de Apelaciones de Cajamarca"})
        secret = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Ana Secreta",
                "is_defender": True,
                "confidentiality": "confidential",
                "pseudonym": "Defensora P1",
            },
        )
        lawyer = sv.actors.create(s, {"kind": "person", "name": "Mirtha Abogada"})
        case = sv.cases.create(
            s, {"title": "Caso de Ana Secreta", "opened_on": "2019", "court_id": court}
        )
        hidden = sv.cases.create(
            s, {"title": "Caso reservado", "opened_on": "2019", "confidentiality": "restricted"}
        )
        sv.parties.create(s, {"case_id": case, "actor_id": secret, "role": "defendant"})
        sv.parties.create(s, {"case_id": case, "actor_id": lawyer, "role": "defence_lawyer"})
        ids = {"court": court, "other": other, "lawyer": lawyer, "case": case, "hidden": hidden}
        plan = {
            "timed": (case, _at(3, 10), "trial_session", None),  # court time, with a zone
            "day": (case, _at(20), "appeal", other),  # all-day event
            "month": (case, (TODAY + timedelta(days=70)).isoformat()[:7], "other", None),
            "later": (case, _at(80), "sentencing", None),
            "restricted": (hidden, _at(5, 9), "trial_session", None),
            "overdue": (case, _at(-10, 9), "preliminary", None),
            "old_overdue": (case, _at(-40, 9), "preliminary", None),
        }
        for name, (case_id, when, kind, court_id) in plan.items():
            ids[name] = sv.hearings.create(
                s,
                {
                    "case_id": case_id,
                    "scheduled_at": when,
                    "hearing_type": kind,
                    "court_id": court_id,
                    "notes": "Llevar a Ana Secreta",
                },
            )
        done = sv.hearings.create(
            s, {"case_id": case, "scheduled_at": _at(-5), "hearing_type": "other"}
        )
        sv.hearings.update(s, done, {"result": "held"}, 1)
    return ids


def test_windows_filters_and_overdue(vocab_engine: Engine) -> None:
    ids = build(vocab_engine)
    with Session(vocab_engine) as s:

        def ahead(days: int, **kw: object) -> list[uuid.UUID]:
            rows, total = calendar.hearings_ahead(
                s,
                today=TODAY,
                days=days,
                show_confidential=True,
                **kw,  # type: ignore[arg-type]
            )
            assert total == len(rows)
            return [r["id"] for r in rows]

        assert ahead(7) == [ids["timed"], ids["restricted"]]
        assert ahead(30) == [ids["timed"], ids["restricted"], ids["day"]]
        assert ahead(90) == [
            ids["timed"],
            ids["restricted"],
            ids["day"],
            ids["month"],
            ids["later"],
        ]
        assert ahead(90, court_id=ids["other"]) == [ids["day"]]
        # A hearing without a court of its own is held at its case's court.
        assert ids["timed"] in ahead(90, court_id=ids["court"])
        assert ids["restricted"] not in ahead(90, lawyer_id=ids["lawyer"])
        assert len(ahead(90, lawyer_id=ids["lawyer"])) == 4
        rows, total = calendar.hearings_ahead(s, today=TODAY, days=7, show_confidential=False)
        assert [r["id"] for r in rows] == [ids["timed"]]  # no restricted case for a viewer
        assert rows[0]["defendants"] == ["Defensora P1"]
        assert rows[0]["lawyers"] == ["Mirtha Abogada"]
        assert (rows[0]["court"], rows[0]["when"]) == ("Juzgado Penal de Celendín", _at(3, 10))
        late, total = calendar.overdue(s, today=TODAY, show_confidential=False, page_size=1)
        assert (total, [r["id"] for r in late]) == (2, [ids["overdue"]])  # most recent first
        assert calendar.lawyers(s, show_confidential=False) == {ids["lawyer"]: "Mirtha Abogada"}


def test_lists_page_in_a_few_queries(vocab_engine: Engine) -> None:
    build(vocab_engine)
    with Session(vocab_engine) as s, count_queries(vocab_engine) as seen:
        calendar.hearings_ahead(s, today=TODAY, days=90, show_confidential=False)
        calendar.overdue(s, today=TODAY, show_confidential=False)
    # count, page and people, twice; withheld people and the public names beside them once
    assert len(seen) <= 8


def _events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_file_of_the_hearings_ahead(vocab_engine: Engine) -> None:
    ids = build(vocab_engine)
    with Session(vocab_engine) as s:
        data = calendar.ics_bytes(s, today=TODAY, days=90, lang="en", show_confidential=True)
        again = calendar.ics_bytes(s, today=TODAY, days=90, lang="en", show_confidential=True)
    events = _events(data)
    uid = f"tracker-{ids['timed']}@defender-tracker"
    # Stable UIDs: the same hearing keeps its UID from one download to the next.
    assert set(events) == set(_events(again))
    # The month-only hearing is left out; the restricted case is in for an editor.
    assert len(events) == 4
    timed = events[uid]
    start = timed.decoded("DTSTART")  # type: ignore[attr-defined]
    assert (start.replace(tzinfo=None), str(start.tzinfo)) == (
        datetime(2026, 3, 5, 10, 30),
        "America/Lima",
    )
    assert str(timed["SUMMARY"]) == "Trial session: Caso de Ana Secreta"  # type: ignore[index]
    assert str(timed["LOCATION"]) == "Juzgado Penal de Celendín"  # type: ignore[index]
    assert "Defendants: Ana Secreta" in str(timed["DESCRIPTION"])  # type: ignore[index]
    day = events[f"tracker-{ids['day']}@defender-tracker"]
    assert day.decoded("DTSTART") == TODAY + timedelta(days=20)  # type: ignore[attr-defined]
    assert str(day["LOCATION"]) == "Sala de Apelaciones de Cajamarca"  # type: ignore[index]
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:America/Lima" in data


def test_ics_for_a_viewer_uses_pseudonyms_and_hides_restricted_cases(vocab_engine: Engine) -> None:
    ids = build(vocab_engine)
    with Session(vocab_engine) as s:
        data = calendar.ics_bytes(s, today=TODAY, days=90, lang="es", show_confidential=False)
    events = _events(data)
    assert f"tracker-{ids['restricted']}@defender-tracker" not in events
    assert len(events) == 3
    text = Calendar.from_ical(data).to_ical().decode()
    unfolded = text.replace("\r\n ", "")
    assert "Ana Secreta" not in unfolded  # neither in the title, the notes nor the defendants
    assert "Caso de Defensora P1" in unfolded
    assert "Procesados/as: Defensora P1" in unfolded
    assert "Llevar a Defensora P1" in unfolded


def test_month_and_week_ranges_cover_whole_weeks() -> None:
    assert calendar.month_range(date(2026, 3, 17)) == (date(2026, 2, 23), date(2026, 4, 6))
    assert calendar.month_range(date(2026, 6, 1)) == (date(2026, 6, 1), date(2026, 7, 6))
    assert calendar.week_range(date(2026, 3, 5)) == (date(2026, 3, 2), date(2026, 3, 9))


def test_calendar_events_colour_overdue_and_follow_privacy(vocab_engine: Engine) -> None:
    ids = build(vocab_engine)
    labels = {"trial_session": "Trial session", "preliminary": "Preliminary hearing"}
    with Session(vocab_engine) as s:
        events = calendar.calendar_events(
            s,
            start=date(2026, 2, 16),
            end=date(2026, 4, 6),
            today=TODAY,
            labels=labels,
            show_confidential=False,
        )
        trusted = calendar.calendar_events(
            s,
            start=date(2026, 3, 2),
            end=date(2026, 3, 9),
            today=TODAY,
            labels=labels,
            show_confidential=True,
            lawyer_id=ids["lawyer"],
        )
    shown = [
        (e["title"], e["start"], e.get("end"), e.get("allDay"), e["extendedProps"]["state"])
        for e in events
    ]
    assert shown == [
        ("Preliminary hearing: Caso de Defensora P1", "2026-02-20T09:30", "2026-02-20T10:30",
         None, "overdue"),
        ("other: Caso de Defensora P1", "2026-02-25", None, True, "held"),
        ("Trial session: Caso de Defensora P1", "2026-03-05T10:30", "2026-03-05T11:30",
         None, "ahead"),
        ("appeal: Caso de Defensora P1", "2026-03-22", None, True, "ahead"),
    ]  # fmt: skip
    assert [e["color"] for e in events] == ["#c62828", "#757575", "#1565c0", "#1565c0"]
    assert events[0]["extendedProps"]["case_id"] == str(ids["case"])
    assert events[0]["extendedProps"]["lawyers"] == "Mirtha Abogada"
    # Editors see real names; the restricted case's hearing has no lawyer, so it is filtered.
    assert [e["title"] for e in trusted] == ["Trial session: Caso de Ana Secreta"]
