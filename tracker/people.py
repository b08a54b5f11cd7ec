"""Read side of people: the defender and actor lists (filtered, sorted and paged in SQL), the
filters' options, and the cases each complainant brought with their outcomes.

A person's page (cases, charges, measures, hearings, timeline) is in tracker.profiles.

Functions return plain dicts. Names go through tracker.privacy in SQL: a viewer gets the
pseudonym of a confidential person and never a restricted person or case.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, distinct, func, or_, union
from sqlmodel import Session, col, select

from . import privacy
from .casework import contains
from .models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Membership,
    VocabularyTerm,
)
from .privacy import name_column, visible_actors, visible_cases
from .profiles import case_row

CASE_STATES = ("open", "closed", "none", "pending")
SORTS = ("name", "cases", "region", "updated")
ORG_KINDS = ("organization", "group", "company", "public_body")


@dataclass(frozen=True)
class PeopleFilters:
    """What the defender and actor lists can be filtered by; None means no filter."""

    text: str | None = None
    defenders_only: bool = False
    kind: str | None = None
    region: str | None = None
    right: str | None = None
    organization_id: uuid.UUID | None = None
    case_state: str | None = None  # CASE_STATES, of the cases where the actor is a defendant
    party_role: str | None = None
    category: str | None = None
    include_synthetic: bool = True


def _defendants(trusted: bool, *extra: Any) -> Any:
    """Ids of the defendants of visible cases (matching ``extra``), as a subquery.

    IN over one uncorrelated subquery: SQLite ran the correlated EXISTS form once per actor
    through the wrong index (minutes at scale M).
    """
    return (
        select(CaseParty.actor_id)
        .join(Case, col(Case.id) == col(CaseParty.case_id))
        .where(col(CaseParty.role) == "defendant", visible_cases(show_confidential=trusted), *extra)
    )


def _conditions(f: PeopleFilters, trusted: bool) -> list[Any]:
    shown = name_column(show_confidential=trusted)
    conds: list[Any] = [visible_actors(show_confidential=trusted)]
    if f.text:
        text = f.text.strip()
        if trusted:
            searched = (Actor.name, Actor.pseudonym, Actor.id_number)
            conds.append(
                or_(
                    *(contains(col(c), text) for c in searched),
                    contains(cast(col(Actor.aliases), String), text),
                )
            )
        else:  # only what a viewer sees: the pseudonym, never the name behind it
            conds.append(contains(shown, text))
    if f.defenders_only:
        conds.append(col(Actor.is_defender).is_(True))
    for column, value in ((Actor.kind, f.kind), (Actor.region, f.region)):
        if value:
            conds.append(col(column) == value)
    if f.category:
        conds.append(col(Actor.complainant_category) == f.category)
    if f.right:
        # JSON lists are stored as text on both databases: match the quoted code.
        conds.append(
            cast(col(Actor.rights_defended), String).contains(f'"{f.right}"', autoescape=True)
        )
    if not f.include_synthetic:
        conds.append(col(Actor.is_synthetic).is_(False))
    member = col(Actor.id).in_
    if f.organization_id:
        org = col(Membership.organization_id) == f.organization_id
        conds.append(member(select(Membership.member_id).where(org)))
    if f.party_role:
        conds.append(member(select(CaseParty.actor_id).where(col(CaseParty.role) == f.party_role)))
    if f.case_state in ("open", "closed"):
        conds.append(member(_defendants(trusted, col(Case.status) == f.case_state)))
    if f.case_state == "closed":  # every case closed: none still open or unknown
        conds.append(~member(_defendants(trusted, col(Case.status) != "closed")))
    elif f.case_state == "none":
        conds.append(~member(_defendants(trusted)))
    elif f.case_state == "pending":
        pending = (
            select(Charge.defendant_id)
            .join(Case, col(Case.id) == col(Charge.case_id))
            .where(col(Charge.status) == "pending", visible_cases(show_confidential=trusted))
        )
        conds.append(member(pending))
    return conds


def people_list(
    session: Session,
    filters: PeopleFilters,
    *,
    show_confidential: bool,
    sort: str = "name",
    page: int = 0,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of actors matching ``filters`` and the total; filtering and paging run in SQL.

    Each row carries the shown name, kind, region, rights, organizations and case figures:
    cases (any role), as defendant, open as defendant, pending charges, cases brought.
    """
    trusted = show_confidential
    shown = name_column(show_confidential=trusted)
    conds = _conditions(filters, trusted)
    total = session.exec(select(func.count()).select_from(Actor).where(*conds)).one()
    n_cases = select(func.count()).where(col(CaseParty.actor_id) == col(Actor.id)).scalar_subquery()
    orders: dict[str, list[Any]] = {
        "name": [shown],
        "cases": [n_cases.desc(), shown],
        "region": [col(Actor.region).nulls_last(), shown],
        "updated": [col(Actor.updated_at).desc()],
    }
    order = orders[sort if sort in SORTS else "name"]
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            Actor.id, shown, Actor.kind, Actor.region, Actor.rights_defended, Actor.is_synthetic
        )
        .where(*conds)
        .order_by(*order, col(Actor.id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    ids = [r[0] for r in rows]
    stats = _list_stats(session, ids, trusted)
    out = []
    for actor_id, name, kind, region, rights, synthetic in rows:
        item = {"id": actor_id, "name": name, "kind": kind, "region": region or ""}
        item.update(rights_defended=list(rights or []), is_synthetic=synthetic)
        out.append({**item, **stats.get(actor_id, _no_stats())})
    return privacy.redactor(session, show_confidential=trusted).value(out), int(total)


def _no_stats() -> dict[str, Any]:
    return {"cases": 0, "defendant": 0, "open": 0, "pending": 0, "brought": 0, "orgs": []}


def _list_stats(
    session: Session, ids: list[uuid.UUID], trusted: bool
) -> dict[uuid.UUID, dict[str, Any]]:
    """Case figures and organizations of one page of actors, in four grouped queries."""
    stats: dict[uuid.UUID, dict[str, Any]] = {i: _no_stats() for i in ids}
    if not ids:
        return stats
    visible = visible_cases(show_confidential=trusted)
    parties = session.exec(
        select(CaseParty.actor_id, CaseParty.role, Case.status, func.count(distinct(col(Case.id))))
        .join(Case, col(Case.id) == col(CaseParty.case_id))
        .where(col(CaseParty.actor_id).in_(ids), visible)
        .group_by(col(CaseParty.actor_id), col(CaseParty.role), col(Case.status))
    ).all()
    for actor_id, role, status, n in parties:
        stats[actor_id]["cases"] += n  # an actor rarely holds two roles in one case
        if role == "defendant":
            stats[actor_id]["defendant"] += n
            stats[actor_id]["open"] += n if status == "open" else 0
    pending = session.exec(
        select(Charge.defendant_id, func.count())
        .join(Case, col(Case.id) == col(Charge.case_id))
        .where(col(Charge.defendant_id).in_(ids), col(Charge.status) == "pending", visible)
        .group_by(col(Charge.defendant_id))
    ).all()
    for actor_id, n in pending:
        stats[actor_id]["pending"] = n
    brought = _brought_pairs(ids)
    for actor_id, n in session.exec(
        select(brought.c.actor_id, func.count(distinct(brought.c.case_id)))
        .join(Case, col(Case.id) == brought.c.case_id)
        .where(visible)
        .group_by(brought.c.actor_id)
    ).all():
        stats[actor_id]["brought"] = n
    org = Actor.__table__.alias("org")  # type: ignore[attr-defined]
    for member_id, org_name in session.exec(
        select(Membership.member_id, name_column(show_confidential=trusted, table=org))
        .join(org, org.c.id == col(Membership.organization_id))
        .where(
            col(Membership.member_id).in_(ids), visible_actors(show_confidential=trusted, table=org)
        )
        .order_by(org.c.name)
    ).all():
        stats[member_id]["orgs"].append(org_name)
    return stats


def _brought_pairs(ids: list[uuid.UUID]) -> Any:
    """(actor_id, case_id) of the cases the actors brought: as complainant party or on a charge."""
    as_party = select(CaseParty.actor_id, CaseParty.case_id).where(
        col(CaseParty.actor_id).in_(ids), col(CaseParty.role) == "complainant"
    )
    on_charge = (
        select(col(ChargeComplainant.actor_id), col(Charge.case_id))
        .join(Charge, col(Charge.id) == col(ChargeComplainant.charge_id))
        .where(col(ChargeComplainant.actor_id).in_(ids))
    )
    return union(as_party, on_charge).subquery("brought")


def regions(session: Session, *, defenders_only: bool) -> list[str]:
    """The distinct regions of actors (of defenders only, if asked), for the filter."""
    query = select(Actor.region).where(col(Actor.region).isnot(None)).distinct()
    if defenders_only:
        query = query.where(col(Actor.is_defender).is_(True))
    return sorted(r for r in session.exec(query).all() if r)


def organizations(session: Session, *, show_confidential: bool) -> dict[uuid.UUID, str]:
    """Organizations and groups that have members: id -> shown name."""
    shown = name_column(show_confidential=show_confidential)
    rows = session.exec(
        select(Actor.id, shown)
        .where(
            visible_actors(show_confidential=show_confidential),
            # IN over one uncorrelated subquery, not a correlated EXISTS per actor.
            col(Actor.id).in_(select(Membership.organization_id)),
        )
        .order_by(shown)
    ).all()
    return privacy.redactor(session, show_confidential=show_confidential).value(
        {i: n for i, n in rows}
    )


def labels_of(
    session: Session, vocabularies: tuple[str, ...], lang: str
) -> dict[str, dict[str, str]]:
    """vocabulary -> code -> label for several vocabularies in one query."""
    label = VocabularyTerm.label_es if lang == "es" else VocabularyTerm.label_en
    out: dict[str, dict[str, str]] = {v: {} for v in vocabularies}
    for vocabulary, code, text in session.exec(
        select(VocabularyTerm.vocabulary, VocabularyTerm.code, label)
        .where(col(VocabularyTerm.vocabulary).in_(vocabularies))
        .order_by(col(VocabularyTerm.sort_order), col(VocabularyTerm.code))
    ).all():
        out[vocabulary][code] = text
    return out


def brought(
    session: Session,
    actor_id: uuid.UUID,
    *,
    show_confidential: bool,
    page: int = 0,
    page_size: int = 50,
) -> dict[str, Any]:
    """The cases an actor brought (complainant of the case or of a charge) and how they ended.

    Returns {"total", "cases" (one page, newest first, each with its charges by outcome and
    its defendants), "outcomes" (charges by outcome over all of them), "defendants" (distinct
    people prosecuted)}. Paged in SQL: a large complainant can have brought thousands.
    """
    visible = visible_cases(show_confidential=show_confidential)
    pairs = _brought_pairs([actor_id])
    in_brought = col(Case.id).in_(select(pairs.c.case_id))
    total = session.exec(select(func.count()).select_from(Case).where(in_brought, visible)).one()
    cases = session.exec(
        select(Case)
        .where(in_brought, visible)
        .order_by(col(Case.opened_on).desc().nulls_last(), col(Case.id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    ids = [c.id for c in cases]
    per_case: dict[uuid.UUID, Counter[str]] = {i: Counter() for i in ids}
    outcomes: Counter[str] = Counter()
    for case_id, outcome, n in session.exec(
        select(Charge.case_id, Charge.outcome, func.count())
        .join(Case, col(Case.id) == col(Charge.case_id))
        .where(in_brought, visible)
        .group_by(col(Charge.case_id), col(Charge.outcome))
    ).all():
        outcomes[outcome or ""] += n  # "" stands for "no outcome yet"
        if case_id in per_case:
            per_case[case_id][outcome or ""] += n
    defendants = session.exec(
        select(func.count(distinct(col(CaseParty.actor_id))))
        .join(Case, col(Case.id) == col(CaseParty.case_id))
        .where(in_brought, visible, col(CaseParty.role) == "defendant")
    ).one()
    out = {
        "total": int(total),
        "cases": [{**case_row(c), "outcomes": dict(per_case[c.id])} for c in cases],
        "outcomes": dict(outcomes),
        "defendants": int(defendants),
    }
    return privacy.redactor(session, show_confidential=show_confidential).value(out)
