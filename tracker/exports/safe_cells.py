"""Neutralize spreadsheet formulas: text a spreadsheet would run is prefixed with a quote.

Excel, LibreOffice and Google Sheets run a cell that starts with =, +, - or @ (and, after a tab
or a carriage return, some still do) as a formula, so a case title typed as
``=HYPERLINK("http://evil","click")`` would become a live link or worse (CSV injection,
OWASP). Every text cell of a CSV or XLSX export goes through :func:`neutralize`; numbers,
booleans and dates are written as such and never need it. The importer takes the quote off
again, so exported files round-trip.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "neutralize"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """``value`` unchanged unless it is text starting like a formula; then "'" + value.

    Examples:
        >>> neutralize("=1+1")
        "'=1+1"
        >>> neutralize("Caso Conga")
        'Caso Conga'
        >>> neutralize(-5)
        -5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
