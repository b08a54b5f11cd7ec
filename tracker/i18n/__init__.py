"""Translations: ``t(key, **params)`` looks a message up in the English or Spanish catalog.

Catalogs are flat YAML files of dotted keys, one folder per language (``en/*.yaml``,
``es/*.yaml``; one file per area of the app), so translators edit data, not code. The current language is a context variable: each Streamlit session's script
thread and each CLI run set their own.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "es")
_HERE = Path(__file__).resolve().parent
_current: ContextVar[str] = ContextVar("tracker_language", default="en")


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of ``lang`` as a dict of key -> text (all files of its folder)."""
    messages: dict[str, str] = {}
    for path in sorted((_HERE / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        messages.update({str(k): str(v) for k, v in data.items()})
    return messages


def set_language(lang: str) -> None:
    """Make ``lang`` the language of this thread or task (unknown codes fall back to English)."""
    _current.set(lang if lang in LANGUAGES else "en")


def get_language() -> str:
    """The current language code."""
    return _current.get()


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """Translate ``key`` into ``lang`` (default: the current language), filling ``{params}``.

    A key missing from a catalog falls back to English, then to the key itself, so a gap shows
    up on screen instead of crashing; tests/test_i18n.py keeps both catalogs complete.
    """
    lang = lang or _current.get()
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
