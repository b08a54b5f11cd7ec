"""What the first page shows: key figures, hearings ahead, cases, recent changes.

Each function runs one or two aggregate queries and returns plain data (no ORM objects), so
the page stays thin and the numbers can be tested without Streamlit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, distinct, func, or_
from sqlmodel import Session, col, select

from . import dates
from .casework import CaseFilters, case_list, labelled
from .i18n import t
from .analysis.outcomes import OUTCOME_CLASS, PENDING, outcome_class
from .models import Actor, AuditLog, Case, Charge, Court, Hearing, VocabularyTerm
from .models.enums import CASE_STATUSES
from .privacy import visible_cases
from .services.vocabulary import labels


def final_outcomes(session: Session) -> list[str]:
    """Outcome codes that end a charge (unfounded or conviction), children included: the
    indicators' rule (tracker.analysis.outcomes), so both pages count the same defenders."""
    parents = dict(
        session.exec(
            select(VocabularyTerm.code, VocabularyTerm.parent_code).where(
                VocabularyTerm.vocabulary == "outcome"
            )
        ).all()
    )
    codes = set(parents) | set(OUTCOME_CLASS)
    return sorted(c for c in codes if outcome_class(c, parents) != PENDING)


def key_figures(session: Session, *, today: date, days: int = 30) -> dict[str, int]:
    """Cases by status (unknown included), defenders still prosecuted, hearings ahead and
    overdue.

    A defender is still prosecuted while any charge against them has no final outcome
    (none recorded, "unknown", or an acquittal overturned): the indicators' definition. A
    charge's status field is not used: the documented cases often leave it "unknown".
    """
    start = datetime.combine(today, datetime.min.time())
    by_status = dict(
        session.exec(select(Case.status, func.count()).group_by(col(Case.status))).all()
    )
    final = final_outcomes(session)
    prosecuted = session.exec(
        select(func.count(distinct(col(Charge.defendant_id))))
        .join(Actor, col(Actor.id) == col(Charge.defendant_id))
        .where(
            col(Actor.is_defender),
            or_(col(Charge.outcome).is_(None), col(Charge.outcome).not_in(final)),
        )
    ).one()
    ahead, overdue = session.exec(
        select(
            func.count().filter(
                and_(
                    col(Hearing.scheduled_at) >= start,
                    col(Hearing.scheduled_at) < start + timedelta(days=days + 1),
                )
            ),
            func.count().filter(
                and_(col(Hearing.scheduled_at) < start, col(Hearing.result).is_(None))
            ),
        )
    ).one()
    return {
        "cases": int(sum(by_status.values())),
        **{f"{status}_cases": int(by_status.get(status, 0)) for status in CASE_STATUSES},
        "defenders_prosecuted": int(prosecuted),
        "hearings_ahead": int(ahead or 0),
        "hearings_overdue": int(overdue or 0),
    }


def upcoming_hearings(
    session: Session,
    *,
    today: date,
    lang: str,
    show_restricted: bool,
    days: int = 30,
    limit: int = 100,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Hearings from today through the next ``days`` days, soonest first, and their cases'
    ids (row by row, so a click on a row can open its case)."""
    start = datetime.combine(today, datetime.min.time())
    types = labels(session, "hearing_type", lang)
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            Hearing.scheduled_at,
            Hearing.scheduled_precision,
            Hearing.hearing_type,
            Case.id,
            Case.title,
            Case.case_number,
            Court.name,
        )
        .join(Case, col(Case.id) == col(Hearing.case_id))
        .outerjoin(Court, col(Court.id) == col(Hearing.court_id))
        .where(
            col(Hearing.scheduled_at) >= start,
            col(Hearing.scheduled_at) < start + timedelta(days=days + 1),
            visible_cases(show_confidential=show_restricted),
        )
        .order_by(col(Hearing.scheduled_at))
        .limit(limit)
    ).all()
    shown = [
        {
            t("dashboard.col.when"): dates.format_partial(at, precision),
            t("dashboard.col.case"): title,
            t("field.case_number"): number or "",
            t("field.hearing_type"): types.get(kind, kind),
            t("field.court_id"): court or "",
        }
        for at, precision, kind, _case, title, number, court in rows
    ]
    return shown, [row[3] for row in rows]


def cases_overview(
    session: Session, *, lang: str, show_restricted: bool, limit: int = 25
) -> tuple[list[dict[str, Any]], list[Any]]:
    """The latest cases, documented ones first, with their defendant and charge counts; and
    their ids, row by row."""
    stages = labels(session, "stage", lang)
    rows, _total = case_list(
        session, CaseFilters(), show_restricted=show_restricted, sort="documented", page_size=limit
    )
    return labelled(rows, stages), [r["id"] for r in rows]


def record_kind(table: str) -> str:
    """A record kind as users name it ("Case", "Hearing"), not its table's name."""
    return t("record.case" if table == "court_case" else f"record.{table}").capitalize()


# Not case work: logins and account changes are on the Admin page's audit log.
_NOT_CHANGES = ("login", "login_failed")
_NOT_CASE_WORK = ("app_user", "*")


def recent_changes(session: Session, *, limit: int = 15) -> list[dict[str, Any]]:
    """The latest changes to case data: who changed which kind of record and which fields.

    Logins and account changes are left out (the audit log holds them). Values are left out
    on purpose: a change to a confidential person holds their name.
    """
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            AuditLog.at, AuditLog.username, AuditLog.table_name, AuditLog.action, AuditLog.changes
        )
        .where(
            col(AuditLog.action).not_in(_NOT_CHANGES),
            col(AuditLog.table_name).not_in(_NOT_CASE_WORK),
        )
        .order_by(col(AuditLog.at).desc())
        .limit(limit)
    ).all()
    return [
        {
            t("dashboard.col.when"): at.strftime("%Y-%m-%d %H:%M UTC"),
            t("dashboard.col.who"): user,
            t("dashboard.col.record"): record_kind(table),
            t("dashboard.col.action"): t(f"audit.{action}"),
            t("dashboard.col.fields"): ", ".join(t(f"field.{k}") for k in sorted(changes or {}))
            if action == "update"
            else "",
        }
        for at, user, table, action, changes in rows
    ]
