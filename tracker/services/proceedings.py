"""Courts, cases, the parties to a case, and the court events of its history."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, func, select

from .. import dates
from ..errors import FieldError
from ..models import Actor, Case, CaseParty, Charge, Court, Hearing, Measure, StageChange
from ..models.enums import CASE_STATUSES, CONFIDENTIALITY, COURT_KINDS
from ..permissions import require_write
from .base import RecordService, RecordSpec, date_order
from .lookups import Lookups

courts = RecordService(
    RecordSpec(
        model=Court,
        record="record.court",
        required=("name", "kind"),
        choices={"kind": COURT_KINDS},
    )
)


def _case_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors = date_order("opened_on", "closed_on", view=view)
    if obj is not None and view.parent_case_id == obj.id:
        errors.append(FieldError("parent_case_id", "errors.parent_is_self"))
    if obj is not None and view.opened_on is not None:
        errors += _events_before_opening(db.session, view, obj.id)
    return errors


def _events_before_opening(
    session: Session, view: SimpleNamespace, case_id: Any
) -> list[FieldError]:
    """Moving the opening date must not leave hearings or measures before it."""
    first_hearing = session.exec(
        select(func.min(Hearing.scheduled_at)).where(Hearing.case_id == case_id)
    ).one()
    first_measure = session.exec(
        select(func.min(Measure.ordered_on)).where(
            Measure.case_id == case_id, Measure.ordered_on_precision == "day"
        )
    ).one()
    errors: list[FieldError] = []
    for first, key in ((first_hearing, "record.hearing"), (first_measure, "record.measure")):
        if first is not None and dates.is_before(
            first, "day", view.opened_on, view.opened_on_precision
        ):
            errors.append(
                FieldError(
                    "opened_on",
                    "errors.after_existing",
                    {"record_key": key, "date": dates.format_partial(first, "day")},
                )
            )
    return errors


cases = RecordService(
    RecordSpec(
        model=Case,
        record="record.case",
        required=("title", "case_type", "stage", "status"),
        choices={"status": CASE_STATUSES, "confidentiality": CONFIDENTIALITY},
        vocab={"case_type": "case_type", "stage": "stage"},
        refs={"court_id": Court, "parent_case_id": Case},
        checks=(_case_rules,),
    )
)


def _party_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors = date_order("start_date", "end_date", view=view)
    clash = db.find(CaseParty, case_id=view.case_id, actor_id=view.actor_id, role=view.role)
    if clash is not None and (obj is None or clash != obj.id):
        errors.append(FieldError("role", "errors.duplicate_party"))
    # Leaving the defendant role while charges remain would orphan them.
    if (
        obj is not None
        and obj.role == "defendant"
        and (
            view.role != "defendant" or view.actor_id != obj.actor_id or view.case_id != obj.case_id
        )
    ):
        errors += _charges_of_defendant(db.session, obj.case_id, obj.actor_id)
    return errors


def _charges_of_defendant(session: Session, case_id: Any, actor_id: Any) -> list[FieldError]:
    count = session.exec(
        select(func.count())
        .select_from(Charge)
        .where(Charge.case_id == case_id, Charge.defendant_id == actor_id)
    ).one()
    if count:
        return [FieldError("role", "errors.defendant_has_charges", {"count": count})]
    return []


class _PartyService(RecordService):
    """Case parties; a defendant with charges cannot be removed before the charges."""

    def delete(self, session: Session, record_id: Any, expected_version: int) -> None:
        """Delete the party unless it is a defendant who still has charges in the case."""
        from ..errors import ValidationError

        require_write(session, self.spec.table)
        party = self.get(session, record_id)
        if party.role == "defendant":
            problems = _charges_of_defendant(session, party.case_id, party.actor_id)
            if problems:
                raise ValidationError(problems, record=self.spec.record)
        super().delete(session, record_id, expected_version)


parties = _PartyService(
    RecordSpec(
        model=CaseParty,
        record="record.case_party",
        required=("case_id", "actor_id", "role"),
        vocab={"role": "party_role"},
        refs={"case_id": Case, "actor_id": Actor},
        checks=(_party_rules,),
    )
)


def _stage_rules(db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    return case_date_order(db, view, "on_date")


def case_date_order(db: Lookups, view: SimpleNamespace, name: str) -> list[FieldError]:
    """A problem if the date in field ``name`` is certainly before its case was opened."""
    case = db.get(Case, view.case_id)
    value = getattr(view, name)
    if case is None or value is None:
        return []
    precision = getattr(view, f"{name}_precision", "time")
    if dates.is_before(value, precision, case.opened_on, case.opened_on_precision):
        return [
            FieldError(
                name,
                "errors.before_case_opened",
                {
                    "date": dates.format_partial(value, precision),
                    "opened": dates.format_partial(case.opened_on, case.opened_on_precision),
                },
            )
        ]
    return []


stage_changes = RecordService(
    RecordSpec(
        model=StageChange,
        record="record.stage_change",
        required=("case_id", "event"),
        vocab={"event": "court_event", "from_stage": "stage", "to_stage": "stage"},
        refs={"case_id": Case},
        checks=(_stage_rules,),
    )
)
