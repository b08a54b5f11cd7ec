"""Shared pieces of record pages: audit history, citations, labelled tables."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
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
    headers = [(name, t(label)) for name, label in columns.items()]  # once, not per row
    shown = [{header: row.get(name, "") for name, header in headers} for row in rows]
    st.dataframe(arrow(shown), hide_index=True, width="stretch")


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
