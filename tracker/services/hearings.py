"""Hearings: scheduled, held, postponed; the result of each as it is recorded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlmodel import Session

from .. import dates
from ..errors import FieldError
from ..models import Case, Court, Hearing
from ..models.enums import DATETIME_PRECISIONS
from .base import RecordService, RecordSpec
from .lookups import Lookups
from .proceedings import case_date_order


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


def record_result(
    session: Session,
    *,
    hearing_id: Any,
    expected_version: int,
    result: str,
    postponement_reason: str | None = None,
    notes: str | None = None,
    next_at: str | None = None,
    next_type: str | None = None,
    new_stage: str | None = None,
) -> dict[str, Any]:
    """What happened at a hearing, in one step: its result, the next date, a new stage.

    The result is saved on the hearing; a next date schedules the next hearing of the case
    (same court, the given or the same type); a new stage records a court event dated on the
    hearing's day and moves the case to that stage. All of it is one transaction: if any part
    is invalid, nothing is saved and every problem is reported.

    Returns:
        Ids of what was written: {"hearing", "next_hearing", "stage_change"}.
    """
    from ..errors import ValidationError
    from .proceedings import cases, stage_changes

    hearing = hearings.get(session, hearing_id)
    next_day = next_at.strip()[:10] if next_at else None
    written: dict[str, Any] = {"hearing": hearing.id, "next_hearing": None, "stage_change": None}
    problems = []
    try:
        hearings.update(
            session,
            hearing.id,
            {
                "result": result,
                "postponement_reason": postponement_reason,
                "notes": notes if notes is not None else hearing.notes,
                "next_date": next_day,
            },
            expected_version,
        )
    except ValidationError as exc:
        problems += exc.errors
    if next_at and not problems:
        try:
            written["next_hearing"] = hearings.create(
                session,
                {
                    "case_id": hearing.case_id,
                    "scheduled_at": next_at,
                    "hearing_type": next_type or hearing.hearing_type,
                    "court_id": hearing.court_id,
                },
            )
        except ValidationError as exc:
            problems += [FieldError("next_at", e.key, e.params) for e in exc.errors]
    if new_stage and not problems:
        case = cases.get(session, hearing.case_id)
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
