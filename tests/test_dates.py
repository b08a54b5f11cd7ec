"""Partial dates: parsing, showing, comparing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011", (date(2011, 1, 1), "year")),
        ("2017-03", (date(2017, 3, 1), "month")),
        ("2017-03-06", (date(2017, 3, 6), "day")),
        (" 2017-3-6 ", (date(2017, 3, 6), "day")),
        ("", (None, "unknown")),
        (None, (None, "unknown")),
    ],
)
def test_parse_partial(text: str | None, expected: tuple[date | None, str]) -> None:
    assert dates.parse_partial(text) == expected


@pytest.mark.parametrize("text", ["2017-13", "2017-02-30", "March 2017", "17-03-06", "20111"])
def test_parse_partial_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        dates.parse_partial(text)


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (date(2011, 1, 1), "year", "2011"),
        (date(2017, 3, 1), "month", "2017-03"),
        (date(2017, 3, 6), "day", "2017-03-06"),
        (datetime(2017, 3, 6, 9, 5), "time", "2017-03-06 09:05"),
        (datetime(2017, 3, 6, 9, 5), "day", "2017-03-06"),
        (date(2017, 3, 6), "unknown", ""),
        (None, "day", ""),
    ],
)
def test_format_partial(value: date | None, precision: str, shown: str) -> None:
    assert dates.format_partial(value, precision) == shown


@pytest.mark.parametrize(
    ("a", "pa", "b", "pb", "before"),
    [
        (date(2011, 1, 1), "year", date(2012, 5, 30), "day", True),
        (date(2012, 1, 1), "year", date(2012, 5, 30), "day", False),
        (date(2012, 5, 30), "day", date(2012, 1, 1), "year", False),
        (date(2012, 5, 1), "month", date(2012, 5, 30), "day", False),
        (date(2012, 4, 30), "day", date(2012, 5, 1), "month", True),
        (date(2012, 4, 30), "unknown", date(2013, 5, 1), "day", False),
    ],
)
def test_is_before_at_coarser_precision(a: date, pa: str, b: date, pb: str, before: bool) -> None:
    assert dates.is_before(a, pa, b, pb) is before
