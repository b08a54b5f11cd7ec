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

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event
from icalendar.caselessdict import canonsort_keys
from sqlalchemy.engine import Engine

from ..gc_pause import without_gc
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


def _event_fields(
    hearing: dict[str, Any],
    case: dict[str, Any],
    courts: dict[Any, str],
    labels: Labels,
    label: Callable[[str], Callable[[Any], Any]] | None = None,
) -> dict[str, Any] | None:
    """What a hearing's VEVENT says, as plain values (None: its date is too vague).

    ``label(vocabulary)`` gives the labelling function of a vocabulary (default: through
    ``labels.term``); the export passes :meth:`Labels.labeler` to look labels up once.
    """
    precision = hearing["scheduled_precision"]
    if precision not in ("time", "day"):
        return None
    lang = labels.lang
    if label is None:
        term = labels.term

        def label(vocabulary: str) -> Callable[[Any], Any]:
            return lambda code: term(vocabulary, code)

    kind = label("hearing_type")(hearing["hearing_type"])
    summary = f"{kind}: {case['title']}"
    if hearing.get("is_synthetic"):
        summary = f"[{t('data.synthetic', lang=lang)}] {summary}"
    when = hearing["scheduled_at"]
    zone = None
    if precision == "time":
        zone = _zone(case.get("country"))
        start: date | datetime = when.replace(tzinfo=zone) if zone else when
        end: date | None = None
    else:
        start = when.date()
        end = start + timedelta(days=1)
    lines = [
        t("export.ics.case", lang=lang, title=case["title"], number=case.get("case_number") or "-"),
    ]
    if hearing.get("result"):
        result = label("hearing_result")(hearing["result"])
        lines.append(t("export.ics.result", lang=lang, result=result))
    if hearing.get("postponement_reason"):
        reason = label("postponement_reason")(hearing["postponement_reason"])
        lines.append(t("export.ics.reason", lang=lang, reason=reason))
    if hearing.get("next_date"):
        lines.append(t("export.ics.next", lang=lang, date=hearing["next_date"].isoformat()))
    if hearing.get("notes"):
        lines.append(hearing["notes"])
    return {
        "uid": f"tracker-{hearing['id']}@{UID_DOMAIN}",
        "summary": summary,
        "start": start,
        "zone": zone,
        "end": end,
        "location": courts.get(hearing.get("court_id")) or courts.get(case.get("court_id")),
        "description": "\n".join(lines),
        "category": kind,
        "status": "CANCELLED" if hearing.get("result") == "cancelled" else "CONFIRMED",
    }


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
    fields = _event_fields(hearing, case, courts, labels)
    if fields is None:
        return None
    event = Event()
    event.add("uid", fields["uid"])
    event.add("dtstamp", stamp)
    event.add("summary", fields["summary"])
    event.add("dtstart", fields["start"])
    if fields["end"] is not None:
        event.add("dtend", fields["end"])
    if fields["location"]:
        event.add("location", fields["location"])
    event.add("description", fields["description"])
    event.add("categories", [fields["category"]])
    event.add("status", fields["status"])
    return event


