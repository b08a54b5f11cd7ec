"""The hearing columns of the template: a case's next hearing, created or updated.

A sheet says, on the rows of a case, when its next hearing is (date, time, type, court). One
hearing per case and day: the rows of a case that give the same day describe one hearing; a
hearing already recorded on that day is updated, not added again.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from .report import Problem
from .template import normalize

__all__ = ["HEARING_KEYS", "plan_hearing", "read_time"]

HEARING_KEYS = ("hearing_date", "hearing_time", "hearing_type", "hearing_court")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:.h]\s*(\d{2}))?(?::\d{2})?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$")


def read_time(value: Any) -> time | None:
    """A time of day written 09:30, 9.30, 9h30, 15:00:00, 3:30 pm or an Excel time cell."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    match = _TIME.match(str(value).strip().lower())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "").replace(" ", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or (suffix and not match.group(1)):
        return None
    return time(hour, minute)


def plan_hearing(
    hearings: dict[date, dict[str, Any]],
    number: int,
    vals: dict[str, Any],
    cols: dict[str, str],
    problems: list[Problem],
) -> str | None:
    """Add the row's hearing to its case's ``hearings`` (by day); return the normalized name
    of its court (to be matched or created), if any."""
    given = [k for k in HEARING_KEYS if k in vals]
    if not given:
        return None
    when = vals.get("hearing_date")
    if when is None:
        problems.append(Problem(number, cols.get(given[0], ""), "import.row.time_without_date"))
        return None
    day, precision = when
    at = datetime(day.year, day.month, day.day)
    if "hearing_time" in vals:
        moment = read_time(vals["hearing_time"])
        if moment is None:
            problems.append(
                Problem(
                    number,
                    cols["hearing_time"],
                    "import.cell.bad_time",
                    {"value": str(vals["hearing_time"])[:40]},
                )
            )
            return None
        at, precision = datetime.combine(day, moment), "time"
    hearing = hearings.setdefault(day, {"rows": [], "columns": {}})
    hearing["rows"].append(number)
    values = hearing.setdefault("values", {})
    values.setdefault("scheduled_at", at)
    if precision == "time" or "scheduled_precision" not in values:
        values["scheduled_at"], values["scheduled_precision"] = at, precision
    if "hearing_type" in vals:
        values.setdefault("hearing_type", vals["hearing_type"])
    court = vals.get("hearing_court")
    if court:
        values.setdefault("court", normalize(court))
        values.setdefault("court_name", court)
    for key, field in (
        ("hearing_date", "scheduled_at"),
        ("hearing_type", "hearing_type"),
        ("hearing_court", "court_id"),
    ):
        if key in cols:
            hearing["columns"].setdefault(field, cols[key])
    return normalize(court) if court else None
