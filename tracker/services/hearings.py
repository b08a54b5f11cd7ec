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
from .proceedings import case_date_order


def _hearing_rules(session: Session, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    errors = case_date_order(session, view, "scheduled_at")
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
