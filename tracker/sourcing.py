"""Read side of the Sources page: the list of sources (searched and paged in SQL) and, for one
source, the facts it supports (its citations, each described by the record it is attached to).

A citation may point at any audited record. Each kind of record is described in one query,
with the names of people through tracker.privacy: a viewer sees pseudonyms, and citations of
restricted people or cases are left out for them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import false, literal, or_
from sqlmodel import Session, col, func, select

from . import dates, privacy
from .casework import contains
from .models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    Citation,
    Court,
    Hearing,
    Measure,
    Membership,
    SentenceRequest,
    Source,
    StageChange,
)
from .privacy import (
    name_column,
    names_withheld_person,
    shown_source,
    visible_actors,
    visible_cases,
    visible_source_text,
)

# Records that belong to a case, with the column holding the person they concern (if any)
# and the coded column that says what they are (vocabulary, column).
_CASE_RECORDS: dict[str, tuple[Any, Any, tuple[str, Any]]] = {
    "case_party": (CaseParty, CaseParty.actor_id, ("party_role", CaseParty.role)),
    "charge": (Charge, Charge.defendant_id, ("charge_type", Charge.charge_type)),
    "measure": (Measure, Measure.defendant_id, ("measure_kind", Measure.kind)),
    "hearing": (Hearing, None, ("hearing_type", Hearing.hearing_type)),
    "stage_change": (StageChange, None, ("court_event", StageChange.event)),
}


def source_list(
    session: Session,
    *,
    show_confidential: bool,
    text: str | None = None,
    reliability: str | None = None,
    page: int = 0,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of sources (newest publication first) and the total, with citation counts.

    A restricted source is listed for a viewer as "a restricted source": its title, address
    and notes are neither shown nor searched.
    Titles, notes and URLs are redacted (tracker.privacy) unless ``show_confidential``.
    """
    conds: list[Any] = []
    if text:
        searched = (Source.title, Source.publisher, Source.url, Source.key)
        conds.append(or_(*(contains(col(c), text.strip()) for c in searched)))
        conds.append(visible_source_text(show_confidential=show_confidential))
        if not show_confidential and names_withheld_person(session, text):
            conds.append(false())  # which titles match would tell who a pseudonym is
    if reliability:
        conds.append(col(Source.reliability) == reliability)
    total = session.exec(select(func.count()).select_from(Source).where(*conds)).one()
    cited = select(func.count()).where(col(Citation.source_id) == col(Source.id)).scalar_subquery()
    rows = session.exec(
        select(Source, cited)
        .where(*conds)
        .order_by(col(Source.published_on).desc().nulls_last(), col(Source.title), col(Source.id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    out = [
        {**source_row(s, show_confidential=show_confidential), "citations": int(n)}
        for s, n in rows
    ]
    return privacy.redactor(session, show_confidential=show_confidential).value(out), int(total)


def source_row(source: Source, *, show_confidential: bool) -> dict[str, Any]:
    """A source as a dict as this viewer may see it, with its publication date shown as
    partial as it is known."""
    row = {
        **source.model_dump(),
        "published": dates.format_partial(source.published_on, source.published_on_precision),
    }
    return shown_source(row, show_confidential=show_confidential)


def source_detail(
    session: Session, source_id: uuid.UUID, *, show_confidential: bool
) -> dict[str, Any] | None:
    """One source as a dict as this viewer may see it (redacted), or None."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    return privacy.redactor(session, show_confidential=show_confidential).value(
        source_row(source, show_confidential=show_confidential)
    )


def source_citations(
    session: Session, source_id: uuid.UUID, *, show_confidential: bool
) -> list[dict[str, Any]]:
    """What the source supports: one dict per citation the viewer may see.

    Each: id, version_id, supports, table_name, row_id, case_id and case_title (for records
    of a case), person (a shown name, when the record concerns one), when (a date), and
    (vocabulary, code) saying what the record is. One query for the citations, then one per
    kind of record cited.
    """
    citations = session.exec(
        select(Citation).where(col(Citation.source_id) == source_id).order_by(col(Citation.id))
    ).all()
    by_table: dict[str, list[uuid.UUID]] = defaultdict(list)
    for c in citations:
        by_table[c.table_name].append(c.row_id)
    described: dict[uuid.UUID, dict[str, Any]] = {}
    for table, ids in by_table.items():
        described.update(_describe(session, table, ids, show_confidential))
    out = []
    for c in citations:
        if c.row_id in described:  # else hidden from this viewer, or gone
            out.append(
                {
                    "id": c.id,
                    "version_id": c.version_id,
                    "supports": c.supports or "",
                    "table_name": c.table_name,
                    "row_id": c.row_id,
                    **described[c.row_id],
                }
            )
    # A stable order: the page's pickers keep their choice from one run to the next.
    out = privacy.redactor(session, show_confidential=show_confidential).value(out)
    return sorted(
        out, key=lambda d: (d.get("case_title", ""), d["table_name"], d.get("person", ""))
    )


def _describe(
    session: Session, table: str, ids: list[uuid.UUID], trusted: bool
) -> dict[uuid.UUID, dict[str, Any]]:
    """Describe the records ``ids`` of ``table`` (one query); hidden ones are left out."""
    shown = name_column(show_confidential=trusted)
    if table == "court_case":
        rows = session.exec(
            select(Case.id, Case.title).where(
                col(Case.id).in_(ids), visible_cases(show_confidential=trusted)
            )
        ).all()
        return {i: {"case_id": i, "case_title": title} for i, title in rows}
    if table == "actor":
        rows = session.exec(
            select(Actor.id, shown).where(
                col(Actor.id).in_(ids), visible_actors(show_confidential=trusted)
            )
        ).all()
        return {i: {"person": name} for i, name in rows}
    if table == "court":
        names = session.exec(select(Court.id, Court.name).where(col(Court.id).in_(ids))).all()
        return {i: {"person": name} for i, name in names}
    if table == "membership":
        org = Actor.__table__.alias("org")  # type: ignore[attr-defined]
        org_name = name_column(show_confidential=trusted, table=org)
        links = session.exec(
            select(Membership.id, shown, org_name)
            .join(Actor, col(Actor.id) == col(Membership.member_id))
            .join(org, org.c.id == col(Membership.organization_id))
            .where(
                col(Membership.id).in_(ids),
                visible_actors(show_confidential=trusted),
                visible_actors(show_confidential=trusted, table=org),
            )
        ).all()
        return {i: {"person": f"{member} → {organization}"} for i, member, organization in links}
    if table in _CASE_RECORDS:
        return _describe_case_records(session, table, ids, trusted)
    if table == "sentence_request":
        rows = session.exec(
            select(SentenceRequest.id, Case.id, Case.title)
            .join(Case, col(Case.id) == col(SentenceRequest.case_id))
            .where(col(SentenceRequest.id).in_(ids), visible_cases(show_confidential=trusted))
        ).all()
        return {i: {"case_id": c, "case_title": title} for i, c, title in rows}
    return {i: {} for i in ids}  # vocabulary terms, courts' own sources...: the kind says it


def _describe_case_records(
    session: Session, table: str, ids: list[uuid.UUID], trusted: bool
) -> dict[uuid.UUID, dict[str, Any]]:
    model, person_column, (vocabulary, coded) = _CASE_RECORDS[table]
    person = name_column(show_confidential=trusted) if person_column is not None else literal(None)
    when = {"hearing": Hearing.scheduled_at, "stage_change": StageChange.on_date}.get(table)
    query = (
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            model.id,
            Case.id,
            Case.title,
            coded,
            person,
            when if when is not None else literal(None),
        )
        .join(Case, col(Case.id) == col(model.case_id))
        .where(col(model.id).in_(ids), visible_cases(show_confidential=trusted))
    )
    if person_column is not None:
        query = query.join(Actor, col(Actor.id) == person_column).where(
            visible_actors(show_confidential=trusted)
        )
    out: dict[uuid.UUID, dict[str, Any]] = {}
    for row_id, case_id, title, code, name, day in session.exec(query).all():
        out[row_id] = {"case_id": case_id, "case_title": title, "code": (vocabulary, code)}
        if name is not None:
            out[row_id]["person"] = name
        if day is not None:
            out[row_id]["when"] = str(day)[:16]
    return out


def memberships_of(
    session: Session, actor_id: uuid.UUID, *, show_confidential: bool
) -> dict[uuid.UUID, str]:
    """The memberships of one actor, to cite a source for: id -> organization's shown name."""
    shown = name_column(show_confidential=show_confidential)
    rows = session.exec(
        select(Membership.id, shown)
        .join(Actor, col(Actor.id) == col(Membership.organization_id))
        .where(
            col(Membership.member_id) == actor_id,
            visible_actors(show_confidential=show_confidential),
        )
    ).all()
    return privacy.redactor(session, show_confidential=show_confidential).value(
        {i: name for i, name in rows}
    )
