"""Hostile text stays inert: Markdown and HTML typed by a user are shown literally."""

from __future__ import annotations

import pytest

from tracker.ui.safe import md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[click](http://evil.example)", "\\[click\\]\\(http\\://evil\\.example\\)"),
        ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\</script\\>"),
        ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
        ("# title", "\\# title"),
        ("María\u200b\u200fاحمد", "María\u200b\u200fاحمد"),  # zero-width and RTL kept as typed
        ("a\nb", "a  \nb"),
        ("x -- y -> z >= w", "x \\-\u2060\\- y \\-\u2060\\> z \\>\u2060\\= w"),
    ],
)
def test_md_escapes_markdown(text: str, escaped: str) -> None:
    assert md(text) == escaped
