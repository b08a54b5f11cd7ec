"""The import template's columns (re-exported from :mod:`tracker.template_columns`).

The columns are plain data with no dependency on the rest of the tracker, so they live below
the services (which validate saved column mappings against them); the importer's modules keep
reading them from here.
"""

from ..template_columns import (
    COLUMNS,
    Column,
    auto_mapping,
    by_key,
    check_mapping,
    headers,
    names,
    normalize,
)

__all__ = [
    "COLUMNS",
    "Column",
    "auto_mapping",
    "by_key",
    "check_mapping",
    "headers",
    "names",
    "normalize",
]
