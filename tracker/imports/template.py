"""The import template's columns (re-exported from :mod:`tracker.template_columns`).

The columns are plain data with no dependency on the rest of the tracker, so they live below
the services (which validate saved column mappings against them); the importer's modules keep
reading them from here.
"""

from collections.abc import Iterable

from ..template_columns import (
    COLUMNS,
    Column,
    by_key,
    check_mapping,
    headers,
    names,
    normalize,
)
from .headers import match_headers

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


def auto_mapping(file_headers: Iterable[str]) -> dict[str, str]:
    """file header -> template key for every header we recognize (each key used once).

    Exact names first, then the tolerant comparison of :mod:`tracker.imports.headers`
    (articles, word order, accents, punctuation such as "N°").
    """

    return match_headers(list(file_headers))
