"""Showing data as text: nothing typed by a user is ever interpreted as Markdown or HTML.

Streamlit renders Markdown in titles, captions and st.markdown; a name holding "[x](http://..)"
or "<script>" must appear literally. Use these helpers for any database text in such places;
st.dataframe, st.text and widget values are already literal.
"""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's extensions) may treat as syntax.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^])")


def md(text: object) -> str:
    """Escape ``text`` so that Markdown shows it literally."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", "  \n")
