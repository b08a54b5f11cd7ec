"""Forms of a case's page that do more than one record: hearing results and citations."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import db
from .. import services as sv
from ..errors import TrackerError
from ..i18n import t
from ..services.hearings import record_result
from . import records
from .forms import Choice, record_form
from .safe import md
from .setup import PageContext


def hearing_result_form(
    ctx: PageContext, detail: dict[str, Any], vocab: dict[str, dict[str, str]]
) -> None:
    """The quick form: result, postponement reason, next date and a stage change in one step."""
    hearings = {h["id"]: h for h in detail["hearings"]}
    pending = [h["id"] for h in detail["hearings"] if not h["result"]] or list(hearings)
    st.markdown(f"**{md(t('cases.what_happened'))}**")
    with st.form(f"result_{detail['case']['id']}"):
        chosen = st.selectbox(
            t("record.hearing"),
            pending,
            format_func=lambda v: (
                f"{hearings[v]['when']} — {vocab['hearing_type'].get(hearings[v]['hearing_type'], '')}"
            ),
            key="qr_hearing",
        )
        result = st.selectbox(
            t("field.result"),
            list(vocab["hearing_result"]),
            format_func=lambda v: vocab["hearing_result"][v],
            key="qr_result",
        )
        reason = st.selectbox(
            t("field.postponement_reason"),
            ["", *vocab["postponement_reason"]],
            format_func=lambda v: vocab["postponement_reason"].get(v, ""),
            key="qr_reason",
        )
        notes = st.text_area(t("field.notes"), key="qr_notes")
        next_at = st.text_input(t("field.next_at"), key="qr_next", help=t("form.datetime_hint"))
        new_stage = st.selectbox(
            t("field.new_stage"),
            ["", *vocab["stage"]],
            format_func=lambda v: vocab["stage"].get(v, ""),
            key="qr_stage",
        )
        submitted = st.form_submit_button(t("cases.record_result"))
    for message in st.session_state.pop("qr_errors", []):
        st.error(message)
    if submitted:
        try:
            with db.unit_of_work(ctx.engine, ctx.principal) as session:
                record_result(
                    session,
                    hearing_id=chosen,
                    expected_version=hearings[chosen]["version_id"],
                    result=result,
                    postponement_reason=reason or None,
                    notes=notes or None,
                    next_at=next_at or None,
                    new_stage=new_stage or None,
                )
        except TrackerError as exc:
            st.session_state["qr_errors"] = str(exc).split("\n")
            st.rerun()
        st.session_state["flash"] = t("form.saved")
        for k in ("qr_notes", "qr_next", "qr_stage", "qr_reason"):
            st.session_state.pop(k, None)
        st.rerun()


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
            fields=("title", "publisher", "url", "published_on", "reliability", "restricted", "notes"),
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
