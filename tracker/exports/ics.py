"""Hearings as an iCalendar file (RFC 5545), for a lawyer's calendar.

``scheduled_at`` is the court's local wall-clock time, as written on the summons. A hearing
with a time is written with the time zone of its case's country (TZID America/Lima for Peru,
with its VTIMEZONE), so a calendar abroad shows it at the right moment; a country we have no
zone for gives floating time (shown as written, in any zone). A hearing known to the day is an
all-day event; one known only to the month or year is left out rather than pinned to a made-up
first day. UIDs are stable ("tracker-<uuid>@defender-tracker"), so importing a newer file
updates events instead of doubling them. Privacy comes from exports.rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event
from sqlalchemy.engine import Engine

from ..i18n import t
from . import ExportOptions
from .labels import Labels
from .rows import read_rows

__all__ = ["TIME_ZONES", "export_ics", "hearing_event", "new_calendar"]

# Countries of the region the tracker serves; the court's wall-clock time is in this zone.
TIME_ZONES = {
    "PE": "America/Lima",
    "PY": "America/Asuncion",
    "BO": "America/La_Paz",
    "CO": "America/Bogota",
    "EC": "America/Guayaquil",
    "GT": "America/Guatemala",
    "HN": "America/Tegucigalpa",
    "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago",
}
UID_DOMAIN = "defender-tracker"


def _zone(country: str | None) -> ZoneInfo | None:
    name = TIME_ZONES.get((country or "").upper())
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # no time zone database on this machine: floating time
        return None


def hearing_event(
    hearing: dict[str, Any],
    case: dict[str, Any],
    courts: dict[Any, str],
    labels: Labels,
    stamp: datetime,
) -> Event | None:
    """One hearing as a VEVENT, or None when its date is known only to the month or year.

    ``hearing`` and ``case`` are rows (dicts) already filtered by tracker.privacy; ``courts``
    maps court ids to names.
    """
    precision = hearing["scheduled_precision"]
    if precision not in ("time", "day"):
        return None
    lang, term = labels.lang, labels.term
    event = Event()
    event.add("uid", f"tracker-{hearing['id']}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    kind = term("hearing_type", hearing["hearing_type"])
    summary = f"{kind}: {case['title']}"
    if hearing.get("is_synthetic"):
        summary = f"[{t('data.synthetic', lang=lang)}] {summary}"
    event.add("summary", summary)
    when = hearing["scheduled_at"]
    if precision == "time":
        zone = _zone(case.get("country"))
        event.add("dtstart", when.replace(tzinfo=zone) if zone else when)
    else:
        event.add("dtstart", when.date())
        event.add("dtend", when.date() + timedelta(days=1))
    court = courts.get(hearing.get("court_id")) or courts.get(case.get("court_id"))
    if court:
        event.add("location", court)
    lines = [
        t("export.ics.case", lang=lang, title=case["title"], number=case.get("case_number") or "-"),
    ]
    if hearing.get("result"):
        lines.append(
            t("export.ics.result", lang=lang, result=term("hearing_result", hearing["result"]))
        )
    if hearing.get("postponement_reason"):
        lines.append(
            t(
                "export.ics.reason",
                lang=lang,
                reason=term("postponement_reason", hearing["postponement_reason"]),
            )
        )
    if hearing.get("next_date"):
        lines.append(t("export.ics.next", lang=lang, date=hearing["next_date"].isoformat()))
    if hearing.get("notes"):
        lines.append(hearing["notes"])
    event.add("description", "\n".join(lines))
    event.add("categories", [kind])
    event.add("status", "CANCELLED" if hearing.get("result") == "cancelled" else "CONFIRMED")
    return event


def new_calendar(lang: str) -> Calendar:
    """An empty calendar with the tracker's product id and name in ``lang``."""
    calendar = Calendar()
    calendar.add("prodid", "-//Defender criminalization tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("export.ics.calendar_name", lang=lang))
    return calendar


def export_ics(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write the hearings as one calendar; return the number of events written."""
    data = read_rows(engine, options, tables=("court", "court_case", "hearing"))
    labels = Labels.load(engine, options.lang)
    cases = {r["id"]: r for r in data["court_case"]}
    courts = {r["id"]: r["name"] for r in data["court"]}
    calendar = new_calendar(options.lang)
    stamp = datetime.now(UTC).replace(microsecond=0)
    count = 0
    for hearing in data["hearing"]:
        event = hearing_event(hearing, cases[hearing["case_id"]], courts, labels, stamp)
        if event is not None:
            calendar.add_component(event)
            count += 1
    calendar.add_missing_timezones()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(calendar.to_ical())
    return count


# The builder's first, private name: tracker.calendar imports it.
