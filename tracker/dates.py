"""Partial dates: a date known to the day, the month or only the year.

A partial date is stored as the first day of the known period plus a precision
("2011" -> 2011-01-01 with precision "year") and shown only as precisely as it is known.
"""

from __future__ import annotations

import re
from datetime import date, datetime

PRECISIONS = ("day", "month", "year", "unknown")
_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def parse_partial(text: str | None) -> tuple[date | None, str]:
    """Parse "2011", "2017-03" or "2017-03-06" into (first day of the period, precision).

    Raises:
        ValueError: the text is not one of those forms or names an impossible date.
    """
    if text is None or not str(text).strip():
        return None, "unknown"
    match = _PARTIAL.match(str(text))
    if not match:
        raise ValueError(text)
    year, month, day = match.groups()
    if day:
        return date(int(year), int(month), int(day)), "day"
    if month:
        return date(int(year), int(month), 1), "month"
    return date(int(year), 1, 1), "year"


def format_partial(value: date | datetime | None, precision: str | None) -> str:
    """Show a partial date only as precisely as it is known ("2011", "2017-03", "2017-03-06")."""
    if value is None or precision == "unknown":
        return ""
    if isinstance(value, datetime):
        if precision == "time":
            return value.strftime("%Y-%m-%d %H:%M")
        value = value.date()
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def truncate(value: date, precision: str) -> date:
    """The first day of the period ``value`` falls in, at ``precision``."""
    if precision == "year":
        return date(value.year, 1, 1)
    if precision == "month":
        return date(value.year, value.month, 1)
    return value


_RANK = {"time": 0, "day": 0, "month": 1, "year": 2}


def is_before(
    earlier: date | datetime | None,
    earlier_precision: str,
    later: date | datetime | None,
    later_precision: str,
) -> bool:
    """True when ``earlier`` is certainly before ``later``, given what each date leaves open.

    Both dates are compared at the coarser precision, so "2012" is not before "2012-05-30"
    but "2011" is. Unknown dates are never before anything.
    """
    if earlier is None or later is None or "unknown" in (earlier_precision, later_precision):
        return False
    a = earlier.date() if isinstance(earlier, datetime) else earlier
    b = later.date() if isinstance(later, datetime) else later
    coarse = max(earlier_precision, later_precision, key=lambda p: _RANK.get(p, 0))
    return truncate(a, coarse) < truncate(b, coarse)
