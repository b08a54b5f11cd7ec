"""Read the rows behind the graphs and indicators: one query per table, filters in SQL.

:func:`load` returns a :class:`NetworkData` of plain named tuples (no ORM objects), already
filtered (period, region, charge type, complainant category, case context, synthetic data) and
already private: names come through :func:`tracker.privacy.name_column` and restricted people
and cases are left out for anyone who may not see them. Everything downstream
(tracker.graphs, tracker.indicators, the graph exports) works on these rows only, so the page,
the command line and the exports cannot disagree.
"""

from .read import (
    GRAPH_PARTS,
    PARTS,
    PartReader,
    Selection,
    any_synthetic_case,
    charge_filings,
    filter_options,
    load,
)
from .rows import (
    LABELLED,
    ActorRow,
    CaseRow,
    ChargeRow,
    ComplainantRow,
    CourtRow,
    EventRow,
    Filters,
    HearingRow,
    MeasureRow,
    NetworkData,
    PartyRow,
)

__all__ = [
    "GRAPH_PARTS",
    "LABELLED",
    "PARTS",
    "ActorRow",
    "CaseRow",
    "ChargeRow",
    "ComplainantRow",
    "CourtRow",
    "EventRow",
    "Filters",
    "HearingRow",
    "MeasureRow",
    "NetworkData",
    "PartReader",
    "PartyRow",
    "Selection",
    "any_synthetic_case",
    "charge_filings",
    "filter_options",
    "load",
]
