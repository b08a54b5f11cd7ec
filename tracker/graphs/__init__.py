"""Graphs of who prosecutes whom (INDICATORS.md): builders, measures, drawing.

Builders take the rows of :mod:`tracker.network_data`; measures take a graph and return plain
data. Nothing here imports Streamlit.
"""

from .analysis import (
    BETWEENNESS_SAMPLE,
    COMMUNITIES_ON_REQUEST,
    centrality,
    communities,
    community_of,
    components,
    node_cases,
    reach,
    repeat_targeting,
    time_slice_counts,
    time_slice_view,
    time_slices,
)
from .build import case_actor, co_complainants, co_defendants, complainant_defender, graph_by_name

__all__ = [
    "BETWEENNESS_SAMPLE",
    "COMMUNITIES_ON_REQUEST",
    "case_actor",
    "centrality",
    "co_complainants",
    "co_defendants",
    "communities",
    "community_of",
    "complainant_defender",
    "components",
    "graph_by_name",
    "node_cases",
    "reach",
    "repeat_targeting",
    "time_slice_counts",
    "time_slice_view",
    "time_slices",
]
