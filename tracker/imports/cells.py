"""Turn one spreadsheet cell into a value of its template column's kind, or a problem key."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from .datetext import DateProblem, DateReader
from .lookups import Vocabulary, find_choice, parse_bool
from .template import Column

__all__ = ["EMPTY", "CellProblem", "convert", "reader", "split_list", "text"]

# What :func:`reader` gives for a cell that holds no value: blank, an empty list, "unknown".
EMPTY = object()
_NOTHING = (None, "unknown")  # an unknown date's (value, precision)

# Our exports put a quote before text a spreadsheet would run as a formula; take it off.
_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r])")
_SPLIT = re.compile(r"\s*[;\n]\s*")
_NUMBER = re.compile(r"^[+-]?\d[\d.,]*$")


class CellProblem(ValueError):
    """A cell that cannot be read as its column's kind; ``key`` and ``params`` say why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def text(value: Any) -> str | None:
    """A cell as trimmed text; None when empty. 2011.0 from a spreadsheet reads "2011"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value)
    if out.startswith("'"):
        out = _NEUTRALIZED.sub("", out)
    return out.strip() or None


def split_list(value: Any) -> list[str]:
    """Items of a list cell, separated by semicolons or line breaks."""
    raw = text(value)
    return [part for part in _SPLIT.split(raw) if part] if raw else []


def _number(raw: str) -> float:
    """A number written 50000, 50000.5, 50000,5, 50.000,50 or 50,000.50 (never 50,000)."""
    compact = raw.replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(compact):
        raise CellProblem("import.cell.not_a_number", value=raw)
    dots, commas = compact.count("."), compact.count(",")
    if dots and commas:
        decimal = "." if compact.rfind(".") > compact.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        compact = compact.replace(thousands, "").replace(decimal, ".")
    elif dots + commas == 1:
        sep = "." if dots else ","
        if len(compact.split(sep)[1]) == 3:
            # 50,000 or 50.000: thousands or decimals depends on the writer's country.
            raise CellProblem("import.cell.ambiguous_number", value=raw)
        compact = compact.replace(",", ".")
    elif dots + commas > 1:
        sep = "." if dots else ","
        groups = compact.split(sep)
        if any(len(g) != 3 for g in groups[1:]):
            raise CellProblem("import.cell.not_a_number", value=raw)
        compact = compact.replace(sep, "")
    return float(compact)


def convert(column: Column, value: Any, vocab: Vocabulary, dates: DateReader) -> Any:
    """The value of one cell for ``column``; raises CellProblem or DateProblem."""
    kind = column.kind
    if kind == "date":
        try:
            return dates.read(value)
        except DateProblem as exc:
            raise CellProblem(exc.key, **exc.params) from exc
    raw = text(value)
    if raw is None:
        return None
    if kind == "text":
        return raw
    if kind in ("int", "number"):
        if isinstance(value, bool):
            raise CellProblem("import.cell.not_a_number", value=raw)
        number = float(value) if isinstance(value, int | float) else _number(raw)
        if number != number or number in (float("inf"), float("-inf")):
            raise CellProblem("import.cell.not_a_number", value=raw)
        if kind == "int":
            if not number.is_integer():
                raise CellProblem("import.cell.not_a_whole_number", value=raw)
            return int(number)
        return number
    if kind == "bool":
        flag = parse_bool(value)
        if flag is None:
            raise CellProblem("import.cell.not_yes_no", value=raw)
        return flag
    if kind == "id":
        try:
            return uuid.UUID(raw)
        except ValueError as exc:
            raise CellProblem("import.cell.not_an_id", value=raw) from exc
    if kind == "choice":
        group = {
            "case_status": "case_status",
            "charge_status": "charge_status",
            "defendant_kind": "kind",
        }.get(column.key, "confidentiality")
        code = find_choice(group, raw)
        if code is None:
            raise CellProblem(
                "import.cell.bad_choice", value=raw, group_key=f"import.choices.{group}"
            )
        return code
    if kind == "vocab":
        return _term(vocab, column.vocabulary, raw)
    if kind == "vocab_list":
        return [_term(vocab, column.vocabulary, part) for part in split_list(raw)]
    if kind == "names":
        return split_list(raw)
    return raw


def reader(column: Column, vocab: Vocabulary, dates: DateReader) -> Callable[[Any], Any]:
    """:func:`convert` for one column, reading each distinct text cell once.

    A file repeats most of its cells (a case's number, title and dates on every one of its
    charges, a handful of charge types), so most cells are a dict lookup.
    Only text cells are remembered: 1, 1.0 and True are equal dict keys but not the same
    cell. A cell with no value (blank, an empty list, an unknown date) gives :data:`EMPTY`.
    Lists come out as copies, because the planner extends them. Call it only after every
    date cell was observed: the date order is fixed from then on.
    """
    memo: dict[str, tuple[bool, Any]] = {}
    copy_out = column.kind in ("vocab_list", "names")

    def value_of(cell: Any) -> Any:
        value = convert(column, cell, vocab, dates)
        return EMPTY if value is None or value == [] or value == _NOTHING else value

    def read(cell: Any) -> Any:
        if type(cell) is not str:
            return value_of(cell)
        hit = memo.get(cell)
        if hit is None:
            try:
                hit = (True, value_of(cell))
            except CellProblem as exc:
                hit = (False, (exc.key, exc.params))
            memo[cell] = hit
        ok, result = hit
        if not ok:
            raise CellProblem(result[0], **result[1])
        return list(result) if copy_out and result is not EMPTY else result

    return read


def _term(vocab: Vocabulary, vocabulary: str, raw: str) -> str:
    code, problem = vocab.find(vocabulary, raw)
    if code is None:
        raise CellProblem(
            problem or "import.term.unknown",
            value=raw[:80],
            vocabulary=vocabulary,  # the code: unknown values are grouped by it
            # The list by its name and the examples by their labels, in the reader's language
            # (the report may be read in another one than it was made in).
            vocabulary_key=f"enum.vocabulary.{vocabulary}",
            examples={lang: vocab.choices(vocabulary, lang) for lang in ("en", "es")},
        )
    return code
