"""Compare names and case numbers the way a careful person would.

- **Names**: case, accents and punctuation are ignored (:func:`normalize`); so are the legal
  suffixes of companies (S.A., S.A.C., S.R.L., E.I.R.L., S.A.A.) and the order of the words
  ("Acuña Atalaya, Máxima" is "Máxima Acuña Atalaya"). Those are *confident* matches. A name
  whose words are all in another one ("Máxima Acuña" and "Máxima Acuña Atalaya": an extra
  surname), or one a letter or two away ("Maxima Acuna Atalalla"), is only *uncertain*: the
  user decides.
- **Case numbers** of Peru: an expediente ``00123-2019-0-0601-JR-PE-01``, a cassation
  ``Casación N° 458-2015 Cajamarca``, an appeal ``Apelación 12-2016``, a carpeta fiscal
  ``Carpeta Fiscal 306-2014``. Their core is the number and the year (``123-2019``,
  ``458-2015``); a bare ``458-2015`` in a sheet is that case.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .template import normalize

__all__ = ["case_core", "name_key", "name_similarity", "name_words"]

# Legal forms, as word sequences after normalize() ("S.R.L." -> "s r l").
_SUFFIXES = (
    ("e", "i", "r", "l"),
    ("s", "a", "c"),
    ("s", "a", "a"),
    ("s", "r", "l"),
    ("s", "a"),
    ("eirl",),
    ("sac",),
    ("saa",),
    ("srl",),
    ("sa",),
    ("ltda",),
    ("inc",),
    ("llc",),
)
_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")
_NUMBER_YEAR = re.compile(r"(?<!\d)0*(\d{1,6})\s*-\s*((?:19[5-9]|20\d)\d)(?!\d)")
_YEAR_NUMBER = re.compile(r"(?<!\d)((?:19[5-9]|20\d)\d)\s*-\s*0*(\d{1,6})(?!\d)")


@lru_cache(maxsize=1 << 16)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a name without case, accents, punctuation and legal suffix."""
    words = normalize(name).split()
    for suffix in _SUFFIXES:
        n = len(suffix)
        if len(words) > n and tuple(words[-n:]) == suffix:
            words = words[:-n]
            break
    return tuple(words)


def name_key(name: str) -> str:
    """Two names with the same key are the same name (word order and legal form aside)."""
    return " ".join(sorted(name_words(name)))


def name_similarity(a: str, b: str) -> str:
    """ "same", "uncertain" or "" (different) for two names.

    Uncertain: the words of one are all among the other's (two at least: an extra or a
    missing surname), or the names are nearly the same letters (a typing slip).
    """
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return ""
    if sorted(wa) == sorted(wb):
        return "same"
    sa, sb = set(wa), set(wb)
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(small) >= 2 and small <= large:
        return "uncertain"
    ka, kb = " ".join(sorted(wa)), " ".join(sorted(wb))
    if min(len(ka), len(kb)) >= 8 and SequenceMatcher(None, ka, kb).ratio() >= 0.9:
        return "uncertain"
    return ""


@lru_cache(maxsize=1 << 16)
def case_core(number: str) -> str | None:
    """The number-year core of a Peruvian case number ("458-2015"), or None.

    The first number-year pair is the core: in an expediente the court and specialty codes
    come after it. "2015-458" (year first) reads as "458-2015".
    """
    text = str(number)
    match = _NUMBER_YEAR.search(text)
    if match and not _YEAR.match(match.group(1)):
        return f"{int(match.group(1))}-{match.group(2)}"
    match = _YEAR_NUMBER.search(text)
    if match:
        return f"{int(match.group(2))}-{match.group(1)}"
    match = _NUMBER_YEAR.search(text)
    if match:
        return f"{int(match.group(1))}-{match.group(2)}"
    return None
