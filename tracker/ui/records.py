"""Shared pieces of record pages: audit history, citations, labelled tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from .. import audit
from ..i18n import t
from .safe import md


def history(session: Session, table: str, row_id: uuid.UUID, *, show_values: bool) -> None:
    """Show a record's audit history: who changed what, when, old -> new."""
    entries = audit.history(session, table_name=table, row_id=row_id)
    if not entries:
        st.caption(t("records.no_history"))
        return
    rows = []
    for entry in entries:
        for field, (old, new) in sorted(entry["changes"].items()) or [("", (None, None))]:
            rows.append(
                {
                    t("dashboard.col.when"): entry["at"].strftime("%Y-%m-%d %H:%M UTC"),
                    t("dashboard.col.who"): entry["user"],
                    t("dashboard.col.action"): t(f"audit.{entry['action']}"),
                    t("records.col.field"): t(f"field.{field}") if field else "",
                    t("records.col.old"): _value(old) if show_values else "•••",
                    t("records.col.new"): _value(new) if show_values else "•••",
                }
            )
    st.dataframe(rows, hide_index=True, width="stretch")


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def citations(items: Sequence[Mapping[str, Any]]) -> None:
    """Show the sources that support a fact, right under it (a restricted source shows a
    viewer only its label, reliability and what it supports: tracker.privacy.shown_source)."""
    for item in items:
        parts = [md(item["title"])]
        if item["publisher"]:
            parts.append(md(item["publisher"]))
        if item["published"]:
            parts.append(md(item["published"]))
        line = " · ".join(parts)
        if item["supports"]:
            line += f" — {md(item['supports'])}"
        if item["url"]:
            line += f" — {md(item['url'])}"
        st.caption(f"📄 {line}")


def table(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str], empty_key: str) -> None:
    """A read-only table of ``rows`` showing ``columns`` (row key -> message key)."""
    if not rows:
        st.caption(t(empty_key))
        return
    shown = _shown(rows, columns)
    st.dataframe(arrow(shown), hide_index=True, width="stretch", column_config=column_widths(shown))


def _shown(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str]) -> list[dict[str, Any]]:
    headers = [(name, t(label)) for name, label in columns.items()]  # once, not per row
    # A missing value is an empty cell, never the text "None".
    return [
        {header: "" if row.get(name) is None else row.get(name) for name, header in headers}
        for row in rows
    ]


# Columns whose longest value is at most this many characters (dates, numbers, codes) get a
# width that shows them whole; longer text is left to the table's own sizing.
SHORT = 28


def column_widths(shown: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Widths (in pixels) for the short columns of ``shown``, so "2018-03-06" is never cut."""
    if not shown:
        return {}
    config: dict[str, Any] = {}
    for header in shown[0]:
        longest = max(len(str(row.get(header, ""))) for row in shown)
        if longest <= SHORT:
            chars = max(longest, min(len(header), SHORT))
            config[header] = st.column_config.Column(width=8 * chars + 32)
    return config


def clickable(
    rows: Sequence[Mapping[str, Any]],
    columns: Mapping[str, str] | None,
    *,
    key: str,
    ids: Sequence[Any],
    on_pick: Callable[[Any], None],
) -> None:
    """A table whose row click calls ``on_pick`` with that row's id (``ids[i]`` for row i).

    ``columns`` maps row keys to message keys, as in :func:`table`; None shows ``rows`` as
    they are (already labelled). The pick runs as a callback, before the page reruns, so it
    can change the URL or the session first; the table then forgets the selection, so the
    same row opens again after coming back.
    """
    shown = _shown(rows, columns) if columns is not None else list(rows)

    def picked() -> None:
        chosen = st.session_state[key].selection.rows
        del st.session_state[key]
        if chosen and chosen[0] < len(ids):
            on_pick(ids[chosen[0]])

    st.dataframe(
        arrow(shown),
        hide_index=True,
        width="stretch",
        key=key,
        on_select=picked,
        selection_mode="single-row",
        column_config=column_widths(shown),
    )
    st.caption(t("lists.click_hint"))


def arrow(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Rows (dicts with the same keys) as a pyarrow Table for ``st.dataframe``.

    Streamlit turns a list of dicts into a pandas frame and that into Arrow; a Table goes
    straight to Arrow (about ten times cheaper for a page of rows). Rows Arrow cannot type
    (a column mixing numbers and text) are passed as they are.
    """
    if not rows:
        return rows
    try:
        return pa.Table.from_pylist(list(rows))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return rows


def cited_facts(facts: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]) -> None:
    """Show each fact's sources under the fact's label; facts with the very same citations
    (the three charges of one indictment, say) are listed together once."""
    groups: dict[tuple[tuple[Any, str], ...], list[str]] = {}
    cited: dict[tuple[tuple[Any, str], ...], Sequence[Mapping[str, Any]]] = {}
    for label, items in facts:
        if not items:
            continue
        key = tuple((item["source_id"], item["supports"]) for item in items)
        groups.setdefault(key, []).append(label)
        cited[key] = items
    for key, labels in groups.items():
        st.markdown(f"**{md('; '.join(labels))}**")
        citations(cited[key])
