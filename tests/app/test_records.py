"""Shared table pieces: empty cells instead of "None", dates and codes shown whole."""

from __future__ import annotations

from tracker.i18n import set_language
from tracker.ui import records


def test_missing_values_are_empty_cells_not_none() -> None:
    set_language("en")
    shown = records._shown(
        [{"when": "2018-05-08", "notes": None, "n": 0}],
        {"when": "field.scheduled_at", "notes": "field.notes", "n": "dashboard.col.charges"},
    )
    assert shown == [{"Scheduled for": "2018-05-08", "Notes": "", "Charges": 0}]


def test_short_columns_get_a_width_that_shows_them_whole() -> None:
    rows = [
        {"Opened on": "2018-03-06", "Title": "A very long title " * 4},
        {"Opened on": "2018-03", "Title": "Short"},
    ]
    config = records.column_widths(rows)
    assert list(config) == ["Opened on"]  # long text keeps the table's own sizing
    assert config["Opened on"]["width"] == 8 * 10 + 32
    assert records.column_widths([]) == {}
