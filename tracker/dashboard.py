"""What the first page shows: key figures, hearings ahead, cases, recent changes.

Each function runs one or two aggregate queries and returns plain data (no ORM objects), so
the page stays thin and the numbers can be tested without Streamlit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, distinct, func
from sqlmodel import Session, col, select

from . import dates, privacy
from .casework import CaseFilters, case_list, labelled
from .i18n import t
from .models import AuditLog, Case, Charge, Court, Hearing
from .privacy import visible_cases
from .services.vocabulary import labels


def key_figures(session: Session, *, today: date, days: int = 30) -> dict[str, int]:
    """Open cases, defenders under prosecution, hearings in the next ``days``, overdue hearings."""
    start = datetime.combine(today, datetime.min.time())
    open_cases = session.exec(
        select(func.count()).select_from(Case).where(Case.status == "open")
    ).one()
    # A defender is under prosecution while any charge against them is pending.
    prosecuted = session.exec(
        select(func.count(distinct(col(Charge.defendant_id)))).where(Charge.status == "pending")
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
        "open_cases": int(open_cases),
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
) -> list[dict[str, Any]]:
    """Hearings from today through the next ``days`` days, soonest first."""
    start = datetime.combine(today, datetime.min.time())
    types = labels(session, "hearing_type", lang)
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            Hearing.scheduled_at,
            Hearing.scheduled_precision,
            Hearing.hearing_type,
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
    redact = privacy.redactor(session, show_confidential=show_restricted)
    return [
        {
            t("dashboard.col.when"): dates.format_partial(at, precision),
            t("dashboard.col.case"): redact(title),
            t("field.case_number"): redact(number or ""),
            t("field.hearing_type"): types.get(kind, kind),
            t("field.court_id"): redact(court or ""),
        }
        for at, precision, kind, title, number, court in rows
    ]


def cases_overview(
    session: Session, *, lang: str, show_restricted: bool, limit: int = 25
) -> list[dict[str, Any]]:
    """The latest cases, documented ones first, with their defendant and charge counts."""
    stages = labels(session, "stage", lang)
    rows, _total = case_list(
        session, CaseFilters(), show_restricted=show_restricted, sort="documented", page_size=limit
    )
    return labelled(rows, stages)


def recent_changes(session: Session, *, limit: int = 15) -> list[dict[str, Any]]:
    """The latest audit entries: who changed which kind of record and which fields.

    Values are left out on purpose: a change to a confidential person holds their name.
    """
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
            AuditLog.at, AuditLog.username, AuditLog.table_name, AuditLog.action, AuditLog.changes
        )
        .order_by(col(AuditLog.at).desc())
        .limit(limit)
    ).all()
    return [
        {
            t("dashboard.col.when"): at.strftime("%Y-%m-%d %H:%M UTC"),
            t("dashboard.col.who"): user,
            t("dashboard.col.record"): t(f"table.{table}") if table != "*" else "*",
            t("dashboard.col.action"): t(f"audit.{action}"),
            t("dashboard.col.fields"): ", ".join(t(f"field.{k}") for k in sorted(changes or {}))
            if action == "update"
            else "",
        }
        for at, user, table, action, changes in rows
    ]
