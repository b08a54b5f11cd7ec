"""The indicators of INDICATORS.md as data: codes, units, groupings, definitions, figures.

The numbers themselves are computed in SQL by :mod:`tracker.analysis.indicators`; this
module says what each indicator is (its name and exact definition in the user's language,
for display next to the figure) and holds the shapes the numbers travel in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import t

__all__ = [
    "GROUPINGS",
    "INDICATORS",
    "MASS_THRESHOLD",
    "PRECISION_RANK",
    "Figure",
    "Indicator",
    "Result",
    "group_label_text",
    "indicator",
    "share",
]

# "year": the year of each unit's own date (filing, opening, order, hearing);
# "opened_year": the year its case opened, the year the period filter reads.
GROUPINGS = ("overall", "complainant", "charge_type", "region", "year", "opened_year")
MASS_THRESHOLD = 5
# Coarser precisions rank higher: a span resting on a month-precise date is month-precise.
PRECISION_RANK = {"day": 0, "time": 0, "month": 1, "year": 2}
UNKNOWN = ""  # the group of units whose region, year or court is not known


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it counts (``unit``: charge, case, hearing or measure), how its
    value reads (``kind``: count, share, mean, days, years) and where it can be broken down."""

    code: str
    unit: str
    kind: str
    extra_groupings: tuple[str, ...] = ()

    @property
    def groupings(self) -> tuple[str, ...]:
        """The groupings this indicator supports, "overall" first."""
        return GROUPINGS + self.extra_groupings

    def name(self, lang: str | None = None) -> str:
        """The indicator's name in ``lang``."""
        return t(f"indicators.{self.code}.name", lang)

    def definition(self, lang: str | None = None, mass_threshold: int = MASS_THRESHOLD) -> str:
        """The exact definition, for display beside the figure."""
        return t(f"indicators.{self.code}.definition", lang, threshold=mass_threshold)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("complainant_reach", "charge", "count"),
    Indicator("repeat_targeting", "charge", "count"),
    Indicator("mass_prosecution", "case", "count"),
    Indicator("charge_stacking", "charge", "mean"),
    Indicator("time_under_prosecution", "charge", "days"),
    Indicator("unfounded_rate", "charge", "share"),
    Indicator("conviction_rate", "charge", "share"),
    Indicator("detention_annulled", "measure", "count"),
    Indicator("postponement_rate", "hearing", "share", ("case", "court")),
    Indicator("venue_transfer", "case", "count"),
    Indicator("reopened", "case", "count"),
    Indicator("sentence_asked_vs_imposed", "charge", "years"),
)
_BY_CODE = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    """The indicator with ``code`` (KeyError when there is none)."""
    return _BY_CODE[code]


def share(hits: int, total: int) -> float | None:
    """hits / total rounded to 4 places; None when there is nothing to divide by."""
    return round(hits / total, 4) if total else None


@dataclass(frozen=True)
class Result:
    """One number and what it rests on.

    Attributes:
        value: the figure (a count, a share between 0 and 1, days, years); None when there is
            nothing to compute it from.
        numerator / denominator: for shares and counts out of a population.
        details: other numbers shown beside it.
    """

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One number of one indicator for one group ("overall" has the group "").

    ``rows`` are the ids (of the indicator's unit table) the number was computed from and
    ``hits`` those it counted; both are empty until asked for
    (:func:`tracker.analysis.records.with_records`).
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


def group_label_text(group_by: str, key: str, name: str | None, lang: str | None) -> str:
    """A group's name: "overall", "unknown", else the name found for its key (an actor's,
    a charge type's, a case's or a court's) or the key itself."""
    if group_by == "overall":
        return t("indicators.overall", lang)
    if key == UNKNOWN:
        return t("indicators.unknown", lang)
    return name if name is not None else key
