"""Read side of administration: accounts, who is confidential, and the audit log.

Only administrators reach these (the Admin page checks the role; the functions that reveal
real names take the principal and check it again).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from .models import Actor, AppUser, AuditLog, Case, CaseParty
from .permissions import Principal, require_admin
from .tabular import neutralize


def accounts(session: Session) -> list[dict[str, Any]]:
    """Every account with role, state and last login (never the hash)."""
    rows = session.exec(select(AppUser).order_by(col(AppUser.username))).all()
    return [{k: v for k, v in user.model_dump().items() if k != "password_hash"} for user in rows]


def confidential_people(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Confidential and restricted people with their real names, pseudonyms and case counts."""
    require_admin(principal)
    cases = (
        select(func.count(func.distinct(CaseParty.case_id)))
        .where(col(CaseParty.actor_id) == col(Actor.id))
        .scalar_subquery()
    )
    rows = session.exec(
        select(
            Actor.id,
            Actor.name,
            Actor.pseudonym,
            Actor.confidentiality,
            Actor.consent_to_publish,
            cases,
        )  # type: ignore[call-overload]  # sqlmodel types up to 4 columns
        .where(col(Actor.confidentiality).in_(["confidential", "restricted"]))
        .order_by(col(Actor.confidentiality), col(Actor.pseudonym))
    ).all()
    return [
        {
            "id": i,
            "name": name,
            "pseudonym": pseudonym or "",
            "confidentiality": level,
            "consent_to_publish": consent,
            "cases": int(n),
        }
        for i, name, pseudonym, level, consent, n in rows
    ]


def restricted_cases(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Cases hidden from viewers."""
    require_admin(principal)
    rows = session.exec(
        select(Case.id, Case.title, Case.case_number).where(Case.confidentiality == "restricted")
    ).all()
    return [{"id": i, "title": title, "case_number": number or ""} for i, title, number in rows]


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log can be filtered by; None means any."""

    username: str | None = None
    table_name: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


def _conditions(filters: AuditFilters) -> list[Any]:
    out: list[Any] = []
    if filters.username:
        out.append(AuditLog.username == filters.username)
    if filters.table_name:
        out.append(AuditLog.table_name == filters.table_name)
    if filters.action:
        out.append(AuditLog.action == filters.action)
    if filters.since:
        out.append(col(AuditLog.at) >= datetime.combine(filters.since, time.min))
    if filters.until:
        out.append(col(AuditLog.at) < datetime.combine(filters.until + timedelta(days=1), time.min))
    return out


def audit_entries(
    session: Session, filters: AuditFilters, *, limit: int = 200, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of audit entries (newest first) and how many match in all."""
    conditions = _conditions(filters)
    total = session.exec(select(func.count()).select_from(AuditLog).where(*conditions)).one()
    columns: tuple[Any, ...] = (
        AuditLog.id,
        AuditLog.at,
        AuditLog.username,
        AuditLog.table_name,
        AuditLog.row_id,
        AuditLog.action,
        AuditLog.changes,
    )
    rows = session.exec(
        select(*columns)
        .where(*conditions)
        .order_by(col(AuditLog.at).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    names = [c.key for c in columns]
    return [dict(zip(names, row, strict=True)) for row in rows], int(total)


def audit_entry(session: Session, entry_id: uuid.UUID) -> dict[str, Any] | None:
    """One audit entry by id (what a link to it opens), or None."""
    row = session.get(AuditLog, entry_id)
    if row is None:
        return None
    return {
        "id": row.id,
        "at": row.at,
        "username": row.username,
        "table_name": row.table_name,
        "row_id": row.row_id,
        "action": row.action,
        "changes": row.changes,
    }


def audit_usernames(session: Session) -> list[str]:
    """Every username that appears in the log (including failed logins)."""
    return list(
        session.exec(select(AuditLog.username).distinct().order_by(col(AuditLog.username))).all()
    )


def audit_csv(session: Session, filters: AuditFilters) -> bytes:
    """Every matching audit entry as CSV (UTF-8 with BOM, which Excel reads correctly)."""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", "username", "action", "table", "row_id", "changes"])
    query = select(AuditLog).where(*_conditions(filters)).order_by(col(AuditLog.at))
    for row in session.exec(query):
        writer.writerow(
            [
                row.at.isoformat(),
                neutralize(row.username),
                row.action,
                row.table_name,
                str(row.row_id or ""),
                neutralize(json.dumps(row.changes, ensure_ascii=False, sort_keys=True)),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def vocabulary_terms(session: Session, vocabulary: str) -> list[dict[str, Any]]:
    """Every term of one vocabulary, in display order, active or not."""
    from .models import VocabularyTerm

    rows = session.exec(
        select(VocabularyTerm)
        .where(VocabularyTerm.vocabulary == vocabulary)
        .order_by(col(VocabularyTerm.sort_order), col(VocabularyTerm.code))
    ).all()
    return [r.model_dump() for r in rows]
