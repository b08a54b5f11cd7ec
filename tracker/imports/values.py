"""Values of list columns that are no term: listed once each, with suggestions.

"Casación", "Procuraduría", "Absolución revocada": an NGO's own words. Each distinct value of
a vocabulary is listed once with the rows that use it and the terms it most resembles; the
user maps it to a term, the import then reads it so and keeps the mapping as an alias.
"""

from __future__ import annotations

from collections.abc import Mapping

from .lookups import Vocabulary
from .report import Problem, UnknownValue
from .template import normalize

__all__ = ["unknown_values"]


def unknown_values(
    problems: list[Problem],
    vocab: Vocabulary,
    chosen: Mapping[tuple[str, str], str],
    columns: Mapping[str, str] | None = None,
) -> list[UnknownValue]:
    """Every distinct unknown value of the problems (by vocabulary), with its rows.

    Values the user already mapped (``chosen``) stay listed, with their term, so that the
    choice can still be seen and changed; ``columns`` gives the file's column of each
    vocabulary for them.
    """
    found: dict[tuple[str, str], UnknownValue] = {}
    for (vocabulary, value), code in chosen.items():
        found[vocabulary, normalize(value)] = UnknownValue(
            vocabulary=vocabulary,
            value=value,
            column=(columns or {}).get(vocabulary, ""),
            rows=[],
            suggestions=vocab.suggest(vocabulary, value),
            mapped_to=code,
        )
    for problem in problems:
        if problem.key != "import.term.unknown":
            continue
        vocabulary, value = problem.params["vocabulary"], str(problem.params["value"])
        key = (vocabulary, normalize(value))
        item = found.get(key)
        if item is None:
            item = found[key] = UnknownValue(
                vocabulary=vocabulary,
                value=value,
                column=problem.column,
                rows=[],
                suggestions=vocab.suggest(vocabulary, value),
                mapped_to=chosen.get((vocabulary, value)),
            )
        item.rows.append(problem.row)
    return sorted(found.values(), key=lambda v: (v.vocabulary, normalize(v.value)))
