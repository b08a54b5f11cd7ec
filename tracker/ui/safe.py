"""Showing data as text: nothing typed by a user is ever interpreted as Markdown or HTML.

Streamlit renders Markdown in titles, captions and st.markdown; a name holding "[x](http://..)"
or "<script>" must appear literally. Use these helpers for any database text in such places;
st.dataframe, st.text and widget values are already literal.
"""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's extensions) may treat as syntax.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^])")
# Streamlit turns " -- ", " -> ", " >= "... into typographic symbols after parsing, so
# escaping cannot stop it; an invisible word joiner between the two characters does.
_ARROWS = re.compile(r"([-<>~])(?=[->=])")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape ``text`` so that Markdown shows it literally."""
    joined = _ARROWS.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    return _MARKDOWN.sub(r"\\\1", joined).replace("\n", "  \n")
