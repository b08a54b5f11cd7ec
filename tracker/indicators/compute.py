"""The computation of each indicator on a set of units (charges, cases, hearings, measures).

Every function here takes the units of one group and a :class:`Context` and returns a
:class:`Result`; tracker.indicators splits the units into groups and labels the results.
Units arrive sorted by id (tracker.network_data sorts them once), so the ids behind each
number come out in a stable order without sorting again.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from .. import dates
from ..network_data import CaseRow, ChargeRow, HearingRow, MeasureRow, NetworkData
from .outcomes import CONVICTION, PENDING, UNFOUNDED, outcome_class

MASS_THRESHOLD = 5
_RANK = {"day": 0, "time": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class Result:
    """One number and what it rests on.

    Attributes:
        value: the figure (a count, a share between 0 and 1, days, years); None when there is
            nothing to compute it from.
        numerator / denominator: for shares and counts out of a population.
        details: other numbers shown beside it.
        rows: ids of the units it was computed from; hits: ids of those counted.
    """

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    rows: tuple[str, ...] = ()
    hits: tuple[str, ...] = ()


class Context:
    """Lookups shared by the indicators, each built once per data set when first needed."""

    def __init__(self, data: NetworkData, today: date, mass_threshold: int) -> None:
        self.data, self.today, self.mass_threshold = data, today, mass_threshold

    @cached_property
    def outcome(self) -> dict[str, str]:
        """charge id -> outcome class (unfounded, conviction, pending)."""
        parents = {code: t[2] for code, t in self.data.vocab.get("outcome", {}).items()}
        classes: dict[str | None, str] = {code: outcome_class(code, parents) for code in parents}
        return {c.id: classes.get(c.outcome) or outcome_class(c.outcome) for c in self.data.charges}

    @cached_property
    def filers(self) -> dict[str, list[str]]:
        """charge id -> its complainants."""
        out: dict[str, list[str]] = defaultdict(list)
        for link in self.data.complainants:
            out[link.charge_id].append(link.actor_id)
        return out

    @cached_property
    def case_charges(self) -> dict[str, list[ChargeRow]]:
        """case id -> its charges."""
        out: dict[str, list[ChargeRow]] = defaultdict(list)
        for c in self.data.charges:
            out[c.case_id].append(c)
        return out

    @cached_property
    def case_filers(self) -> dict[str, set[str]]:
        """case id -> the complainants of its charges."""
        out: dict[str, set[str]] = defaultdict(set)
        filers = self.filers
        for c in self.data.charges:
            out[c.case_id].update(filers.get(c.id, ()))
        return out

    @cached_property
    def case_types(self) -> dict[str, set[str]]:
        """case id -> the types of its charges."""
        out: dict[str, set[str]] = defaultdict(set)
        for c in self.data.charges:
            out[c.case_id].add(c.charge_type)
        return out

    @cached_property
    def defendants(self) -> dict[str, set[str]]:
        """case id -> its defendants (defendant parties and people charged in it)."""
        out: dict[str, set[str]] = defaultdict(set)
        for p in self.data.parties:
            if p.role == "defendant":
                out[p.case_id].add(p.actor_id)
        for c in self.data.charges:
            out[c.case_id].add(c.defendant_id)
        return out

    @cached_property
    def events(self) -> dict[str, set[str]]:
        """case id -> the kinds of court event it had."""
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.data.events:
            out[e.case_id].add(e.event)
        return out


Compute = Callable[[Sequence[Any], Context, str | None], Result]


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _filer_lists(
    charges: Sequence[ChargeRow], ctx: Context, only: str | None
) -> list[tuple[ChargeRow, Sequence[str]]]:
    """Each charge with the complainants that count in this group (``only``: its own group);
    charges without one are left out."""
    filers = ctx.filers
    if only is None:
        return [(c, found) for c in charges if (found := filers.get(c.id))]
    mine = (only,)
    return [(c, mine) for c in charges if only in filers.get(c.id, ())]


def complainant_reach(charges: Sequence[ChargeRow], ctx: Context, only: str | None) -> Result:
    """Distinct defenders named in charges that a complainant brought; cases; charges."""
    brought = _filer_lists(charges, ctx, only)
    complainants: set[str] = set()
    for _, found in brought:
        complainants.update(found)
    return Result(
        value=len({c.defendant_id for c, _ in brought}),
        details={
            "complainants": len(complainants),
            "cases": len({c.case_id for c, _ in brought}),
            "charges": len(brought),
        },
        rows=tuple(c.id for c in charges),
        hits=tuple(c.id for c, _ in brought),
    )


def repeat_targeting(charges: Sequence[ChargeRow], ctx: Context, only: str | None) -> Result:
    """(complainant, defender) pairs that appear in two or more distinct cases."""
    brought = _filer_lists(charges, ctx, only)
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c, found in brought:
        for k in found:
            cases[k, c.defendant_id].add(c.case_id)
    repeated = {pair for pair, seen in cases.items() if len(seen) >= 2}
    hits = tuple(
        c.id for c, found in brought if any((k, c.defendant_id) in repeated for k in found)
    )
    return Result(
        value=len(repeated),
        numerator=len(repeated),
        denominator=len(cases),
        details={"defenders": len({d for _, d in repeated})},
        rows=tuple(c.id for c in charges),
        hits=hits,
    )


def mass_prosecution(cases: Sequence[CaseRow], ctx: Context, _only: str | None) -> Result:
    """Cases with ``mass_threshold`` or more defendants."""
    hits = [c.id for c in cases if len(ctx.defendants.get(c.id, ())) >= ctx.mass_threshold]
    return Result(
        value=len(hits),
        numerator=len(hits),
        denominator=len(cases),
        details={"share": _share(len(hits), len(cases)), "threshold": ctx.mass_threshold},
        rows=tuple(c.id for c in cases),
        hits=tuple(hits),
    )


def charge_stacking(charges: Sequence[ChargeRow], ctx: Context, _only: str | None) -> Result:
    """Per defendant per case: distinct charge types (mean, maximum, and stacked pairs)."""
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in charges:
        types[c.defendant_id, c.case_id].add(c.charge_type)
    counts = [len(v) for v in types.values()]
    stacked = {pair for pair, v in types.items() if len(v) >= 2}
    return Result(
        value=round(statistics.fmean(counts), 2) if counts else None,
        numerator=len(stacked),
        denominator=len(counts),
        details={"max": max(counts, default=0), "stacked": len(stacked)},
        rows=tuple(c.id for c in charges),
        hits=tuple(c.id for c in charges if (c.defendant_id, c.case_id) in stacked),
    )


def spans(charges: Sequence[ChargeRow], ctx: Context) -> dict[str, dict[str, Any]]:
    """Per defender: from the earliest charge filed to the latest final outcome, or to today
    while any charge is pending.

    Returns:
        defender id -> {start, end, days (None when a needed date is unknown), precision (the
        coarsest of the dates it rests on), pending, charges}.
    """
    by_defender: dict[str, list[ChargeRow]] = defaultdict(list)
    for c in charges:
        by_defender[c.defendant_id].append(c)
    out: dict[str, dict[str, Any]] = {}
    for defender, own in by_defender.items():
        filed = [
            (c.filed_on, c.filed_on_precision)
            for c in own
            if c.filed_on is not None and c.filed_on_precision != "unknown"
        ]
        pending = any(ctx.outcome[c.id] == PENDING for c in own)
        start = min(filed, default=None)
        end: tuple[date, str] | None
        if pending:
            end = (ctx.today, "day")
        else:
            ended = [(c.outcome_on, c.outcome_on_precision) for c in own]
            known = [(d, p) for d, p in ended if d is not None and p != "unknown"]
            end = max(known) if known and len(known) == len(ended) else None
        days = (end[0] - start[0]).days if start and end else None
        precision = (
            max((start[1], end[1]), key=lambda p: _RANK.get(p, 0)) if start and end else "unknown"
        )
        out[defender] = {
            "start": dates.format_partial(*start) if start else "",
            "end": dates.format_partial(*end) if end else "",
            "days": days,
            "precision": precision,
            "pending": pending,
            "charges": [c.id for c in own],
        }
    return out


def time_under_prosecution(charges: Sequence[ChargeRow], ctx: Context, _only: str | None) -> Result:
    """Median days under prosecution across defenders whose span is known."""
    found = spans(charges, ctx)
    known = {d: s for d, s in found.items() if s["days"] is not None}
    days = [s["days"] for s in known.values()]
    coarsest = max(
        (s["precision"] for s in known.values()), key=lambda p: _RANK.get(p, 0), default="unknown"
    )
    return Result(
        value=float(statistics.median(days)) if days else None,
        numerator=len(known),
        denominator=len(found),
        details={
            "mean_days": round(statistics.fmean(days), 1) if days else None,
            "max_days": max(days, default=None),
            "pending_defenders": sum(1 for s in found.values() if s["pending"]),
            "precision": coarsest,
        },
        rows=tuple(c.id for c in charges),
        hits=tuple(c.id for c in charges if c.defendant_id in known),
    )


def _outcome_rate(charges: Sequence[ChargeRow], ctx: Context, wanted: str) -> Result:
    final = [c.id for c in charges if ctx.outcome[c.id] != PENDING]
    hits = [i for i in final if ctx.outcome[i] == wanted]
    return Result(
        value=_share(len(hits), len(final)),
        numerator=len(hits),
        denominator=len(final),
        details={"pending": len(charges) - len(final)},
        rows=tuple(final),
        hits=tuple(hits),
    )


def unfounded_rate(charges: Sequence[ChargeRow], ctx: Context, _only: str | None) -> Result:
    """Among charges with a final outcome: the share ended without a conviction."""
    return _outcome_rate(charges, ctx, UNFOUNDED)


def conviction_rate(charges: Sequence[ChargeRow], ctx: Context, _only: str | None) -> Result:
    """Among charges with a final outcome: the share ended in a conviction."""
    return _outcome_rate(charges, ctx, CONVICTION)


def detention_annulled(measures: Sequence[MeasureRow], ctx: Context, _only: str | None) -> Result:
    """Pre-trial detentions annulled, or whose defendant's charges in the case all ended
    without a conviction."""
    detentions = [m for m in measures if m.kind == "pretrial_detention"]
    hits = []
    for m in detentions:
        own = [c for c in ctx.case_charges.get(m.case_id, ()) if c.defendant_id == m.defendant_id]
        classes = {ctx.outcome[c.id] for c in own}
        if m.annulled_on is not None or (own and classes == {UNFOUNDED}):
            hits.append(m.id)
    return Result(
        value=len(hits),
        numerator=len(hits),
        denominator=len(detentions),
        details={"share": _share(len(hits), len(detentions))},
        rows=tuple(m.id for m in detentions),
        hits=tuple(hits),
    )


def postponement_rate(hearings: Sequence[HearingRow], ctx: Context, _only: str | None) -> Result:
    """Hearings postponed or frustrated / hearings scheduled up to today."""
    tomorrow = datetime.combine(ctx.today, time()) + timedelta(days=1)
    due = [h for h in hearings if h.scheduled_at < tomorrow]
    hits = [h.id for h in due if h.result == "postponed"]
    return Result(
        value=_share(len(hits), len(due)),
        numerator=len(hits),
        denominator=len(due),
        details={"ahead": len(hearings) - len(due)},
        rows=tuple(h.id for h in due),
        hits=tuple(hits),
    )


def _cases_with(cases: Sequence[CaseRow], test: Callable[[str], bool]) -> Result:
    hits = [c.id for c in cases if test(c.id)]
    return Result(
        value=len(hits),
        numerator=len(hits),
        denominator=len(cases),
        details={"share": _share(len(hits), len(cases))},
        rows=tuple(c.id for c in cases),
        hits=tuple(hits),
    )


def venue_transfer(cases: Sequence[CaseRow], ctx: Context, _only: str | None) -> Result:
    """Cases transferred to another judicial district (a "transferred" court event)."""
    return _cases_with(cases, lambda case: "transferred" in ctx.events.get(case, ()))


def reopened(cases: Sequence[CaseRow], ctx: Context, _only: str | None) -> Result:
    """Cases reopened after archive, or with an acquittal overturned on appeal."""

    def test(case: str) -> bool:
        if "reopened" in ctx.events.get(case, ()):
            return True
        return any(c.outcome == "acquittal_overturned" for c in ctx.case_charges.get(case, ()))

    return _cases_with(cases, test)


def sentence_asked_vs_imposed(
    charges: Sequence[ChargeRow], ctx: Context, _only: str | None
) -> Result:
    """Mean years of prison requested, beside the mean imposed (charges with each)."""
    asked = [c for c in charges if c.sentence_requested_months is not None]
    imposed = [c for c in charges if c.sentence_imposed_months is not None]
    both = [c for c in asked if c.sentence_imposed_months is not None]

    def years(months: list[int]) -> float | None:
        return round(statistics.fmean(months) / 12, 2) if months else None

    ratio = None
    if both:
        total = sum(c.sentence_requested_months or 0 for c in both)
        ratio = (
            round(sum(c.sentence_imposed_months or 0 for c in both) / total, 4) if total else None
        )
    return Result(
        value=years(
            [c.sentence_requested_months for c in asked if c.sentence_requested_months is not None]
        ),
        numerator=len(imposed),
        denominator=len(asked),
        details={
            "imposed_years": years(
                [
                    c.sentence_imposed_months
                    for c in imposed
                    if c.sentence_imposed_months is not None
                ]
            ),
            "imposed_of_requested": ratio,
        },
        rows=tuple(
            c.id
            for c in charges
            if c.sentence_requested_months is not None or c.sentence_imposed_months is not None
        ),
        hits=tuple(c.id for c in imposed),
    )
