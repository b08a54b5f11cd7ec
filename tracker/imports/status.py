"""A case's status from its rows, when the sheet has no status column (docs/IMPORT.md).

Closed when its stage is *closed* or *archived*, or when every charge of the case in the
sheet has a final outcome (archived, dismissed, acquitted, convicted, conviction overturned,
time-barred, withdrawn, plea); open otherwise (a charge pending, an unknown outcome, an
acquittal overturned with a retrial ordered, an indictment declared null). A closed case
without a closing date takes the latest outcome date of its charges.
"""

from __future__ import annotations

from typing import Any

from .plan import Plan

__all__ = ["FINAL_OUTCOMES", "derive_status"]

FINAL_OUTCOMES = frozenset(
    {
        "archived",
        "dismissed",
        "acquitted",
        "convicted",
        "convicted_prison",
        "convicted_suspended",
        "convicted_fine",
        "convicted_disqualification",
        "conviction_overturned",
        "time_barred",
        "withdrawn",
        "plea",
    }
)
_CLOSED_STAGES = frozenset({"closed", "archived"})


def derive_status(plan: Plan) -> None:
    """Set ``status`` (and ``closed_on`` when known) of every case of the plan."""
    outcomes: dict[str, list[tuple[Any, Any]]] = {}
    for row in plan.charges:
        outcomes.setdefault(row.case, []).append(
            (row.values.get("outcome"), row.values.get("outcome_on"))
        )
    for key, case in plan.cases.items():
        rows = outcomes.get(key, [])
        final = bool(rows) and all(o in FINAL_OUTCOMES for o, _ in rows)
        closed = case.values.get("stage") in _CLOSED_STAGES or final
        case.values["status"] = "closed" if closed else "open"
        case.columns.setdefault("status", "")  # derived: compared with a recorded case too
        if closed and "closed_on" not in case.values:
            dates = [d for o, d in rows if d is not None]
            if dates:
                case.values["closed_on"] = max(dates, key=lambda d: d[0])
                case.columns.setdefault("closed_on", "")
