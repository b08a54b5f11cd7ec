"""Actors (defenders, complainants, lawyers, judges, bodies) and their memberships."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ..errors import FieldError
from ..models import Actor, Membership
from ..models.enums import ACTOR_KINDS, CONFIDENTIALITY
from .base import RecordService, RecordSpec, date_order
from .lookups import Lookups


def _pseudonym_for_confidential(_db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    """A confidential person must have a pseudonym, or viewers would see nothing usable."""
    if view.confidentiality == "confidential" and not (view.pseudonym or "").strip():
        return [FieldError("pseudonym", "errors.pseudonym_required")]
    return []


def _birth_not_future(_db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    from ..models import utcnow

    if view.birth_date and view.birth_date > utcnow().date():
        return [FieldError("birth_date", "errors.date_in_future")]
    return []


actors = RecordService(
    RecordSpec(
        model=Actor,
        record="record.actor",
        required=("kind", "name"),
        choices={"kind": ACTOR_KINDS, "confidentiality": CONFIDENTIALITY},
        vocab={
            "rights_defended": "rights_defended",
            "defender_role": "defender_role",
            "complainant_category": "complainant_category",
        },
        checks=(_pseudonym_for_confidential, _birth_not_future),
    )
)


def _membership_rules(db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    if view.member_id == view.organization_id:
        errors.append(FieldError("organization_id", "errors.member_of_itself"))
    org = db.get(Actor, view.organization_id)
    if org is not None and org.kind == "person":
        errors.append(FieldError("organization_id", "errors.organization_is_person"))
    return errors + date_order("start_date", "end_date", view=view)


memberships = RecordService(
    RecordSpec(
        model=Membership,
        record="record.membership",
        required=("member_id", "organization_id"),
        refs={"member_id": Actor, "organization_id": Actor},
        checks=(_membership_rules,),
    )
)
