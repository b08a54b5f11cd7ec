"""From the numbers of the aggregate statements to :class:`Result` s: the arithmetic SQL
cannot say the same way on SQLite and PostgreSQL (medians, rounding), on one row per group
(or per defender, for time under prosecution): never on the units themselves."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from .definitions import PRECISION_RANK, Result, share

__all__ = [
    "DefenderSpan",
    "pair",
    "rate",
    "reach",
    "repeat",
    "sentence",
    "spans",
    "stacking",
    "time_under_prosecution",
]


@dataclass(frozen=True)
class DefenderSpan:
    """Time under prosecution of one defender (compute.spans, without the charge ids)."""

    defender: str
    start: tuple[date, str] | None
    end: tuple[date, str] | None
    pending: bool
    charges: int

    @property
    def days(self) -> int | None:
        """Days from start to end; None when either is unknown."""
        return (self.end[0] - self.start[0]).days if self.start and self.end else None

    @property
    def precision(self) -> str:
        """The coarser precision of the two dates ("unknown" when either is missing)."""
        if not (self.start and self.end):
            return "unknown"
        return max((self.start[1], self.end[1]), key=lambda p: PRECISION_RANK.get(p, 0))


def reach(row: tuple[Any, ...] | None) -> Result:
    defenders, complainants, cases, charges = row or (0, 0, 0, 0)
    return Result(
        defenders, details={"complainants": complainants, "cases": cases, "charges": charges}
    )


def repeat(row: tuple[Any, ...] | None) -> Result:
    total, hits, defenders = row or (0, 0, 0)
    return Result(hits, hits, total, {"defenders": defenders})


def stacking(row: tuple[Any, ...] | None) -> Result:
    count, total, most, stacked = row or (0, 0, 0, 0)
    return Result(
        round(int(total) / count, 2) if count else None,  # fmean of ints: their sum / n
        stacked,
        count,
        {"max": most, "stacked": stacked},
    )


def rate(row: tuple[Any, ...] | None, hits_at: int) -> Result:
    n, final = (row[0], row[1]) if row else (0, 0)
    hits = row[hits_at] if row else 0
    return Result(share(hits, final), hits, final, {"pending": n - final})


def _years(total: Any, n: int) -> float | None:
    """Mean months as years: fmean of ints (their sum / n), / 12, rounded to 2."""
    return round(int(total) / n / 12, 2) if n else None


def sentence(row: tuple[Any, ...] | None, asks: tuple[Any, ...] | None) -> Result:
    """Mean years asked over the requests that count (tracker.analysis.requests), the
    charges with an imposed sentence out of those with a request, the mean imposed and
    the imposed share of the asked years over charges with both."""
    _, _, _, _, n_asked, _, n_imp, s_imp, n_both, b_asked, b_imp = row or (0,) * 11
    n_requests, s_requests = asks or (0, 0)
    ratio = round(int(b_imp) / int(b_asked), 4) if n_both and b_asked else None
    return Result(
        _years(s_requests, n_requests),
        n_imp,
        n_asked,
        {
            "requests": n_requests,
            "imposed_years": _years(s_imp, n_imp),
            "imposed_of_requested": ratio,
        },
    )


def time_under_prosecution(found: list[DefenderSpan]) -> Result:
    known = [s for s in found if s.days is not None]
    days = [s.days for s in known if s.days is not None]
    coarsest = max(
        (s.precision for s in known), key=lambda p: PRECISION_RANK.get(p, 0), default="unknown"
    )
    return Result(
        float(statistics.median(days)) if days else None,
        len(known),
        len(found),
        {
            "mean_days": round(statistics.fmean(days), 1) if days else None,
            "max_days": max(days, default=None),
            "pending_defenders": sum(1 for s in found if s.pending),
            "precision": coarsest,
        },
    )


# PRECISION_RANK back to a precision ("time" ranks as "day" and no charge date has it).
_COARSEST = {0: "day", 1: "month", 2: "year"}


def spans(row: tuple[Any, ...] | None) -> Result:
    """Time under prosecution from SQL sums over the defenders' spans: (defenders, known
    spans, their days summed, the longest, pending defenders, the coarsest precision's rank,
    the middle one or two spans' days summed, how many middle spans)."""
    defenders, known, total, longest, pending, rank, middle, n_middle = row or (0,) * 8
    return Result(
        middle / n_middle if known else None,  # statistics.median: the middle, or the mean of two
        known,
        defenders,
        {
            "mean_days": round(int(total) / known, 1) if known else None,  # fmean: sum / n
            "max_days": longest if known else None,
            "pending_defenders": pending,
            "precision": _COARSEST[rank] if known else "unknown",
        },
    )


def pair(text: str | None) -> tuple[date, str] | None:
    """ "YYYY-MM-DD" followed by a precision, back to (date, precision)."""
    if text is None:
        return None
    return date.fromisoformat(text[:10]), text[10:]
