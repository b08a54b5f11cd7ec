"""Researchers' numbers, computed in the database: plain Python, no Streamlit.

- :mod:`.kept`: Filters (visibility included) -> the SQL of the rows kept, the one place
  the selection is written;
- :mod:`.indicators`: every indicator of INDICATORS.md as aggregate SQL, overall and per
  group (:func:`figures`), in one implementation;
- :mod:`.revision_sums`: the charges' sums per (defendant, case) and per complainant, and
  each case's defendants and complainants, kept in tables made once per data revision;
- :mod:`.records`: the records behind one number, read on demand with the same filter;
- :mod:`.edges`: graph edges as weighted GROUP BYs, and networkx graphs built from them;
- :mod:`.projections`: the same for the case-actor, co-defendant and co-complainant graphs
  (:func:`graph_sql` builds any graph by name).

The pages, ``python -m tracker indicators`` and the charts call these same functions, so they
show the same numbers.
"""

from .definitions import (
    GROUPINGS,
    INDICATORS,
    MASS_THRESHOLD,
    Figure,
    Indicator,
    Result,
    group_label_text,
    indicator,
)
from .edges import network_sql
from .indicators import Aggregates, figures, figures_page
from .kept import Filters, KeptRows, Selection
from .outcomes import CONVICTION, OUTCOME_CLASS, PENDING, UNFOUNDED, is_final, outcome_class
from .projections import GRAPHS, graph_sql
from .records import record_ids, with_records

__all__ = [
    "CONVICTION",
    "GRAPHS",
    "GROUPINGS",
    "INDICATORS",
    "MASS_THRESHOLD",
    "OUTCOME_CLASS",
    "PENDING",
    "UNFOUNDED",
    "Aggregates",
    "Figure",
    "Filters",
    "Indicator",
    "KeptRows",
    "Result",
    "Selection",
    "figures",
    "figures_page",
    "graph_sql",
    "group_label_text",
    "indicator",
    "is_final",
    "network_sql",
    "outcome_class",
    "record_ids",
    "with_records",
]
