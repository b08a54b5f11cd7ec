"""Dates as people type them in spreadsheets, read without guessing.

Accepted: ISO ("2019-04-25", "2019-04", "2019"), numeric day/month/year ("25/04/2019",
"25-04-2019", "25.04.2019", "04/2019") and written months in Spanish or English ("25 de abril
de 2019", "abril de 2019", "setiembre 2012", "April 25, 2019"). A partial date keeps its
precision: "abril de 2019" is 2019-04-01 with precision "month".

Numeric dates are read day first (DD/MM/YYYY), the convention of Latin America. A file that
also holds a date only month-first can explain (04/25/2019) has no order we can trust: its
dates whose day and month could be swapped (04/05/2019) are then refused as ambiguous, and
those written month-first are refused as impossible; nothing is ever guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from dateutil import parser as du_parser

__all__ = ["DateProblem", "DateReader", "parse_date"]

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ISO_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_HAS_LETTER = re.compile(r"[a-z]")


class _SpanishEnglish(du_parser.parserinfo):
    """Month names in Spanish (Peru writes "setiembre") and English; "de" joins the parts."""

    MONTHS: Any = [  # noqa: RUF012  (dateutil reads these class attributes)
        ("jan", "january", "ene", "enero"),
        ("feb", "february", "febrero"),
        ("mar", "march", "marzo"),
        ("apr", "april", "abr", "abril"),
        ("may", "mayo"),
        ("jun", "june", "junio"),
        ("jul", "july", "julio"),
        ("aug", "august", "ago", "agosto"),
        ("sep", "sept", "september", "set", "setiembre", "septiembre"),
        ("oct", "october", "octubre"),
        ("nov", "november", "noviembre"),
        ("dec", "december", "dic", "diciembre"),
    ]
    JUMP: Any = [*du_parser.parserinfo.JUMP, "de", "del", "el"]  # noqa: RUF012
    WEEKDAYS: Any = [  # noqa: RUF012
        ("mon", "monday", "lun", "lunes"),
        ("tue", "tuesday", "mar", "martes"),
        ("wed", "wednesday", "mie", "miercoles"),
        ("thu", "thursday", "jue", "jueves"),
        ("fri", "friday", "vie", "viernes"),
        ("sat", "saturday", "sab", "sabado"),
        ("sun", "sunday", "dom", "domingo"),
    ]


_PARSER = du_parser.parser(_SpanishEnglish(dayfirst=True))
# Two different defaults reveal which parts the text really gave (dateutil fills the rest).
_DEFAULT_A = datetime(1, 1, 1)
_DEFAULT_B = datetime(2, 2, 2, 1, 1)


class DateProblem(ValueError):
    """A cell that is not a date we can read without guessing; ``key`` names the reason."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class DateReader:
    """Reads the dates of one file, remembering evidence of a month-first order.

    Call :meth:`observe` on every date cell first, then :meth:`read` on each.
    """

    month_first_seen: list[str] = field(default_factory=list)

    def observe(self, value: Any) -> None:
        """Note a numeric date that only month-first order explains (04/25/2019)."""
        if isinstance(value, str):
            match = _NUMERIC.match(_clean(value))
            if match and int(match.group(1)) <= 12 < int(match.group(2)):
                self.month_first_seen.append(value.strip())

    def read(self, value: Any, *, with_time: bool = False) -> tuple[date | datetime | None, str]:
        """The (value, precision) of one cell; raises DateProblem."""
        return parse_date(
            value,
            with_time=with_time,
            strict_order=bool(self.month_first_seen),
            example=self.month_first_seen[0] if self.month_first_seen else "",
        )


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    """Lower-case, accents removed, spaces collapsed: "25 de Abril de 2019" -> "25 de abril..."."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def _valid(year: int, month: int, day: int, raw: str) -> date:
    if year < 1000:
        raise DateProblem("import.date.four_digit_year", value=raw)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateProblem("import.date.impossible", value=raw) from exc


def parse_date(
    value: Any, *, with_time: bool = False, strict_order: bool = False, example: str = ""
) -> tuple[date | datetime | None, str]:
    """Read one spreadsheet cell as a partial date.

    Args:
        value: the cell (text, a number such as 2011, or a date from a spreadsheet).
        with_time: keep a time of day (hearings); the precision is then "time".
        strict_order: the file showed a month-first date, so swappable dates are refused.
        example: that month-first date, for the message.
    Returns:
        (first day of the period, precision); (None, "unknown") for an empty cell.
    Raises:
        DateProblem: not a date, impossible, or ambiguous.
    """
    if value is None:
        return None, "unknown"
    if isinstance(value, datetime):
        if with_time and (value.hour or value.minute):
            return value.replace(second=0, microsecond=0), "time"
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, bool):
        raise DateProblem("import.date.unreadable", value=str(value))
    if isinstance(value, int | float):
        # A bare number in a date column is a year typed as a number ("2011").
        if float(value).is_integer() and 1000 <= value <= 9999:
            return date(int(value), 1, 1), "year"
        raise DateProblem("import.date.unreadable", value=str(value))
    return _parse_text(str(value).strip(), with_time, strict_order, example)


@lru_cache(maxsize=1 << 16)
def _parse_text(
    raw: str, with_time: bool, strict_order: bool, example: str
) -> tuple[date | datetime | None, str]:
    """:func:`parse_date` of a text cell (cached: a file repeats its dates; refusals raise)."""
    text = _clean(raw)
    if not text or text in ("-", "?", "unknown", "desconocido", "desconocida", "s/f", "n/a"):
        return None, "unknown"
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return _valid(int(year), int(month or 1), int(day or 1), raw), (
            "day" if day else "month" if month else "year"
        )
    if match := _ISO_TIME.match(text):
        y, mo, d, h, mi, _s = match.groups()
        day_value = _valid(int(y), int(mo), int(d), raw)
        if not with_time:
            return day_value, "day"
        try:
            return datetime.combine(day_value, datetime.min.time()).replace(
                hour=int(h), minute=int(mi)
            ), "time"
        except ValueError as exc:
            raise DateProblem("import.date.impossible", value=raw) from exc
    if match := _NUMERIC.match(text):
        first, second, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise DateProblem("import.date.four_digit_year", value=raw)
        if strict_order and first != second and first <= 12 and second <= 12:
            raise DateProblem("import.date.ambiguous", value=raw, example=example)
        if second > 12:
            raise DateProblem("import.date.month_first", value=raw)
        return _valid(year, second, first, raw), "day"
    if match := _MONTH_YEAR.match(text):
        month, year = int(match.group(1)), int(match.group(2))
        return _valid(year, month, 1, raw), "month"
    if not _HAS_LETTER.search(text):
        raise DateProblem("import.date.unreadable", value=raw)
    return _written(text, raw, with_time=with_time)


def _written(text: str, raw: str, *, with_time: bool) -> tuple[date | datetime, str]:
    """Dates with a month name, read by dateutil with Spanish and English months."""
    try:
        a = _PARSER.parse(text, default=_DEFAULT_A)
        b = _PARSER.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError) as exc:
        if "out of range" in str(exc) or "must be in" in str(exc):
            raise DateProblem("import.date.impossible", value=raw) from exc
        raise DateProblem("import.date.unreadable", value=raw) from exc
    if a.year != b.year:
        raise DateProblem("import.date.no_year", value=raw)
    if a.month != b.month:
        if a.day != b.day:
            return _valid(a.year, 1, 1, raw), "year"
        # A day without a month ("25 2019") is not a date anyone means.
        raise DateProblem("import.date.unreadable", value=raw)
    day = _valid(a.year, a.month, a.day if a.day == b.day else 1, raw)
    if a.day != b.day:
        return day, "month"
    if with_time and a.hour == b.hour and a.minute == b.minute:
        return datetime(a.year, a.month, a.day, a.hour, a.minute), "time"
    return day, "day"
