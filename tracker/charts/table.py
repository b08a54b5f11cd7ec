"""The numbers behind one chart, as a small table: what the figure draws and the CSV holds.

A builder draws from a :class:`Table` and the CSV download is written from the same table, so
the file a report author gets holds exactly the numbers in the picture.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from ..i18n import t
from ..tabular import neutralize

__all__ = ["Table"]


@dataclass(frozen=True)
class Table:
    """Rows of plain values under column keys; headers are ``charts.col.<key>`` in a language.

    Attributes:
        columns: column keys, in order.
        rows: one tuple per row, values in the order of ``columns``.
        notes: plain-data remarks about what was left out (e.g. {"undated": 3}); the chart's
            subtitle and the methodology text say them in words.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = ()
    notes: tuple[tuple[str, Any], ...] = ()

    def column(self, key: str) -> list[Any]:
        """The values of one column, in row order."""
        i = self.columns.index(key)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column key."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def note(self, key: str, default: Any = None) -> Any:
        """The value of one note."""
        return dict(self.notes).get(key, default)

    def headers(self, lang: str) -> list[str]:
        """The column headers in ``lang``."""
        return [t(f"charts.col.{key}", lang) for key in self.columns]

    def csv_bytes(self, lang: str) -> bytes:
        """The table as CSV (UTF-8 with a byte-order mark, so spreadsheets read the accents).

        Numbers are written as numbers (shares as fractions, 0.75), never localized, so the
        file reads back into any tool; text cells that a spreadsheet would run as a formula
        are neutralized.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([neutralize(h) for h in self.headers(lang)])
        for row in self.rows:
            writer.writerow(["" if v is None else neutralize(v) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
