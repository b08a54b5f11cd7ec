"""Formula safety of spreadsheet cells: kept in :mod:`tracker.tabular` (shared with the
imports and the charts); this name stays for the exports' own modules."""

from ..tabular import FORMULA_STARTS, neutralize

__all__ = ["FORMULA_STARTS", "neutralize"]
