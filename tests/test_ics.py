"""iCalendar of hearings: court time zone, all-day events, partial dates left out, privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime
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


def _awkward_texts() -> list[str]:
    """Text that tests escaping and folding at every octet around the 75-octet limit."""
    texts = ["", "Caso Conga", "a;b,c\\d", "line\nbreak\r\nand\rcarriage", "literal \\N here"]
    for n in range(50, 82):
        for piece in ("\\", "^", "é", "ñá", "😀", ",", ";", "\n", "\\n", "^^"):
            texts.append("x" * n + piece * 3 + "y" * 40)
    texts.append("Máxima Acuña Atalaya; Jaime Chaupe Lozano, \\ et al. " * 6)
    return texts


def test_fast_event_writer_gives_the_bytes_icalendar_gives() -> None:
    """The export writes events without icalendar objects: byte for byte the same."""
    import uuid

    from tracker.exports.ics import _event_fields, _EventWriter, hearing_event
    from tracker.exports.labels import Labels

    labels = Labels(
        "es",
        {
            ("hearing_type", "trial_session"): "Sesión de juicio; oral",
            ("hearing_result", "postponed"): "Frustrada, reprogramada",
            ("postponement_reason", "strike"): "Huelga \\ paro",
        },
    )
    stamp = datetime(2026, 11, 28, 15, 8, 51, tzinfo=UTC)
    writer = _EventWriter(stamp)
    courts = {1: "Juzgado Penal; Unipersonal, de Celendín", 2: "x" * 90}
    label = labels.labeler
    checked = 0
    for i, text in enumerate(_awkward_texts()):
        variant = i % 6
        hearing = {
            "id": uuid.UUID(int=i),
            "hearing_type": "trial_session" if variant % 2 else "other",
            "scheduled_at": datetime(2019 + variant, 3, 2, 10, 30, 15),
            "scheduled_precision": "time" if variant < 4 else "day",
            "court_id": (None, 1, 2)[variant % 3],
            "result": ("postponed", "cancelled", None)[variant % 3],
            "postponement_reason": "strike" if variant == 0 else None,
            "next_date": date(2020, 1, 5) if variant == 1 else None,
            "notes": text or None,
            "is_synthetic": variant == 2,
        }
        case = {
            "title": text,
            "case_number": text[:30] or None,
            "country": ("PE", "ZZ", "AR")[variant % 3],
            "court_id": 1,
        }
        fields = _event_fields(hearing, case, courts, labels, label)
        event = hearing_event(hearing, case, courts, labels, stamp)
        assert fields is not None and event is not None
        assert writer.event(fields) == event.to_ical(), text
        checked += 1
    assert checked > 300
