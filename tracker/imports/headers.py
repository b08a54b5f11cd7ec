"""Recognise a spreadsheet's column titles as template columns, as a person would.

"Nombre y apellidos", "N°", "Fecha de resultado", "Próxima audiencia", "Resultado del
cargo", "Date of the outcome": the same columns written differently. A title is compared
with every known name of every column (key, English, Spanish, aliases) after
:func:`~tracker.imports.template.normalize` (case, accents, punctuation), then as a set of
words without articles and prepositions (word order and "de la"/"del" do not matter).
"""

from __future__ import annotations

from functools import lru_cache

from ..template_columns import names, normalize

__all__ = ["match_header", "match_headers"]

# Words that carry no meaning in a column title, in Spanish and English.
_STOPWORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "lo",
        "un",
        "una",
        "de",
        "del",
        "al",
        "y",
        "e",
        "o",
        "u",
        "en",
        "por",
        "para",
        "con",
        "a",
        "the",
        "of",
        "and",
        "or",
        "for",
        "in",
        "on",
        "to",
        "by",
        "at",
        "an",
        "nº",
    ]
)


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalize(text).split() if w not in _STOPWORDS)


@lru_cache(maxsize=1)
def _by_words() -> dict[frozenset[str], str]:
    """Word set of every known name -> its key (a word set two columns share is left out)."""
    out: dict[frozenset[str], str] = {}
    clash: set[frozenset[str]] = set()
    for name, key in names().items():
        words = _words(name)
        if not words:
            continue
        if out.get(words, key) != key:
            clash.add(words)
        out.setdefault(words, key)
    return {w: k for w, k in out.items() if w not in clash}


def match_header(header: str) -> str | None:
    """The template key ``header`` names, or None."""
    known = names()
    # A bilingual header ("Case number / Número de expediente") matches by either half.
    candidates = [header, *str(header).split(" / ")]
    for text in candidates:
        key = known.get(normalize(text))
        if key:
            return key
    by_words = _by_words()
    for text in candidates:
        key = by_words.get(_words(text))
        if key:
            return key
    return None


def match_headers(headers: list[str]) -> dict[str, str]:
    """file header -> template key for every header recognised; each key used once (the
    first column that names it)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        if not header:
            continue
        key = match_header(header)
        if key and key not in used:
            mapping[header] = key
            used.add(key)
    return mapping
