"""Hearings: scheduled, held, postponed; the result of each as it is recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, select

from .. import dates
from ..errors import FieldError, ValidationError
from ..models import Case, Court, Hearing
from ..models.enums import DATETIME_PRECISIONS
from .base import RecordService, RecordSpec
from .lookups import Lookups
from .proceedings import case_date_order, cases, stage_changes


def _hearing_rules(db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    errors = case_date_order(db, view, "scheduled_at")
    if view.postponement_reason and view.result != "postponed":
        errors.append(FieldError("postponement_reason", "errors.reason_without_postponement"))
    if view.next_date is not None and dates.is_before(
        view.next_date, "day", view.scheduled_at, view.scheduled_precision
    ):
        errors.append(
            FieldError(
                "next_date",
                "errors.date_before",
                {
                    "later": view.next_date.isoformat(),
                    "earlier": dates.format_partial(view.scheduled_at, view.scheduled_precision),
                    "other_key": "field.scheduled_at",
                },
            )
        )
    return errors


hearings = RecordService(
    RecordSpec(
        model=Hearing,
        record="record.hearing",
        required=("case_id", "scheduled_at", "hearing_type"),
        choices={"scheduled_precision": DATETIME_PRECISIONS},
        vocab={
            "hearing_type": "hearing_type",
            "result": "hearing_result",
            "postponement_reason": "postponement_reason",
        },
        refs={"case_id": Case, "court_id": Court},
        checks=(_hearing_rules,),
    )
)


def join_notes(stored: str | None, added: str | None) -> str | None:
    """The stored notes with ``added`` appended as a new paragraph; nothing is dropped."""
    parts = [text.strip() for text in (stored, added) if text and text.strip()]
    return "\n\n".join(parts) or None


def follow_up(hearing: Any, later: Iterable[Any]) -> Any | None:
    """The hearing that ``hearing``'s next date points to: the first of ``later`` (hearings of
    the same case, as records or dicts) held on that day after it; None when there is none."""

    def value(item: Any, name: str) -> Any:
        return item[name] if isinstance(item, Mapping) else getattr(item, name)

    day = value(hearing, "next_date")
    if day is None:
        return None
    after = [
        h
        for h in later
        if value(h, "id") != value(hearing, "id")
        and value(h, "scheduled_at") > value(hearing, "scheduled_at")
        and value(h, "scheduled_at").date() == day
    ]
    return min(after, key=lambda h: value(h, "scheduled_at"), default=None)


def record_result(
    session: Session,
    *,
    hearing_id: Any,
    expected_version: int,
    result: str,
    postponement_reason: str | None = None,
    add_note: str | None = None,
    edited_notes: str | None = None,
    next_at: str | None = None,
    next_type: str | None = None,
    next_court_id: Any = None,
    new_stage: str | None = None,
) -> dict[str, Any]:
    """What happened at a hearing, in one step: its result, the next hearing, a new stage.

    Also corrects a result recorded earlier: the hearing is updated through its service, so
    the audit log keeps the old and the new values, and ``expected_version`` refuses to
    overwrite someone else's newer save (ConflictError).

    Notes are never lost by accident: ``add_note`` is appended to the stored notes;
    ``edited_notes`` (the whole text, edited explicitly by the user) replaces them, and the
    audit log keeps what it replaced. With neither, the notes stay as they are.

    A next date schedules the next hearing of the case, with the given type and court (by
    default this hearing's, or the case's court). When this hearing already points to a next
    hearing (a correction), that one is moved and changed instead of adding a second one.
    A new stage different from the case's current one records a court event dated on the
    hearing's day and moves the case; the current stage records nothing. All of it is one
    transaction: if any part is invalid, nothing is saved and every problem is reported.

    Returns:
        Ids of what was written: {"hearing", "next_hearing", "stage_change"}.
    """
    hearing = hearings.get(session, hearing_id)
    case = cases.get(session, hearing.case_id)
    next_day = next_at.strip()[:10] if next_at and next_at.strip() else None
    notes = hearing.notes if edited_notes is None else edited_notes
    written: dict[str, Any] = {"hearing": hearing.id, "next_hearing": None, "stage_change": None}
    siblings = session.exec(
        select(Hearing).where(Hearing.case_id == hearing.case_id, Hearing.id != hearing.id)
    ).all()
    previous = follow_up(hearing, siblings)  # read before next_date changes
    problems: list[FieldError] = []
    try:
        hearings.update(
            session,
            hearing.id,
            {
                "result": result,
                "postponement_reason": postponement_reason,
                "notes": join_notes(notes, add_note),
                "next_date": next_day,
            },
            expected_version,
        )
    except ValidationError as exc:
        problems += exc.errors
    if next_day and not problems:
        planned = {
            "scheduled_at": next_at,
            "hearing_type": next_type or hearing.hearing_type,
            "court_id": next_court_id or hearing.court_id or case.court_id,
        }
        try:
            if previous is None or previous.result is not None:
                written["next_hearing"] = hearings.create(
                    session, {"case_id": hearing.case_id, **planned}
                )
            else:
                hearings.update(session, previous.id, planned, previous.version_id)
                written["next_hearing"] = previous.id
        except ValidationError as exc:
            problems += [FieldError("next_at", e.key, e.params) for e in exc.errors]
    if new_stage and new_stage != case.stage and not problems:
        try:
            written["stage_change"] = stage_changes.create(
                session,
                {
                    "case_id": case.id,
                    "event": "stage_change",
                    "from_stage": case.stage,
                    "to_stage": new_stage,
                    "on_date": hearing.scheduled_at.date(),
                },
            )
            cases.update(session, case.id, {"stage": new_stage}, case.version_id)
        except ValidationError as exc:
            problems += [FieldError("new_stage", e.key, e.params) for e in exc.errors]
    if problems:
        raise ValidationError(problems, record="record.hearing")
    return written
