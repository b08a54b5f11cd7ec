"""Translations: ``t(key, **params)`` looks a message up in the English or Spanish catalog.

Catalogs are flat YAML files of dotted keys, one folder per language (``en/*.yaml``,
``es/*.yaml``; one file per area of the app), so translators edit data, not code. The
current language is a context variable: each Streamlit session's script thread and each CLI
run set their own.

A message that counts something is written as a mapping of CLDR plural categories::

    hearings.overdue_count:
      one: '{total} hearing needs its result recorded.'
      other: '{total} hearings need their result recorded.'

and ``t()`` picks the form by the number in its first parameter among ``count``, ``total``,
``n``, ``days``, ``minutes`` and ``value``: "1 audiencia", "2 audiencias". English and Spanish use the CLDR categories ``one``
and ``other`` for whole numbers written in digits (Spanish's ``many`` applies only to
"1 millón de ..." spelled in words, which the app never writes), see :func:`plural_category`.
"""

from __future__ import annotations

import numbers
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "es")
_HERE = Path(__file__).resolve().parent
_current: ContextVar[str] = ContextVar("tracker_language", default="en")


PLURAL_CATEGORIES = ("one", "other")
# The parameters whose number chooses a plural form, in order of preference.
_COUNT_PARAMS = ("count", "total", "n", "days", "minutes", "value")


@cache
def _load(lang: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    messages: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    for path in sorted((_HERE / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        for key, value in data.items():
            if isinstance(value, dict):
                forms = {str(k): str(v) for k, v in value.items()}
                unknown = set(forms) - set(PLURAL_CATEGORIES)
                if unknown or "other" not in forms:
                    raise ValueError(f"{path.name}: {key}: plural forms must be one/other")
                plurals[str(key)] = forms
                messages[str(key)] = forms["other"]
            else:
                messages[str(key)] = str(value)
    return messages, plurals


def catalog(lang: str) -> dict[str, str]:
    """The messages of ``lang`` as a dict of key -> text (all files of its folder); a message
    with plural forms appears with its ``other`` form."""
    return _load(lang)[0]


def plural_forms(lang: str) -> dict[str, dict[str, str]]:
    """The messages of ``lang`` that have plural forms: key -> {category: text}."""
    return _load(lang)[1]


def plural_category(lang: str, number: Any) -> str:
    """The CLDR plural category of ``number`` in ``lang`` ("one" or "other").

    English: "one" for exactly the integer 1 (1.0 written with decimals is "other").
    Spanish: "one" for 1 (1 or 1.0). Everything else, 0 included, is "other". A number
    already formatted as text counts only when it is a whole number ("1", not "1,0").
    """
    if isinstance(number, str):
        number = int(number) if number.strip().isdigit() else None
    try:
        value = float(number)
    except (TypeError, ValueError):
        return "other"
    if value != 1:
        return "other"
    if lang == "en" and not isinstance(number, numbers.Integral):
        return "other"
    return "one"


def set_language(lang: str) -> None:
    """Make ``lang`` the language of this thread or task (unknown codes fall back to English)."""
    _current.set(lang if lang in LANGUAGES else "en")


def get_language() -> str:
    """The current language code."""
    return _current.get()


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """Translate ``key`` into ``lang`` (default: the current language), filling ``{params}``.

    A key missing from a catalog falls back to English, then to the key itself, so a gap shows
    up on screen instead of crashing; tests/test_i18n.py keeps both catalogs complete. A
    message with plural forms takes the one that fits its count (see the module's docstring).
    """
    lang = lang or _current.get()
    if key not in catalog(lang) and key in catalog("en"):
        lang = "en"
    text = catalog(lang).get(key) or key
    forms = plural_forms(lang).get(key)
    if forms:
        number = next((params[p] for p in _COUNT_PARAMS if p in params), None)
        text = forms.get(plural_category(lang, number), forms["other"])
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
