"""The indicators of criminalization and judicial harassment of INDICATORS.md, as plain data.

Each indicator is a function of the filtered rows (:mod:`tracker.network_data`), computed
overall and per group (complainant, charge type, region, year; hearings also per case and per
court), with its exact definition in English and Spanish for display next to the figure, and
the ids of the rows behind each number. The page, ``python -m tracker indicators --json`` and
the exports all call :func:`compute`, so they give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..gc_pause import gc_paused
from ..i18n import t
from ..network_data import NetworkData
from . import compute as c
from .outcomes import CONVICTION, OUTCOME_CLASS, PENDING, UNFOUNDED, is_final, outcome_class

__all__ = [
    "CONVICTION",
    "GROUPINGS",
    "INDICATORS",
    "OUTCOME_CLASS",
    "PENDING",
    "UNFOUNDED",
    "Figure",
    "Indicator",
    "compute",
    "compute_page",
    "group_label",
    "group_label_text",
    "indicator",
    "is_final",
    "outcome_class",
]

GROUPINGS = ("overall", "complainant", "charge_type", "region", "year")
UNKNOWN = ""  # the group of rows whose region or year is not known


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it counts (``unit``: charge, case, hearing or measure), how its
    value reads (``kind``: count, share, mean, days, years) and where it can be broken down."""

    code: str
    unit: str
    kind: str
    fn: c.Compute
    extra_groupings: tuple[str, ...] = ()

    @property
    def groupings(self) -> tuple[str, ...]:
        """The groupings this indicator supports, "overall" first."""
        return GROUPINGS + self.extra_groupings

    def name(self, lang: str | None = None) -> str:
        """The indicator's name in ``lang``."""
        return t(f"indicators.{self.code}.name", lang)

    def definition(self, lang: str | None = None, mass_threshold: int = c.MASS_THRESHOLD) -> str:
        """The exact definition, for display beside the figure."""
        return t(f"indicators.{self.code}.definition", lang, threshold=mass_threshold)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("complainant_reach", "charge", "count", c.complainant_reach),
    Indicator("repeat_targeting", "charge", "count", c.repeat_targeting),
    Indicator("mass_prosecution", "case", "count", c.mass_prosecution),
    Indicator("charge_stacking", "charge", "mean", c.charge_stacking),
    Indicator("time_under_prosecution", "charge", "days", c.time_under_prosecution),
    Indicator("unfounded_rate", "charge", "share", c.unfounded_rate),
    Indicator("conviction_rate", "charge", "share", c.conviction_rate),
    Indicator("detention_annulled", "measure", "count", c.detention_annulled),
    Indicator("postponement_rate", "hearing", "share", c.postponement_rate, ("case", "court")),
    Indicator("venue_transfer", "case", "count", c.venue_transfer),
    Indicator("reopened", "case", "count", c.reopened),
    Indicator("sentence_asked_vs_imposed", "charge", "years", c.sentence_asked_vs_imposed),
)
_BY_CODE = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    """The indicator with ``code`` (KeyError when there is none)."""
    return _BY_CODE[code]


@dataclass(frozen=True)
class Figure:
    """One number of one indicator for one group ("overall" has the group "").

    ``rows`` are the ids (of the indicator's unit table) the number was computed from;
    ``hits`` those it counted.
    """

    indicator: str
    group_by: str
    group: str
    label: str
    value: float | None
    numerator: int | None
    denominator: int | None
    details: dict[str, Any] = field(default_factory=dict)
    rows: tuple[str, ...] = ()
    hits: tuple[str, ...] = ()

    def as_dict(self, *, with_rows: bool = False) -> dict[str, Any]:
        """Plain data for JSON: the numbers, and the row ids when asked."""
        out: dict[str, Any] = {
            "group": self.group,
            "label": self.label,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            **self.details,
        }
        if with_rows:
            out |= {"rows": list(self.rows), "hits": list(self.hits)}
        return out


def _units(data: NetworkData, unit: str) -> Sequence[Any]:
    if unit == "case":
        return list(data.cases.values())
    if unit == "hearing":
        return data.hearings
    if unit == "measure":
        return data.measures
    return data.charges


def _year(value: Any) -> str:
    return str(value.year) if value is not None else UNKNOWN


def _key_function(unit: str, group_by: str, ctx: c.Context) -> Callable[[Any], Iterable[str]]:
    """unit row -> the groups it belongs to (a charge with two complainants is in both)."""
    cases = ctx.data.cases

    def case_of(row: Any) -> Any:
        return row if unit == "case" else cases[row.case_id]

    if group_by == "complainant":
        if unit == "charge":
            return lambda row: ctx.filers.get(row.id, ())
        return lambda row: ctx.case_filers.get(case_of(row).id, ())
    if group_by == "charge_type":
        if unit == "charge":
            return lambda row: (row.charge_type,)
        return lambda row: ctx.case_types.get(case_of(row).id, ())
    if group_by == "region":
        return lambda row: (case_of(row).region or UNKNOWN,)
    if group_by == "year":
        column = {"charge": "filed_on", "case": "opened_on", "measure": "ordered_on"}
        if unit == "hearing":
            return lambda row: (_year(row.scheduled_at),)
        name = column[unit]
        precision = f"{name}_precision"
        return lambda row: (
            _year(getattr(row, name)) if getattr(row, precision, "day") != "unknown" else UNKNOWN,
        )
    if group_by == "case":
        return lambda row: (row.case_id,)
    if group_by == "court":
        return lambda row: (row.court_id or cases[row.case_id].court_id or UNKNOWN,)
    raise ValueError(f"unknown grouping {group_by!r}")