def new_calendar(lang: str) -> Calendar:
    """An empty calendar with the tracker's product id and name in ``lang``."""
    calendar = Calendar()
    calendar.add("prodid", "-//Defender criminalization tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("export.ics.calendar_name", lang=lang))
    return calendar


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order (its ``_escape_char``)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> bytes:
    """A content line as UTF-8, folded as icalendar folds it (its ``_foldline``).

    Lines hold at most 74 octets, never split inside a character, and a line does not end
    in a backslash or caret that starts an escape (it moves to the next line).
    """
    data = line.encode("utf-8")
    if len(data) < 75:
        return data
    parts = []
    start = 0
    while len(data) - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # inside a multi-byte character
            end -= 1
        if end - 1 > start and data[end - 1] in (0x5C, 0x5E):  # "\\" or "^"
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


class _EventWriter:
    """VEVENTs as bytes, the same as ``hearing_event(...).to_ical()`` gives, much faster.

    icalendar builds a property object, a parameter object and a content line per value and
    folds lines character by character: about 0.5 ms an event. Here the lines whose text
    repeats (time stamp, categories, location, status, the DTSTART parameters of each zone)
    are made once by icalendar itself, and free text (summary, description, uid) is escaped
    and folded by :func:`_escape` and :func:`_fold`, which follow icalendar's rules
    (tests/test_ics.py compares the two on awkward text).
    """

    _NAMES = (
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DTSTAMP",
        "UID",
        "CATEGORIES",
        "DESCRIPTION",
        "LOCATION",
        "STATUS",
    )

    def __init__(self, stamp: datetime) -> None:
        self.order = canonsort_keys(self._NAMES, Event.canonical_order)
        self.stamp = self._library_line("dtstamp", stamp)
        self.cache: dict[tuple[str, Any], bytes] = {}
        self.prefixes: dict[Any, str] = {}

    @staticmethod
    def _library_line(name: str, value: Any) -> bytes:
        """The content line icalendar writes for one property (folded, without CRLF)."""
        event = Event()
        event.add(name, value)
        lines = event.to_ical().split(b"\r\n")
        return b"\r\n".join(lines[1:-2])  # between BEGIN:VEVENT and END:VEVENT

    def _cached(self, name: str, value: Any) -> bytes:
        key = (name, value)
        line = self.cache.get(key)
        if line is None:
            line = self.cache[key] = self._library_line(name, value)
        return line

    def _prefix(self, name: str, kind: Any) -> str:
        """``NAME;PARAMS:`` of a date (kind "date"), a floating time (None) or a zone."""
        key = (name, kind)
        prefix = self.prefixes.get(key)
        if prefix is None:
            if kind == "date":
                sample: date | datetime = date(2000, 1, 2)
                value = "20000102"
            else:
                sample = datetime(2000, 1, 2, 3, 4, 5, tzinfo=kind)
                value = "20000102T030405"
            line = self._library_line(name, sample).decode("utf-8")
            assert line.endswith(":" + value), line
            prefix = self.prefixes[key] = line[: -len(value)]
        return prefix

    def event(self, fields: dict[str, Any]) -> bytes:
        start = fields["start"]
        lines: dict[str, bytes] = {}
        if isinstance(start, datetime):
            stamp = (
                f"{start.year:04}{start.month:02}{start.day:02}"
                f"T{start.hour:02}{start.minute:02}{start.second:02}"
            )
            lines["DTSTART"] = _fold(self._prefix("dtstart", fields["zone"]) + stamp)
        else:
            lines["DTSTART"] = _fold(self._prefix("dtstart", "date") + _day(start))
        if fields["end"] is not None:
            lines["DTEND"] = _fold(self._prefix("dtend", "date") + _day(fields["end"]))
        lines["SUMMARY"] = _fold("SUMMARY:" + _escape(fields["summary"]))
        lines["DTSTAMP"] = self.stamp
        lines["UID"] = _fold("UID:" + _escape(fields["uid"]))
        lines["CATEGORIES"] = self._cached("categories", fields["category"])
        lines["DESCRIPTION"] = _fold("DESCRIPTION:" + _escape(fields["description"]))
        if fields["location"]:
            lines["LOCATION"] = self._cached("location", fields["location"])
        lines["STATUS"] = self._cached("status", fields["status"])
        body = b"\r\n".join(lines[name] for name in self.order if name in lines)
        return b"BEGIN:VEVENT\r\n" + body + b"\r\nEND:VEVENT\r\n"


def _day(value: date) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}"


@without_gc
def export_ics(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write the hearings as one calendar; return the number of events written.

    The calendar, its properties and the VTIMEZONE of each zone used come from icalendar;
    the events are written by :class:`_EventWriter` straight to the file as they are made.
    """
    data = read_rows(engine, options, tables=("court", "court_case", "hearing"))
    labels = Labels.load(engine, options.lang)
    cases = {r["id"]: r for r in data["court_case"]}
    courts = {r["id"]: r["name"] for r in data["court"]}
    stamp = datetime.now(UTC).replace(microsecond=0)
    writer = _EventWriter(stamp)
    labelers: dict[str, Callable[[Any], Any]] = {}

    def label(vocabulary: str) -> Callable[[Any], Any]:
        if vocabulary not in labelers:
            labelers[vocabulary] = labels.labeler(vocabulary)
        return labelers[vocabulary]

    events: list[bytes] = []
    zones: dict[str, ZoneInfo] = {}
    for hearing in data["hearing"]:
        fields = _event_fields(hearing, cases[hearing["case_id"]], courts, labels, label)
        if fields is not None:
            events.append(writer.event(fields))
            if fields["zone"] is not None:
                zones[fields["zone"].key] = fields["zone"]
    calendar = new_calendar(options.lang)
    for zone in zones.values():  # VTIMEZONEs as icalendar adds them for events in the zone
        calendar.add_component(_zone_marker(zone))
    calendar.add_missing_timezones()
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VEVENT"]
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        fh.write(head[: -len(end)])
        for i in range(0, len(events), 5000):
            fh.write(b"".join(events[i : i + 5000]))
        fh.write(end)
    return len(events)


def _zone_marker(zone: ZoneInfo) -> Event:
    event = Event()
    event.add("dtstart", datetime(2000, 1, 1, tzinfo=zone))
    return event


# The builder's first, private name: tracker.calendar imports it.
