"""The Sources screen: the list, a source's page with the facts it supports, and forms to add
or edit a source and to cite it for any record (a case or one of its records, a person or
body or one of their memberships, a court)."""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import casework, people, sourcing
from .. import services as sv
from ..i18n import get_language, t
from ..privacy import may_see_confidential
from ..services.vocabulary import labels
from . import records
from .document_widgets import documents_section
from .forms import flash, record_form
from .safe import md
from .setup import PageContext

PAGE_SIZE = 50
SOURCE_FIELDS = (
    "title",
    "publisher",
    "url",
    "published_on",
    "reliability",
    "key",
    "restricted",
    "notes",
)
TARGET_KINDS = ("court_case", "actor", "court")


def selected_source() -> uuid.UUID | None:
    """The source named in the page's URL (?source=<id>)."""
    value = st.query_params.get("source")
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def open_source(source_id: uuid.UUID | None) -> None:
    """Show ``source_id`` (or the list, for None) and put it in the URL."""
    if source_id is None:
        st.query_params.pop("source", None)
    else:
        st.query_params["source"] = str(source_id)


def source_list(ctx: PageContext) -> None:
    """Sources found by text and reliability, a page at a time; a form for a new one."""
    reliability = ctx.read(labels, "reliability", ctx.lang)
    c1, c2, c3 = st.columns(3)
    text = c1.text_input(t("sources.search"), key="s_text")
    level = c2.selectbox(
        t("field.reliability"),
        ["", *reliability],
        key="s_reliability",
        format_func=lambda v: reliability.get(v, ""),
    )
    page = int(c3.number_input(t("cases.page"), min_value=1, value=1, step=1, key="s_page")) - 1
    rows, total = ctx.read(
        sourcing.source_list,
        show_confidential=may_see_confidential(ctx.principal.role),
        text=text or None,
        reliability=level or None,
        page=page,
        page_size=PAGE_SIZE,
    )
    flash()
    first, last = min(total, page * PAGE_SIZE + 1), min(total, (page + 1) * PAGE_SIZE)
    st.caption(t("sources.count", total=total, first=first, last=last))
    if not rows:
        st.info(t("sources.none"))
    else:
        shown = [
            {
                t("field.title"): r["title"],
                t("field.publisher"): r["publisher"] or "",
                t("field.published_on"): r["published"],
                t("field.reliability"): reliability.get(r["reliability"] or "", ""),
                t("sources.col.citations"): r["citations"],
                t("field.url"): r["url"] or "",
            }
            for r in rows
        ]
        records.clickable(
            shown, None, key="source_rows", ids=[r["id"] for r in rows], on_pick=open_source
        )
    if ctx.principal.can_edit:
        with st.expander(t("sources.new")):
            record_form(
                ctx, sv.sources, key="new_source", fields=SOURCE_FIELDS, on_saved=open_source
            )


def source_page(ctx: PageContext, source_id: uuid.UUID) -> None:
    """One source: what it is, the facts it supports, and forms to edit it and cite it."""
    trusted = may_see_confidential(ctx.principal.role)
    with Session(ctx.engine) as session:
        source = sourcing.source_detail(session, source_id, show_confidential=trusted)
        cited = sourcing.source_citations(session, source_id, show_confidential=trusted)
        vocab = people.labels_of(session, ("reliability", *_CODED), ctx.lang)
    if st.button(t("sources.back"), key="back_to_sources"):
        open_source(None)
        st.rerun()
    if source is None:
        st.error(t("sources.not_found"))
        return
    flash()
    st.subheader(md(source["title"]))
    reliability = vocab["reliability"].get(source["reliability"] or "", "")
    parts = (source["publisher"] or "", source["published"], reliability, source["url"] or "")
    st.caption(" · ".join(md(p) for p in parts if p))
    if source["notes"]:
        st.text(source["notes"])
    if source["restricted"]:
        st.info(t("sources.restricted_note"))
    if source["is_synthetic"]:
        st.warning(t("data.synthetic_warning"))
    tabs = [t("sources.tab.supports"), t("sources.tab.history")]
    if ctx.principal.can_edit:
        tabs[1:1] = [t("sources.tab.cite"), t("sources.tab.edit")]
    shown = st.tabs(tabs)
    with shown[0]:
        _supports(ctx, cited, vocab)
    if ctx.principal.can_edit:
        with shown[1]:
            _cite(ctx, source_id)
        with shown[2]:
            record_form(
                ctx, sv.sources, key=f"source_{source_id}", fields=SOURCE_FIELDS, record=source
            )
    with shown[-1], Session(ctx.engine) as session:
        records.history(session, "source", source_id, show_values=trusted)
    documents_section(ctx, source_id=source_id)


_CODED = ("party_role", "charge_type", "measure_kind", "hearing_type", "court_event")


