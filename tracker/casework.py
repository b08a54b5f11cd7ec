"""Read side of case work: the case list (filtered, sorted and paged in SQL) and a case's page.

Functions return plain dicts; names of people pass through tracker.privacy in SQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, false, func, or_
from sqlmodel import Session, col, select

from . import dates, privacy
from .citing import citations_for
from .i18n import t
from .models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Court,
    Hearing,
    Measure,
    SentenceRequest,
    Source,
    StageChange,
)
from .privacy import name_column, visible_actors, visible_cases

SORTS: dict[str, tuple[Any, ...]] = {
    "updated": (col(Case.updated_at).desc(),),
    "opened": (col(Case.opened_on).desc().nulls_last(),),
    "title": (col(Case.title),),
    # Documented cases before synthetic ones: what the dashboard shows first.
    "documented": (col(Case.is_synthetic), col(Case.updated_at).desc()),
}


def contains(column: Any, text: str) -> Any:
    """Case-insensitive "contains ``text``" where % and _ typed by a user match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


@dataclass(frozen=True)
class CaseFilters:
    """What a user can filter the case list by; None means no filter."""

    status: str | None = None
    stage: str | None = None
    region: str | None = None
    context: str | None = None
    complainant_id: uuid.UUID | None = None
    charge_type: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    text: str | None = None
    include_synthetic: bool = True


def _case_conditions(filters: CaseFilters, show_restricted: bool) -> list[Any]:
    conditions: list[Any] = [visible_cases(show_confidential=show_restricted)]
    if filters.status:
        conditions.append(Case.status == filters.status)
    if filters.stage:
        conditions.append(Case.stage == filters.stage)
    if filters.region:
        conditions.append(Case.region == filters.region)
    if filters.context:
        conditions.append(contains(col(Case.context), filters.context))
    if filters.text:
        conditions.append(
            or_(
                contains(col(Case.title), filters.text),
                contains(col(Case.case_number), filters.text),
            )
        )
    if filters.opened_from:
        conditions.append(col(Case.opened_on) >= filters.opened_from)
    if filters.opened_to:
        conditions.append(col(Case.opened_on) <= filters.opened_to)
    if not filters.include_synthetic:
        conditions.append(Case.is_synthetic == False)  # noqa: E712
    if filters.charge_type:
        conditions.append(
            exists().where(
                col(Charge.case_id) == col(Case.id),
                col(Charge.charge_type) == filters.charge_type,
            )
        )
    if filters.complainant_id:
        conditions.append(
            exists().where(
                col(CaseParty.case_id) == col(Case.id),
                col(CaseParty.actor_id) == filters.complainant_id,
                col(CaseParty.role) == "complainant",
            )
        )
    return conditions


# The columns a case-list row carries (no ORM objects: a page of rows is plain data).
LIST_COLUMNS: tuple[Any, ...] = (
    Case.id,
    Case.title,
    Case.case_number,
    Case.stage,
    Case.status,
    Case.region,
    Case.opened_on,
    Case.opened_on_precision,
    Case.is_synthetic,
)


