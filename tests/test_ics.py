"""iCalendar of hearings: court time zone, all-day events, partial dates left out, privacy."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine

from tests.test_export_tables import FORMULA_TITLE, build_sample
from tracker.exports import ExportOptions, exporter
from tracker.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_hearings_become_events(vocab_engine: Engine, tmp_path: Path) -> None:
    ids = build_sample(vocab_engine)
    out = tmp_path / "hearings.ics"
    # Three hearings of the visible case: one at a time, one on a day, one known to the month
    # (left out); the hearing of the restricted case is left out too.
    assert exporter("ics")(vocab_engine, out, ExportOptions()) == 2
    calendar = Calendar.from_ical(out.read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: str(e["UID"]))
    by_uid = {str(e["UID"]): e for e in events}
    timed = by_uid[f"tracker-{ids['hearing']}@defender-tracker"]
    start = timed.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert (start.replace(tzinfo=None), str(start.tzinfo)) == (
        datetime(2026, 3, 2, 10, 30),
        "America/Lima",
    )
    assert str(timed["SUMMARY"]) == f"Trial session: {FORMULA_TITLE}"
    assert str(timed["LOCATION"]) == "Juzgado Penal de Celendín"
    day = next(e for e in events if e is not timed)
    assert (day.decoded("DTSTART"), day.decoded("DTEND")) == (date(2020, 5, 4), date(2020, 5, 5))
    assert str(day["DESCRIPTION"]) == (
        f"Case: {FORMULA_TITLE} (001-2019)\nResult: Postponed / frustrated\n"
        "Postponed because: Strike"
    )
    assert b"BEGIN:VTIMEZONE" in out.read_bytes()
    assert b"TZID:America/Lima" in out.read_bytes()


def test_country_without_a_known_zone_gives_floating_time(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    from tracker import db
    from tracker import services as sv
    from tracker.permissions import Principal

    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        case = sv.cases.create(s, {"title": "Caso Lejano", "country": "ZZ"})
        sv.hearings.create(
            s, {"case_id": case, "scheduled_at": "2026-01-05T09:00", "hearing_type": "other"}
        )
    out = tmp_path / "floating.ics"
    assert exporter("ics")(vocab_engine, out, ExportOptions(lang="es")) == 1
    text = out.read_bytes().decode()
    assert "DTSTART:20260105T090000\r\n" in text
    assert "SUMMARY:Otra: Caso Lejano" in text