def _supports(
    ctx: PageContext, cited: list[dict[str, Any]], vocab: dict[str, dict[str, str]]
) -> None:
    """Each fact the source supports, next to the record it is attached to."""
    rows = []
    for c in cited:
        vocabulary, code = c.get("code") or ("", "")
        what = " · ".join(
            x
            for x in (
                vocab.get(vocabulary, {}).get(code, code),
                c.get("person", ""),
                c.get("when", ""),
            )
            if x
        )
        rows.append(
            {
                "kind": _record(c["table_name"]),
                "case": c.get("case_title", ""),
                "what": what,
                "supports": c["supports"],
            }
        )
    columns = {
        "kind": "sources.col.record",
        "case": "dashboard.col.case",
        "what": "sources.col.what",
    }
    records.table(rows, {**columns, "supports": "field.supports"}, "sources.no_citations")
    if ctx.principal.can_edit and cited:
        options = {
            c["id"]: f"{_record(c['table_name'])}: {c.get('case_title') or c.get('person', '')}"
            for c in cited
        }
        chosen = st.selectbox(
            t("sources.edit_citation"),
            ["", *options],
            key="pick_citation",
            format_func=lambda v: options.get(v, ""),
        )
        if chosen:
            citation = next(c for c in cited if c["id"] == chosen)
            record_form(
                ctx, sv.citations, key=f"citation_{chosen}", fields=("supports",), record=citation
            )


def _cite(ctx: PageContext, source_id: uuid.UUID) -> None:
    """Cite the source for a record found by kind and name (and, within a case, by record)."""
    kind = st.radio(
        t("sources.cite_kind"),
        TARGET_KINDS,
        horizontal=True,
        key="cite_kind",
        format_func=_record,
    )
    text = st.text_input(t("sources.find_record"), key=f"cite_find_{kind}")
    with Session(ctx.engine) as session:
        found = _find(session, kind, text)
    picked = st.selectbox(
        t("sources.pick_record"),
        ["", *found],
        key=f"cite_pick_{kind}",
        format_func=lambda v: found.get(v, ""),
    )
    if not picked:
        return
    with Session(ctx.engine) as session:
        targets = _targets(session, kind, uuid.UUID(str(picked)))
    target = st.selectbox(
        t("cases.cite_for"),
        list(targets),
        key=f"cite_target_{picked}",
        format_func=lambda v: targets[v],
    )
    record_form(
        ctx,
        sv.citations,
        key=f"cite_{source_id}_{target[1]}",
        fields=("supports",),
        fixed={"source_id": source_id, "table_name": target[0], "row_id": target[1]},
        submit_label=t("cases.cite"),
    )


def _record(table: str) -> str:
    """The name of a kind of record ("case" for the court_case table)."""
    label = t("record.case" if table == "court_case" else f"record.{table}")
    return label[:1].upper() + label[1:]  # the catalog's names are for use inside sentences


def _find(session: Session, kind: str, text: str) -> dict[uuid.UUID, str]:
    """Records of ``kind`` whose title or name contains ``text`` (editors see real names)."""
    if kind == "actor":
        return (
            casework.search_actors(session, text, show_confidential=True, limit=30) if text else {}
        )
    if kind == "court":
        courts = casework.courts(session)
        return {i: n for i, n in courts.items() if text.casefold() in n.casefold()}
    if not text:
        return {}
    rows, _ = casework.case_list(
        session, casework.CaseFilters(text=text), show_restricted=True, page_size=30
    )
    return {r["id"]: r["title"] for r in rows}


def _targets(session: Session, kind: str, row_id: uuid.UUID) -> dict[tuple[str, uuid.UUID], str]:
    """The record itself and the records that hang from it, to cite the source for."""
    targets = {(kind, row_id): _record(kind)}
    if kind == "actor":
        for i, org in sourcing.memberships_of(session, row_id, show_confidential=True).items():
            targets[("membership", i)] = f"{t('record.membership')}: {org}"
    if kind == "court_case":
        detail = casework.case_detail(session, row_id, show_confidential=True) or {}
        vocab = people.labels_of(session, _CODED, get_language())
        for key, table, label, coded, vocabulary in _CASE_TARGETS:
            for item in detail.get(key, []):
                what = vocab[vocabulary].get(item[coded], item[coded])
                targets[(table, item["id"])] = f"{_record(table)}: {item[label]} · {what}"
    return targets


# What hangs from a case: (detail key, table, shown field, coded field, its vocabulary).
_CASE_TARGETS = (
    ("parties", "case_party", "name", "role", "party_role"),
    ("charges", "charge", "defendant", "charge_type", "charge_type"),
    ("hearings", "hearing", "when", "hearing_type", "hearing_type"),
    ("measures", "measure", "defendant", "kind", "measure_kind"),
    ("events", "stage_change", "date", "event", "court_event"),
)