def case_list(
    session: Session,
    filters: CaseFilters,
    *,
    show_restricted: bool,
    sort: str = "updated",
    page: int = 0,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of cases matching ``filters`` and the total count; paging happens in SQL.

    The page's ids are chosen first (filter, sort, limit) and the defendant and charge
    counts are computed for those rows only: counted in the same SELECT as the sort, they
    would be computed for every matching case before the sort (seconds at scale L).
    """
    conditions = _case_conditions(filters, show_restricted)
    if filters.text and not show_restricted and privacy.names_withheld_person(session, filters.text):
        conditions.append(false())  # which titles match would tell who a pseudonym is
    total = session.exec(select(func.count()).select_from(Case).where(*conditions)).one()
    order = SORTS.get(sort, SORTS["updated"])
    chosen = (
        select(col(Case.id).label("id"))
        .where(*conditions)
        .order_by(*order, col(Case.id))
        .offset(page * page_size)
        .limit(page_size)
        .subquery("chosen")
    )
    defendants = (
        select(func.count())
        .where(col(CaseParty.case_id) == col(Case.id), CaseParty.role == "defendant")
        .scalar_subquery()
    )
    charges = select(func.count()).where(col(Charge.case_id) == col(Case.id)).scalar_subquery()
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            *LIST_COLUMNS, defendants.label("defendants"), charges.label("charges")
        )
        .join(chosen, chosen.c.id == col(Case.id))
        .order_by(*order, col(Case.id))
    ).all()
    out = []
    names = [c.key for c in LIST_COLUMNS]
    for row in rows:
        item = dict(zip(names, row, strict=False))
        item["opened"] = dates.format_partial(item["opened_on"], item["opened_on_precision"])
        item["defendants"] = int(row[-2])
        item["charges"] = int(row[-1])
        out.append(item)
    return privacy.redactor(session, show_confidential=show_restricted).value(out), int(total)


def labelled(rows: list[dict[str, Any]], stages: dict[str, str]) -> list[dict[str, Any]]:
    """Case-list rows as a table with headers and values in the current language."""
    return [
        {
            t("field.title"): r["title"],
            t("field.case_number"): r["case_number"] or "",
            t("field.stage"): stages.get(r["stage"], r["stage"]),
            t("field.status"): t(f"status.{r['status']}"),
            t("field.region"): r["region"] or "",
            t("field.opened_on"): r["opened"],
            t("dashboard.col.defendants"): r["defendants"],
            t("dashboard.col.charges"): r["charges"],
            t("dashboard.col.data"): t("data.synthetic")
            if r["is_synthetic"]
            else t("data.documented"),
        }
        for r in rows
    ]


def regions(session: Session) -> list[str]:
    """The distinct regions of cases, for the filter."""
    rows = session.exec(select(Case.region).where(col(Case.region).isnot(None)).distinct()).all()
    return sorted(r for r in rows if r)


def search_actors(
    session: Session,
    text: str,
    *,
    show_confidential: bool,
    kinds: tuple[str, ...] | None = None,
    limit: int = 50,
) -> dict[uuid.UUID, str]:
    """Actors whose shown name (or pseudonym) contains ``text``: id -> shown name."""
    shown = name_column(show_confidential=show_confidential)
    query = select(Actor.id, shown).where(visible_actors(show_confidential=show_confidential))
    if text:
        query = query.where(contains(shown, text))
    if kinds:
        query = query.where(col(Actor.kind).in_(kinds))
    rows = session.exec(query.order_by(shown).limit(limit)).all()
    return privacy.redactor(session, show_confidential=show_confidential).value(
        {row_id: name for row_id, name in rows}
    )


def courts(session: Session, *, show_confidential: bool = False) -> dict[uuid.UUID, str]:
    """Every court and prosecutor's office: id -> name (redacted unless ``show_confidential``)."""
    rows = session.exec(select(Court.id, Court.name).order_by(col(Court.name))).all()
    return privacy.redactor(session, show_confidential=show_confidential).value(
        {i: n for i, n in rows}
    )


def source_titles(session: Session, limit: int = 1000) -> dict[uuid.UUID, str]:
    """Sources to cite, newest first: id -> title (with publisher)."""
    rows = session.exec(
        select(Source.id, Source.title, Source.publisher)
        .order_by(col(Source.created_at).desc())
        .limit(limit)
    ).all()
    return {i: f"{title} ({publisher})" if publisher else title for i, title, publisher in rows}


def _dated(item: dict[str, Any], name: str, precision: str | None = None) -> str:
    return dates.format_partial(item.get(name), item.get(precision or f"{name}_precision"))


def case_detail(
    session: Session, case_id: uuid.UUID, *, show_confidential: bool
) -> dict[str, Any] | None:
    """Everything the case page shows, in a handful of queries (one per kind of record)."""
    case = session.get(Case, case_id)
    if case is None or (case.confidentiality == "restricted" and not show_confidential):
        return None
    detail: dict[str, Any] = {"case": case.model_dump()}
    detail["case"]["opened"] = _dated(detail["case"], "opened_on")
    detail["case"]["closed"] = _dated(detail["case"], "closed_on")
    court = session.get(Court, case.court_id) if case.court_id else None
    detail["case"]["court"] = court.name if court else ""
    shown = name_column(show_confidential=show_confidential)
    visible = visible_actors(show_confidential=show_confidential)

    parties = session.exec(
        select(CaseParty, shown, Actor.kind)
        .join(Actor, col(Actor.id) == col(CaseParty.actor_id))
        .where(CaseParty.case_id == case_id, visible)
        .order_by(col(CaseParty.role), shown)
    ).all()
    detail["parties"] = [
        {**p.model_dump(), "name": name, "kind": kind} for p, name, kind in parties
    ]

    complainant = Actor.__table__.alias("complainant")  # type: ignore[attr-defined]
    charges = session.exec(
        select(Charge, shown)
        .join(Actor, col(Actor.id) == col(Charge.defendant_id))
        .where(Charge.case_id == case_id, visible)
        .order_by(shown, col(Charge.charge_type))
    ).all()
    links = session.exec(
        select(
            ChargeComplainant.charge_id,
            name_column(show_confidential=show_confidential, table=complainant),
        )
        .join(complainant, complainant.c.id == col(ChargeComplainant.actor_id))
        .join(Charge, col(Charge.id) == col(ChargeComplainant.charge_id))
        .where(
            Charge.case_id == case_id,
            visible_actors(show_confidential=show_confidential, table=complainant),
        )
    ).all()
    by_charge: dict[uuid.UUID, list[str]] = {}
    for charge_id, name in links:
        by_charge.setdefault(charge_id, []).append(name)
    detail["charges"] = [
        {
            **c.model_dump(),
            "defendant": name,
            "complainants": sorted(by_charge.get(c.id, [])),
            "filed": dates.format_partial(c.filed_on, c.filed_on_precision),
            "outcome_date": dates.format_partial(c.outcome_on, c.outcome_on_precision),
        }
        for c, name in charges
    ]
    measures = session.exec(
        select(Measure, shown)
        .join(Actor, col(Actor.id) == col(Measure.defendant_id))
        .where(Measure.case_id == case_id, visible)
        .order_by(col(Measure.ordered_on))
    ).all()
    detail["measures"] = [
        {
            **m.model_dump(),
            "defendant": name,
            "ordered": dates.format_partial(m.ordered_on, m.ordered_on_precision),
            "ends": dates.format_partial(m.ends_on, m.ends_on_precision),
            "annulled": dates.format_partial(m.annulled_on, m.annulled_on_precision),
        }
        for m, name in measures
    ]
    hearings = session.exec(
        select(Hearing, Court.name)
        .outerjoin(Court, col(Court.id) == col(Hearing.court_id))
        .where(Hearing.case_id == case_id)
        .order_by(col(Hearing.scheduled_at))
    ).all()
    detail["hearings"] = [
        {
            **h.model_dump(),
            "court": court_name or "",
            "when": dates.format_partial(h.scheduled_at, h.scheduled_precision),
        }
        for h, court_name in hearings
    ]
    events = session.exec(
        select(StageChange)
        .where(StageChange.case_id == case_id)
        .order_by(col(StageChange.on_date).nulls_first(), col(StageChange.created_at))
    ).all()
    detail["events"] = [
        {**e.model_dump(), "date": dates.format_partial(e.on_date, e.on_date_precision)}
        for e in events
    ]
    detail["requests"] = _requests(session, case_id, show_confidential)
    detail["citations"] = _citations(session, detail, show_confidential)
    # Every free text of the page (title, summary, notes, citation lines, source URLs).
    return privacy.redactor(session, show_confidential=show_confidential).value(detail)


def _citations(
    session: Session, detail: dict[str, Any], trusted: bool
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Sources cited by the case and by each record shown on its page: row id -> sources."""
    ids = [detail["case"]["id"]]
    for kind in ("parties", "charges", "measures", "hearings", "events", "requests"):
        ids += [item["id"] for item in detail[kind]]
    return citations_for(session, ids, show_confidential=trusted)


def _requests(session: Session, case_id: uuid.UUID, trusted: bool) -> list[dict[str, Any]]:
    """The case's sentence and reparation requests, oldest first (undated last), with who
    asked and for whom as this viewer may see them; a request for a hidden person is left out."""
    by = Actor.__table__.alias("requested_by")  # type: ignore[attr-defined]
    for_ = Actor.__table__.alias("defendant")  # type: ignore[attr-defined]
    rows = session.exec(
        select(  # type: ignore[call-overload]
            SentenceRequest,
            name_column(show_confidential=trusted, table=by),
            name_column(show_confidential=trusted, table=for_),
        )
        .outerjoin(by, by.c.id == col(SentenceRequest.requested_by_id))
        .outerjoin(for_, for_.c.id == col(SentenceRequest.defendant_id))
        .where(
            SentenceRequest.case_id == case_id,
            or_(by.c.id.is_(None), visible_actors(show_confidential=trusted, table=by)),
            or_(for_.c.id.is_(None), visible_actors(show_confidential=trusted, table=for_)),
        )
        .order_by(col(SentenceRequest.requested_on).nulls_last(), col(SentenceRequest.id))
    ).all()
    return [
        {
            **r.model_dump(),
            "when": dates.format_partial(r.requested_on, r.requested_on_precision),
            "by": by_name or "",
            "for": for_name,
        }
        for r, by_name, for_name in rows
    ]
