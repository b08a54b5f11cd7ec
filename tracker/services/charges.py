"""Charges against defendants, who brought them, restrictive measures and sentence requests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ..errors import FieldError
from ..models import Actor, Case, CaseParty, Charge, ChargeComplainant, Measure, SentenceRequest
from ..models.enums import CHARGE_STATUSES
from .base import RecordService, RecordSpec, date_order
from .lookups import Lookups
from .proceedings import case_date_order


def is_defendant(db: Lookups, case_id: Any, actor_id: Any) -> bool:
    """True when the actor is a defendant party of the case."""
    return db.find(CaseParty, case_id=case_id, actor_id=actor_id, role="defendant") is not None


def _defendant_rule(db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    if not is_defendant(db, view.case_id, view.defendant_id):
        return [FieldError("defendant_id", "errors.not_a_defendant")]
    return []


def _charge_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors = _defendant_rule(db, view, obj)
    errors += date_order("filed_on", "outcome_on", view=view)
    errors += case_date_order(db, view, "outcome_on")
    if view.status == "resolved" and not view.outcome:
        errors.append(FieldError("outcome", "errors.resolved_needs_outcome"))
    if view.status == "pending" and view.outcome and view.outcome != "unknown":
        errors.append(FieldError("status", "errors.outcome_needs_resolved"))
    return errors + _non_negative(
        view,
        "sentence_requested_months",
        "sentence_imposed_months",
        "reparation_requested",
        "reparation_imposed",
    )


def _non_negative(view: SimpleNamespace, *names: str) -> list[FieldError]:
    """A problem for each of ``names`` that holds a negative number."""
    return [
        FieldError(name, "errors.negative")
        for name in names
        if getattr(view, name) is not None and getattr(view, name) < 0
    ]


charges = RecordService(
    RecordSpec(
        model=Charge,
        record="record.charge",
        required=("case_id", "defendant_id", "charge_type", "status"),
        choices={"status": CHARGE_STATUSES},
        vocab={
            "charge_type": "charge_type",
            "mode_of_liability": "mode_of_liability",
            "outcome": "outcome",
        },
        refs={"case_id": Case, "defendant_id": Actor},
        checks=(_charge_rules,),
    )
)


def _complainant_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    clash = db.find(ChargeComplainant, charge_id=view.charge_id, actor_id=view.actor_id)
    if clash is not None and (obj is None or clash != obj.id):
        return [FieldError("actor_id", "errors.duplicate_complainant")]
    charge = db.get(Charge, view.charge_id)
    if charge is not None and charge.defendant_id == view.actor_id:
        return [FieldError("actor_id", "errors.complainant_is_defendant")]
    return []


charge_complainants = RecordService(
    RecordSpec(
        model=ChargeComplainant,
        record="record.charge_complainant",
        required=("charge_id", "actor_id"),
        refs={"charge_id": Charge, "actor_id": Actor},
        checks=(_complainant_rules,),
    )
)


def _measure_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors = _defendant_rule(db, view, obj)
    errors += case_date_order(db, view, "ordered_on")
    errors += date_order("ordered_on", "ends_on", view=view)
    errors += date_order("ordered_on", "annulled_on", view=view)
    return errors + _non_negative(view, "duration_months")


measures = RecordService(
    RecordSpec(
        model=Measure,
        record="record.measure",
        required=("case_id", "defendant_id", "kind"),
        vocab={"kind": "measure_kind"},
        refs={"case_id": Case, "defendant_id": Actor},
        checks=(_measure_rules,),
    )
)


def _request_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    if view.defendant_id is not None:
        errors += _defendant_rule(db, view, obj)
    errors += case_date_order(db, view, "requested_on")
    low, high = view.prison_months_min, view.prison_months_max
    if low is not None and high is not None and low > high:
        errors.append(FieldError("prison_months_min", "errors.range_reversed"))
    if view.reparation_amount is not None and not view.reparation_currency:
        errors.append(FieldError("reparation_currency", "errors.currency_needed"))
    return errors + _non_negative(
        view,
        "prison_months_min",
        "prison_months_max",
        "disqualification_months",
        "reparation_amount",
    )


sentence_requests = RecordService(
    RecordSpec(
        model=SentenceRequest,
        record="record.sentence_request",
        required=("case_id",),
        refs={"case_id": Case, "defendant_id": Actor, "requested_by_id": Actor},
        checks=(_request_rules,),
    )
)
