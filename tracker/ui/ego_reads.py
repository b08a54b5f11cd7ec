"""Cached reads of the Network page's readable views (tracker.analysis.ego), by Streamlit.

Like tracker.ui.analysis_reads: every result is a ``st.cache_data`` function of (database,
data and privacy revisions, filters, visibility, and the result's own arguments); a write
raises the data revision, so the next run asks for new keys. Nothing else is kept.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from .. import privacy, revision
from ..analysis import ego as egos
from ..network_data import Filters
from .analysis_reads import _ENGINES, ENTRIES, _Key

__all__ = ["EgoReads"]


def _redact(key: _Key) -> privacy.Redactor:
    # privacy.redactor keeps one per database, revisions and language: not rebuilt per read.
    return privacy.redactor(_ENGINES[key.url], show_confidential=key.show)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _overview(key: _Key, n_top: int, n_rows: int) -> egos.Overview:
    return egos.overview(
        _ENGINES[key.url], key.filters, n_top, n_rows, show_confidential=key.show,
        redact=_redact(key),
    )  # fmt: skip


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _ego(key: _Key, kind: str, ident: str) -> egos.Ego | None:
    return egos.ego(
        _ENGINES[key.url], key.filters, kind, ident, show_confidential=key.show,
        redact=_redact(key),
    )  # fmt: skip


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _search(key: _Key, text: str, limit: int) -> list[egos.Node]:
    return egos.search_nodes(
        _ENGINES[key.url], text, show_confidential=key.show, limit=limit, filters=key.filters,
        redact=_redact(key),
    )  # fmt: skip


class EgoReads:
    """The first view (top-N by reach and the measures), the ego network and the node search
    of one filter set and visibility at the revisions read this run."""

    def __init__(
        self,
        engine: Engine,
        filters: Filters,
        *,
        show_confidential: bool,
        at: tuple[int, int] | None = None,
    ) -> None:
        url = engine.url.render_as_string(hide_password=True)
        _ENGINES[url] = engine
        at = at if at is not None else revision.current_pair(engine)
        self.key = _Key(url, at, filters, show_confidential)

    def overview(self, n_top: int, n_rows: int) -> egos.Overview:
        """The first view in one read: the ``n_top`` complainants of widest reach, and the
        ``n_rows`` defenders facing the most charges and pairs in the most cases
        (tracker.analysis.ego.overview, one statement)."""
        return _overview(self.key, int(n_top), int(n_rows))

    def ego(self, kind: str, ident: str) -> egos.Ego | None:
        """tracker.analysis.ego.ego of one actor or court (None: not visible)."""
        return _ego(self.key, kind, ident)

    def search(self, text: str, limit: int) -> list[egos.Node]:
        """Actors and courts whose shown name contains ``text``, at most ``limit``."""
        return _search(self.key, text.strip(), int(limit))
