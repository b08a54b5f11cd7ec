"""Small deterministic builders of valid records for tests, all through the services."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.engine import Engine

from tracker import db
from tracker import services as sv
from tracker.permissions import Principal


def make_case_with_defendant(engine: Engine, user: str = "ana") -> dict[str, uuid.UUID]:
    """A case opened 2015-03 with one defendant (Rosa Quispe) and one complainant company."""
    with db.unit_of_work(engine, Principal(user, "editor")) as s:
        defender = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Rosa Quispe",
                "is_defender": True,
                "rights_defended": ["land_territory"],
                "region": "Cajamarca",
            },
        )
        company = sv.actors.create(
            s,
            {"kind": "company", "name": "Minera Ejemplo", "complainant_category": "company_mining"},
        )
        case = sv.cases.create(s, {"title": "Caso Ejemplo", "opened_on": "2015-03"})
        sv.parties.create(s, {"case_id": case, "actor_id": defender, "role": "defendant"})
        sv.parties.create(s, {"case_id": case, "actor_id": company, "role": "complainant"})
    return {"defender": defender, "company": company, "case": case}


def charge_data(ids: dict[str, uuid.UUID], **extra: Any) -> dict[str, Any]:
    """Fields of a valid riot charge against the factory's defendant."""
    return {
        "case_id": ids["case"],
        "defendant_id": ids["defender"],
        "charge_type": "riot",
        "filed_on": "2015-04-02",
        **extra,
    }


def make_user(engine: Engine, username: str = "ana", role: str = "editor") -> Principal:
    """An active account with the password "correct horse battery"."""
    from tracker.services.users import create_user

    with db.unit_of_work(engine, Principal("admin", "admin")) as s:
        create_user(s, username=username, password="correct horse battery", role=role)
    return Principal(username, role)
