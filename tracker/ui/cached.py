"""Reads of the list pages, cached until the data changes.

A page reads the same vocabulary labels, filter options and first page of rows on every
rerun (every click), and at scale M some of those take longer than everything else the page
does. :class:`DataReader` runs a read function once per (database, data revision, function,
arguments) and hands the same result to every later rerun and session. The key holds
:func:`tracker.revision.current`, read once per run, which every write of case data raises:
an edit is seen on the very next rerun, and nothing is recomputed while nothing changed.

What the revision does not follow is never read through here: accounts and the audit log
(logins and account changes write them without raising the revision).

Results are shared read-only between sessions (``st.cache_resource``): a page must not
change what it gets. Arguments must have an exact repr (plain values, ids, dates, frozen
dataclasses of those); who is looking (visibility) and the language are arguments, so a
viewer never gets an editor's entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from .. import privacy, revision

__all__ = ["DataReader"]

T = TypeVar("T")
# Entries of every page and argument set per process; older revisions age out.
MAX_ENTRIES = 512


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def _cached_read(key: str, _call: Callable[[], Any]) -> Any:
    return _call()


class DataReader:
    """``reader(fn, *args, **kwargs)`` is ``fn(session, *args, **kwargs)``, cached per data
    revision. Make one per script run (:func:`tracker.ui.page_setup` does): the revision is
    read once, on first use."""

    def __init__(self, engine: Engine, *, redact: bool = False) -> None:
        self.engine = engine
        # For someone who may not see confidential people, every result also passes the
        # redactor (tracker.privacy), whatever the read function did: names in free text,
        # court names, labels... The flag is part of the cache key.
        self.redact = redact
        self.url = engine.url.render_as_string(hide_password=True)
        self._revision: int | None = None

    @property
    def revision(self) -> int:
        """The data revision this run reads at (one primary-key read, on first use)."""
        if self._revision is None:
            self._revision = revision.current(self.engine)
        return self._revision

    def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        # One string for Streamlit to hash (hashing nested arguments cost more than the
        # read saved); the reprs of the plain values and frozen dataclasses passed are exact.
        key = repr(
            (
                self.url,
                self.revision,
                f"{fn.__module__}.{fn.__qualname__}",
                args,
                sorted(kwargs.items()),
                self.redact,
            )
        )

        def call() -> T:
            with Session(self.engine) as session:
                result = fn(session, *args, **kwargs)
                if self.redact:
                    result = privacy.redactor(session, show_confidential=False).value(result)
                return result

        return _cached_read(key, call)
