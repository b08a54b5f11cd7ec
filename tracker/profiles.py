"""Read side of a person's or body's page: every case, charge, measure and hearing, the
organizations, the sources cited, and the prosecution as a timeline.

Functions return plain dicts. Names go through tracker.privacy in SQL: a viewer gets the
pseudonym of a confidential person (and none of their private details) and never a restricted
person or case.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from . import dates
from .citing import citations_for
from .models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Court,
    Hearing,
    Measure,
    Membership,
    StageChange,
)
from .privacy import display_name, name_column, visible_actors, visible_cases

# What a viewer of a confidential person may not see besides the name.
_PRIVATE_FIELDS = ("aliases", "id_number", "birth_date", "description", "district")


def _fmt(value: date | datetime | None, precision: str | None) -> str:
    return dates.format_partial(value, precision)


def profile(
    session: Session, actor_id: uuid.UUID, *, show_confidential: bool
) -> dict[str, Any] | None:
    """Everything a person's page shows, one query per kind of record (about ten in all).

    Keys: actor, memberships (organizations the actor belongs to), members (if it is an
    organization), cases (each with the actor's roles), charges and measures against the
    actor, hearings and events of the cases where the actor is a defendant, citations.
    None when the actor does not exist or the viewer may not see it.
    """
    trusted = show_confidential
    actor = session.get(Actor, actor_id)
    if actor is None or (actor.confidentiality == "restricted" and not trusted):
        return None
    item = actor.model_dump()
    item["shown_name"] = item["name"]
    if actor.confidentiality == "confidential" and not trusted:
        item.update({k: None for k in _PRIVATE_FIELDS}, aliases=[])
        item["name"] = item["shown_name"] = display_name(
            actor.name, actor.pseudonym, actor.confidentiality, show_confidential=False
        )
    item["birth"] = _fmt(item["birth_date"], item["birth_date_precision"])
    visible = visible_cases(show_confidential=trusted)
    detail: dict[str, Any] = {"actor": item}
    detail["memberships"], detail["members"] = _memberships(session, actor_id, trusted)

    cases: dict[uuid.UUID, dict[str, Any]] = {}
    for case, role in session.exec(
        select(Case, CaseParty.role)
        .join(CaseParty, col(CaseParty.case_id) == col(Case.id))
        # Cases brought as complainant can run to thousands: brought() pages them.
        .where(col(CaseParty.actor_id) == actor_id, col(CaseParty.role) != "complainant", visible)
        .order_by(col(Case.opened_on).nulls_last(), col(Case.title))
    ).all():
        entry = cases.setdefault(case.id, {**case_row(case), "roles": []})
        entry["roles"].append(role)
    detail["cases"] = list(cases.values())
    defended = [c["id"] for c in detail["cases"] if "defendant" in c["roles"]]
    detail["charges"] = _charges(session, actor_id, trusted)
    detail["measures"] = [
        {
            **m.model_dump(),
            "case_title": title,
            "ordered": _fmt(m.ordered_on, m.ordered_on_precision),
            "ends": _fmt(m.ends_on, m.ends_on_precision),
            "annulled": _fmt(m.annulled_on, m.annulled_on_precision),
        }
        for m, title in session.exec(
            select(Measure, Case.title)
            .join(Case, col(Case.id) == col(Measure.case_id))
            .where(col(Measure.defendant_id) == actor_id, visible)
            .order_by(col(Measure.ordered_on).nulls_last())
        ).all()
    ]
    detail["hearings"] = [
        {
            **h.model_dump(),
            "case_title": cases[h.case_id]["title"],
            "court": court or "",
            "when": _fmt(h.scheduled_at, h.scheduled_precision),
        }
        for h, court in session.exec(
            select(Hearing, Court.name)
            .outerjoin(Court, col(Court.id) == col(Hearing.court_id))
            .where(col(Hearing.case_id).in_(defended))
            .order_by(col(Hearing.scheduled_at))
        ).all()
    ]
    detail["events"] = [
        {
            **e.model_dump(),
            "case_title": cases[e.case_id]["title"],
            "date": _fmt(e.on_date, e.on_date_precision),
        }
        for e in session.exec(
            select(StageChange)
            .where(col(StageChange.case_id).in_(defended))
            .order_by(col(StageChange.on_date).nulls_first())
        ).all()
    ]
    detail["citations"] = citations_for(
        session,
        [actor_id]
        + [m["id"] for m in detail["memberships"] + detail["charges"] + detail["measures"]],
        show_confidential=trusted,
    )
    return detail


def case_row(case: Case) -> dict[str, Any]:
    """The columns of a case that people's pages list, with its dates as partial dates."""
    return {
        "id": case.id,
        "title": case.title,
        "case_number": case.case_number or "",
        "stage": case.stage,
        "status": case.status,
        "opened_on": case.opened_on,
        "opened_on_precision": case.opened_on_precision,
        "opened": _fmt(case.opened_on, case.opened_on_precision),
        "closed_on": case.closed_on,
        "closed": _fmt(case.closed_on, case.closed_on_precision),
        "is_synthetic": case.is_synthetic,
    }


def _memberships(
    session: Session, actor_id: uuid.UUID, trusted: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Memberships of the actor (with the organization's name) and of its members, one query."""
    other = Actor.__table__.alias("other")  # type: ignore[attr-defined]
    side = col(Membership.member_id) == actor_id
    rows = session.exec(
        select(Membership, name_column(show_confidential=trusted, table=other), side.label("mine"))
        .join(
            other,
            or_(
                and_(side, other.c.id == col(Membership.organization_id)),
                and_(
                    col(Membership.organization_id) == actor_id,
                    other.c.id == col(Membership.member_id),
                ),
            ),
        )
        .where(visible_actors(show_confidential=trusted, table=other))
        .order_by(col(Membership.start_date).nulls_last())
    ).all()
    mine: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for m, name, is_mine in rows:
        entry = {
            **m.model_dump(),
            "other": name,
            "start": _fmt(m.start_date, m.start_date_precision),
            "end": _fmt(m.end_date, m.end_date_precision),
        }
        (mine if is_mine else members).append(entry)
    return mine, members


def _charges(session: Session, actor_id: uuid.UUID, trusted: bool) -> list[dict[str, Any]]:
    """Charges against the actor with their case and who brought each (two queries)."""
    visible = visible_cases(show_confidential=trusted)
    rows = session.exec(
        select(Charge, Case.title)
        .join(Case, col(Case.id) == col(Charge.case_id))
        .where(col(Charge.defendant_id) == actor_id, visible)
        .order_by(col(Charge.filed_on).nulls_last(), col(Charge.charge_type))
    ).all()
    by_charge: dict[uuid.UUID, list[str]] = {}
    complainant = Actor.__table__.alias("complainant")  # type: ignore[attr-defined]
    for charge_id, name in session.exec(
        select(
            ChargeComplainant.charge_id, name_column(show_confidential=trusted, table=complainant)
        )
        .join(complainant, complainant.c.id == col(ChargeComplainant.actor_id))
        .join(Charge, col(Charge.id) == col(ChargeComplainant.charge_id))
        .where(
            col(Charge.defendant_id) == actor_id,
            visible_actors(show_confidential=trusted, table=complainant),
        )
    ).all():
        by_charge.setdefault(charge_id, []).append(name)
    return [
        {
            **c.model_dump(),
            "case_title": title,
            "complainants": sorted(by_charge.get(c.id, [])),
            "filed": _fmt(c.filed_on, c.filed_on_precision),
            "outcome_date": _fmt(c.outcome_on, c.outcome_on_precision),
        }
        for c, title in rows
    ]


def timeline(detail: dict[str, Any], *, today: date) -> list[dict[str, Any]]:
    """The prosecution of a defender as dated events, oldest first, ending with today.

    Each event: date (first day of its period), shown (partial date as known), kind, case
    id and title, and a code or text to label it. Undated records are left out: a timeline
    cannot place them (the tables of the profile still list them).
    """
    events: list[dict[str, Any]] = []

    def add(day: Any, precision: str, kind: str, case_id: Any, what: str) -> None:
        if day is None or precision == "unknown":
            return
        day = day.date() if isinstance(day, datetime) else day
        events.append(
            {
                "date": day,
                "shown": _fmt(day, precision if precision != "time" else "day"),
                "kind": kind,
                "case_id": case_id,
                "what": what,
            }
        )

    titles = {c["id"]: c["title"] for c in detail["cases"]}
    for c in detail["cases"]:
        if "defendant" in c["roles"]:
            add(c["opened_on"], c["opened_on_precision"], "opened", c["id"], "")
    for ch in detail["charges"]:
        add(ch["filed_on"], ch["filed_on_precision"], "charge", ch["case_id"], ch["charge_type"])
        add(
            ch["outcome_on"],
            ch["outcome_on_precision"],
            "outcome",
            ch["case_id"],
            ch["outcome"] or "",
        )
    for m in detail["measures"]:
        add(m["ordered_on"], m["ordered_on_precision"], "measure", m["case_id"], m["kind"])
    for h in detail["hearings"]:
        add(h["scheduled_at"], h["scheduled_precision"], "hearing", h["case_id"], h["hearing_type"])
    for e in detail["events"]:
        add(
            e["on_date"], e["on_date_precision"], "event", e["case_id"], e["to_stage"] or e["event"]
        )
    events.sort(key=lambda e: (e["date"], e["kind"] != "opened"))
    for e in events:
        e["case_title"] = titles.get(e["case_id"], "")
    if events:
        events.append(
            {
                "date": today,
                "shown": today.isoformat(),
                "kind": "today",
                "case_id": None,
                "case_title": "",
                "what": "",
            }
        )
    return events
