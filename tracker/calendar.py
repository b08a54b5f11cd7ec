"""Read side of the hearing calendar: hearings ahead, overdue hearings, and their .ics file.

Hearings ahead are those from today 00:00 through the end of the day ``days`` ahead (the
dashboard's window); overdue ones are past hearings with no result recorded. Both can be
narrowed to a court (the hearing's own, else its case's) and to a lawyer (an actor who is a
``defence_lawyer`` party of the hearing's case), and both are paged in SQL.

The .ics file reuses the event builder of tracker.exports.ics, so the page and the command
line write the same events: ``scheduled_at`` is the court's naive local time, written with
TZID America/Lima (the case's country zone, with its VTIMEZONE); a hearing known only to the
day is an all-day event; one known only to the month or year is left out. UIDs come from
hearing ids, so importing a newer file updates events instead of doubling them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from . import dates
from .exports.ics import hearing_event, new_calendar  # the exports' builder
from .exports.labels import Labels
from .exports.rows import Scrubber  # the exports' rule, so the file matches theirs
from .i18n import t
from .models import Actor, Case, CaseParty, Court, Hearing
from .privacy import display_name, name_column, visible_actors, visible_cases

WINDOWS = (7, 30, 90)
ICS_LIMIT = 5000  # a calendar program chokes long before; 90 days at scale M is about 1,000
_court = func.coalesce(col(Hearing.court_id), col(Case.court_id))


def _window(today: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(today, datetime.min.time())
    return start, start + timedelta(days=days + 1)


def _conditions(
    *, court_id: uuid.UUID | None, lawyer_id: uuid.UUID | None, trusted: bool
) -> list[Any]:
    conds: list[Any] = [visible_cases(show_confidential=trusted)]
    if court_id:
        conds.append(_court == court_id)
    if lawyer_id:
        conds.append(
            col(Hearing.case_id).in_(
                select(CaseParty.case_id).where(
                    col(CaseParty.role) == "defence_lawyer", col(CaseParty.actor_id) == lawyer_id
                )
            )
        )
    return conds


def _rows(
    session: Session, conds: list[Any], order: Any, *, trusted: bool, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of hearings matching ``conds`` with case, court and people; and the total."""
    base = (
        select(func.count()).select_from(Hearing).join(Case, col(Case.id) == col(Hearing.case_id))
    )
    total = session.exec(base.where(*conds)).one()
    rows = session.exec(
        select(Hearing, Case, Court.name)
        .join(Case, col(Case.id) == col(Hearing.case_id))
        .outerjoin(Court, col(Court.id) == _court)
        .where(*conds)
        .order_by(order, col(Hearing.id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    people = _people(session, list({case.id for _, case, _ in rows}), trusted)
    out = []
    for hearing, case, court in rows:
        item = hearing.model_dump()
        item.update(
            when=dates.format_partial(hearing.scheduled_at, hearing.scheduled_precision),
            court=court or "",
            case=case.model_dump(),
            defendants=people.get((case.id, "defendant"), []),
            lawyers=people.get((case.id, "defence_lawyer"), []),
        )
        out.append(item)
    return out, int(total)


def _people(
    session: Session, case_ids: list[uuid.UUID], trusted: bool
) -> dict[tuple[uuid.UUID, str], list[str]]:
    """Shown names of the defendants and defence lawyers of ``case_ids``, in one query."""
    if not case_ids:
        return {}
    shown = name_column(show_confidential=trusted)
    out: dict[tuple[uuid.UUID, str], list[str]] = {}
    for case_id, role, name in session.exec(
        select(CaseParty.case_id, CaseParty.role, shown)
        .join(Actor, col(Actor.id) == col(CaseParty.actor_id))
        .where(
            col(CaseParty.case_id).in_(case_ids),
            col(CaseParty.role).in_(("defendant", "defence_lawyer")),
            visible_actors(show_confidential=trusted),
        )
        .order_by(shown)
    ).all():
        out.setdefault((case_id, role), []).append(name)
    return out


def hearings_ahead(
    session: Session,
    *,
    today: date,
    days: int,
    show_confidential: bool,
    court_id: uuid.UUID | None = None,
    lawyer_id: uuid.UUID | None = None,
    page: int = 0,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Hearings from today through ``days`` ahead, soonest first: one page and the total."""
    start, end = _window(today, days)
    conds = _conditions(court_id=court_id, lawyer_id=lawyer_id, trusted=show_confidential)
    conds += [col(Hearing.scheduled_at) >= start, col(Hearing.scheduled_at) < end]
    return _rows(
        session,
        conds,
        col(Hearing.scheduled_at),
        trusted=show_confidential,
        page=page,
        page_size=page_size,
    )


def overdue(
    session: Session,
    *,
    today: date,
    show_confidential: bool,
    court_id: uuid.UUID | None = None,
    lawyer_id: uuid.UUID | None = None,
    page: int = 0,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Past hearings with no result recorded, most recent first (the ones to update now)."""
    start, _ = _window(today, 0)
    conds = _conditions(court_id=court_id, lawyer_id=lawyer_id, trusted=show_confidential)
    conds += [col(Hearing.scheduled_at) < start, col(Hearing.result).is_(None)]
    return _rows(
        session,
        conds,
        col(Hearing.scheduled_at).desc(),
        trusted=show_confidential,
        page=page,
        page_size=page_size,
    )


# Colours of the calendar's events: overdue hearings stand out in red.
COLORS = {"overdue": "#c62828", "ahead": "#1565c0", "held": "#757575"}
CALENDAR_LIMIT = 3000  # a month at scale L holds about 1,000 hearings


def month_range(day: date) -> tuple[date, date]:
    """The days a month view of ``day``'s month shows: whole weeks, Monday to Sunday."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following + timedelta(days=(7 - following.weekday()) % 7)
    return start, end


def week_range(day: date) -> tuple[date, date]:
    """Monday to the next Monday (excluded) of ``day``'s week."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7)


def calendar_events(
    session: Session,
    *,
    start: date,
    end: date,
    today: date,
    labels: dict[str, str],
    show_confidential: bool,
    court_id: uuid.UUID | None = None,
    lawyer_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """Hearings from ``start`` up to ``end`` (excluded) as calendar events.

    A hearing with a time is a one-hour event, one known to the day an all-day event; those
    known only to the month or year have no place on a calendar and are left out (as in the
    .ics file). Past hearings without a result are "overdue" and coloured to stand out.
    Titles follow the .ics file's privacy: for viewers, confidential people's real names in
    case titles are replaced by their pseudonyms.

    Returns:
        FullCalendar event objects: id, title, start, end or allDay, color, and
        extendedProps {case_id, state, court, lawyers}.
    """
    conds = _conditions(court_id=court_id, lawyer_id=lawyer_id, trusted=show_confidential)
    conds += [
        col(Hearing.scheduled_at) >= datetime.combine(start, datetime.min.time()),
        col(Hearing.scheduled_at) < datetime.combine(end, datetime.min.time()),
        col(Hearing.scheduled_precision).in_(("day", "time")),
    ]
    rows, _ = _rows(
        session,
        conds,
        col(Hearing.scheduled_at),
        trusted=show_confidential,
        page=0,
        page_size=CALENDAR_LIMIT,
    )
    scrub = _scrubber(session, rows) if not show_confidential else (lambda text: text)
    events = []
    for row in rows:
        at: datetime = row["scheduled_at"]
        state = "held" if row["result"] else "overdue" if at.date() < today else "ahead"
        event: dict[str, Any] = {
            "id": str(row["id"]),
            "title": f"{labels.get(row['hearing_type'], row['hearing_type'])}: "
            f"{scrub(row['case']['title'])}",
            "color": COLORS[state],
            "extendedProps": {
                "case_id": str(row["case_id"]),
                "state": state,
                "court": row["court"],
                "lawyers": ", ".join(row["lawyers"]),
            },
        }
        if row["scheduled_precision"] == "time":
            event["start"] = at.isoformat(timespec="minutes")
            event["end"] = (at + timedelta(hours=1)).isoformat(timespec="minutes")
        else:
            event["start"] = at.date().isoformat()
            event["allDay"] = True
        events.append(event)
    return events


def lawyers(session: Session, *, show_confidential: bool) -> dict[uuid.UUID, str]:
    """Actors who are defence lawyers in some case: id -> shown name, by name."""
    shown = name_column(show_confidential=show_confidential)
    rows = session.exec(
        select(Actor.id, shown)
        .where(
            col(Actor.id).in_(
                select(CaseParty.actor_id).where(col(CaseParty.role) == "defence_lawyer")
            ),
            visible_actors(show_confidential=show_confidential),
        )
        .order_by(shown)
    ).all()
    return {i: n for i, n in rows}


def ics_bytes(
    session: Session,
    *,
    today: date,
    days: int,
    lang: str,
    show_confidential: bool,
    court_id: uuid.UUID | None = None,
    lawyer_id: uuid.UUID | None = None,
) -> bytes:
    """The hearings ahead (as filtered) as an iCalendar file; privacy as on the page.

    Viewers get pseudonyms for defendants, no restricted case, and (as in every export) the
    real names of confidential people replaced by their pseudonyms in case titles and notes.
    """
    rows, _ = hearings_ahead(
        session,
        today=today,
        days=days,
        show_confidential=show_confidential,
        court_id=court_id,
        lawyer_id=lawyer_id,
        page_size=ICS_LIMIT,
    )
    scrub = _scrubber(session, rows) if not show_confidential else (lambda text: text)
    labels = Labels.load(session.get_bind(), lang)  # type: ignore[arg-type]
    calendar = new_calendar(lang)
    stamp = datetime.now(UTC).replace(microsecond=0)
    courts = {row["court_id"] or row["case"]["court_id"]: row["court"] for row in rows}
    for row in rows:
        case = {**row["case"], "title": scrub(row["case"]["title"])}
        hearing = {**row, "notes": scrub(row["notes"])}
        event = hearing_event(hearing, case, courts, labels, stamp)
        if event is None:
            continue
        if row["defendants"]:
            # The builder knows the case; a lawyer also wants to see whose hearing it is.
            text = str(event.pop("description"))
            people = ", ".join(row["defendants"])
            event.add(
                "description", f"{text}\n{t('hearings.ics_defendants', lang=lang, names=people)}"
            )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _scrubber(session: Session, rows: list[dict[str, Any]]) -> Any:
    """Replace confidential people's real names (and aliases) in free text by pseudonyms.

    Only the people of the listed cases are looked up: a title or a note of a case names its
    own parties.
    """
    case_ids = list({row["case_id"] for row in rows})
    names: dict[str, str] = {}
    if case_ids:
        for name, aliases, pseudonym in session.exec(
            select(Actor.name, Actor.aliases, Actor.pseudonym)
            .join(CaseParty, col(CaseParty.actor_id) == col(Actor.id))
            .where(col(CaseParty.case_id).in_(case_ids), Actor.confidentiality == "confidential")
        ).all():
            shown = display_name(name, pseudonym, "confidential", show_confidential=False)
            names.update({n: shown for n in [name, *(aliases or [])]})
    return Scrubber(names)