def group_label(data: NetworkData, group_by: str, key: str, lang: str | None = None) -> str:
    """How a group is named on screen and in files."""
    name = None
    if group_by == "complainant":
        actor = data.actors.get(key)
        name = actor.label if actor else None
    elif group_by == "charge_type":
        term = data.vocab.get("charge_type", {}).get(key)
        name = (term[1] if lang == "es" else term[0]) if term else None
    elif group_by == "case":
        case = data.cases.get(key)
        name = case.title if case else None
    elif group_by == "court":
        court = data.courts.get(key)
        name = court.name if court else None
    return group_label_text(group_by, key, name, lang)


def group_label_text(group_by: str, key: str, name: str | None, lang: str | None) -> str:
    """A group's name: "overall", "unknown", else the name found for its key (an actor's,
    a charge type's, a case's or a court's) or the key itself."""
    if group_by == "overall":
        return t("indicators.overall", lang)
    if key == UNKNOWN:
        return t("indicators.unknown", lang)
    return name if name is not None else key


def compute(
    data: NetworkData,
    *,
    group_by: str = "overall",
    today: date | None = None,
    lang: str | None = None,
    mass_threshold: int = c.MASS_THRESHOLD,
    codes: Sequence[str] | None = None,
) -> list[Figure]:
    """Every indicator (or those in ``codes``) for one grouping.

    Args:
        data: the filtered rows.
        group_by: "overall" or one of GROUPINGS (postponement_rate also "case", "court");
            indicators that do not support it are skipped.
        today: the day pending prosecutions and due hearings are counted to.
        lang: language of group labels.
        mass_threshold: defendants from which a case is a mass prosecution.
        codes: which indicators; default all, in the order of INDICATORS.

    Returns:
        Figures in the order of the indicators, then of the groups' labels.
    """
    figures, _ = compute_page(
        data,
        group_by=group_by,
        today=today,
        lang=lang,
        mass_threshold=mass_threshold,
        codes=codes,
    )
    return figures


def compute_page(
    data: NetworkData,
    *,
    group_by: str = "overall",
    today: date | None = None,
    lang: str | None = None,
    mass_threshold: int = c.MASS_THRESHOLD,
    codes: Sequence[str] | None = None,
    start: int = 0,
    count: int | None = None,
) -> tuple[list[Figure], int]:
    """Figures ``start`` to ``start + count`` of :func:`compute` (all from ``start`` when
    ``count`` is None), and how many figures :func:`compute` gives.

    Only the figures of the page are computed: the units are split into groups once, which is
    all a group's position needs. Per complainant at scale L there are some 115,000 groups and
    1.4 million figures; a page of a thousand is computed in a fraction of that time and
    memory, and every figure stays reachable page by page, with the same value.
    """
    if not any(group_by in i.groupings for i in INDICATORS):
        raise ValueError(f"unknown grouping {group_by!r}")
    with gc_paused():
        return _compute(
            data, group_by, today or date.today(), lang, mass_threshold, codes, start, count
        )


def _compute(
    data: NetworkData,
    group_by: str,
    today: date,
    lang: str | None,
    mass_threshold: int,
    codes: Sequence[str] | None,
    start: int,
    count: int | None,
) -> tuple[list[Figure], int]:
    ctx = c.Context(data, today, mass_threshold)
    chosen = [i for i in INDICATORS if not codes or i.code in codes]
    figures: list[Figure] = []
    end = None if count is None else start + count
    position = 0  # of the indicator's first group in the whole list of figures
    # The units of a kind split into groups once, shared by the indicators of that unit.
    grouped: dict[str, tuple[dict[str, list[Any]], list[tuple[str, str]]]] = {}
    for ind in chosen:
        if group_by not in ind.groupings:
            continue
        if ind.unit not in grouped:
            grouped[ind.unit] = _groups(data, ind.unit, group_by, ctx, lang)
        groups, labelled = grouped[ind.unit]
        first = max(start - position, 0)
        last = len(labelled) if end is None else max(min(end - position, len(labelled)), 0)
        position += len(labelled)
        for label, key in labelled[first:last]:
            scope = key if group_by == "complainant" else None
            result = ind.fn(groups[key], ctx, scope)
            figures.append(
                Figure(
                    ind.code,
                    group_by,
                    key,
                    label,
                    result.value,
                    result.numerator,
                    result.denominator,
                    result.details,
                    result.rows,
                    result.hits,
                )
            )
    return figures, position


def _groups(
    data: NetworkData, unit: str, group_by: str, ctx: c.Context, lang: str | None
) -> tuple[dict[str, list[Any]], list[tuple[str, str]]]:
    """The units of one kind by group, and (label, group) in the order figures are listed."""
    units = _units(data, unit)
    if group_by == "overall":
        groups: dict[str, list[Any]] = {UNKNOWN: list(units)}
    else:
        keys = _key_function(unit, group_by, ctx)
        groups = defaultdict(list)
        for row in units:
            for key in keys(row):
                groups[key].append(row)
    labelled = sorted(
        ((group_label(data, group_by, key, lang), key) for key in groups),
        key=lambda lk: (lk[1] == UNKNOWN, lk[0].casefold(), lk[1]),
    )
    return groups, labelled


def prosecution_spans(data: NetworkData, *, today: date | None = None) -> list[dict[str, Any]]:
    """Time under prosecution per defender (the rows behind that indicator), longest first."""
    ctx = c.Context(data, today or date.today(), c.MASS_THRESHOLD)
    rows = []
    for defender, span in c.spans(data.charges, ctx).items():
        actor = data.actors.get(defender)
        rows.append({"id": defender, "label": actor.label if actor else defender, **span})
    rows.sort(key=lambda r: (r["days"] is None, -(r["days"] or 0), r["label"], r["id"]))
    return rows
