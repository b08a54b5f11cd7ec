"""Forms of a case's page that do more than one record: citations of sources.

The quick hearing form lives in hearing_form.py."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import services as sv
from ..i18n import t
from . import records
from .forms import Choice, record_form
from .setup import PageContext


def sources_tab(ctx: PageContext, detail: dict[str, Any]) -> None:
    """The sources cited in this case, and forms to add a source and cite it for any record."""
    cited = {s["source_id"]: s for items in detail["citations"].values() for s in items}
    records.table(
        list(cited.values()),
        {
            "title": "field.title",
            "publisher": "field.publisher",
            "published": "field.published_on",
            "url": "field.url",
        },
        "cases.no_sources",
    )
    if not ctx.principal.can_edit:
        return
    case_id = detail["case"]["id"]
    targets: dict[Any, str] = {("court_case", case_id): t("record.case")}
    for kind, table, label_key in (
        ("charges", "charge", "defendant"),
        ("hearings", "hearing", "when"),
        ("measures", "measure", "defendant"),
        ("events", "stage_change", "date"),
    ):
        for item in detail[kind]:
            targets[(table, item["id"])] = (
                f"{t(f'record.{table}' if table != 'stage_change' else 'record.stage_change')}: {item[label_key]}"
            )
    with st.expander(t("cases.attach_source")):
        st.caption(t("cases.new_source_hint"))
        record_form(
            ctx,
            sv.sources,
            key=f"source_new_{case_id}",
            fields=(
                "title",
                "publisher",
                "url",
                "published_on",
                "reliability",
                "restricted",
                "notes",
            ),
        )
        with Session(ctx.engine) as session:
            from sqlmodel import col, select

            from ..models import Source

            all_sources = {
                i: ti
                for i, ti in session.exec(
                    select(Source.id, Source.title).order_by(col(Source.title)).limit(500)
                ).all()
            }
        target = st.selectbox(
            t("cases.cite_for"),
            list(targets),
            format_func=lambda v: targets[v],
            key=f"cite_target_{case_id}",
        )
        record_form(
            ctx,
            sv.citations,
            key=f"cite_{case_id}_{target[0]}_{target[1]}",
            fields=("source_id", "supports"),
            fixed={"table_name": target[0], "row_id": target[1]},
            refs={"source_id": Choice(all_sources)},
            submit_label=t("cases.cite"),
        )
