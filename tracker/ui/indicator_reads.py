"""Cached reads of the Indicators page that tracker.ui.analysis_reads does not hold: the
sentence requests behind a figure (tracker.analysis.requests), per database revision."""

from __future__ import annotations

from typing import Any

import streamlit as st

from .. import analysis
from ..analysis.requests import request_rows
from .analysis_reads import Analysis

__all__ = ["requests_behind"]


@st.cache_data(max_entries=64, show_spinner=False)
def _requests(_an: Analysis, key: Any, figure: analysis.Figure) -> list[dict[str, Any]]:
    # ``key`` (database, revisions, filters, visibility) is what the result depends on; the
    # Analysis itself is not hashed (leading underscore).
    return request_rows(_an.engine, _an.filters, figure, show_confidential=_an.show)


def requests_behind(an: Analysis, figure: analysis.Figure) -> list[dict[str, Any]]:
    """The sentence requests a "sentence asked vs imposed" figure counted, as this viewer
    may see them (one statement; cached per revision, filters and visibility)."""
    return _requests(an, an.key, figure)
