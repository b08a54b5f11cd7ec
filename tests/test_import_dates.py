"""Dates as people type them: read with their precision, refused when impossible or ambiguous."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker.i18n import t
from tracker.imports.datetext import DateProblem, DateReader, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/04/2019", (date(2019, 4, 25), "day")),
        ("25-04-2019", (date(2019, 4, 25), "day")),
        ("25.04.2019", (date(2019, 4, 25), "day")),
        ("2019-04-25", (date(2019, 4, 25), "day")),
        ("2019-04", (date(2019, 4, 1), "month")),
        ("2011", (date(2011, 1, 1), "year")),
        ("04/2019", (date(2019, 4, 1), "month")),
        ("25 de abril de 2019", (date(2019, 4, 25), "day")),
        ("25 de Abril del 2019", (date(2019, 4, 25), "day")),
        ("abril de 2019", (date(2019, 4, 1), "month")),
        ("Setiembre 2012", (date(2012, 9, 1), "month")),
        ("1 de septiembre de 2012", (date(2012, 9, 1), "day")),
        ("17 de julio de 2017", (date(2017, 7, 17), "day")),
        ("April 25, 2019", (date(2019, 4, 25), "day")),
        ("March 2017", (date(2017, 3, 1), "month")),
        ("04/05/2019", (date(2019, 5, 4), "day")),  # day first: 4 May
        ("  ", (None, "unknown")),
        ("desconocida", (None, "unknown")),
        (None, (None, "unknown")),
        (2011, (date(2011, 1, 1), "year")),
        (2011.0, (date(2011, 1, 1), "year")),
        (datetime(2019, 4, 25, 0, 0), (date(2019, 4, 25), "day")),
        (date(2019, 4, 25), (date(2019, 4, 25), "day")),
    ],
)
def test_dates_keep_their_precision(text: object, expected: tuple[object, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("31/02/2019", "import.date.impossible"),
        ("31 de febrero de 2019", "import.date.impossible"),
        ("2019-13", "import.date.impossible"),
        ("04/25/2019", "import.date.month_first"),
        ("25/04/19", "import.date.four_digit_year"),
        ("25 de abril", "import.date.no_year"),
        ("mañana", "import.date.unreadable"),
        ("12345", "import.date.unreadable"),
        (True, "import.date.unreadable"),
        (12.5, "import.date.unreadable"),
    ],
)
def test_impossible_dates_are_errors_never_guesses(text: object, key: str) -> None:
    with pytest.raises(DateProblem) as info:
        parse_date(text)
    assert info.value.key == key


def test_a_file_with_a_month_first_date_makes_swappable_dates_ambiguous() -> None:
    reader = DateReader()
    for cell in ("04/25/2019", "04/05/2019", "25/04/2019"):
        reader.observe(cell)
    with pytest.raises(DateProblem) as info:
        reader.read("04/05/2019")
    assert info.value.key == "import.date.ambiguous"
    assert t(info.value.key, lang="en", **info.value.params) == (
        "“04/05/2019” is ambiguous: this file also has 04/25/2019, written month first, so "
        "day and month cannot be told apart. Write it as 2019-05-04 or “4 de mayo de 2019”."
    )
    # Unambiguous dates of the same file are still read.
    assert reader.read("25/04/2019") == (date(2019, 4, 25), "day")
    assert reader.read("05/05/2019") == (date(2019, 5, 5), "day")


def test_hearing_times_are_kept_when_asked() -> None:
    assert parse_date("2017-03-06 10:30", with_time=True) == (datetime(2017, 3, 6, 10, 30), "time")
    assert parse_date("2017-03-06 10:30") == (date(2017, 3, 6), "day")
