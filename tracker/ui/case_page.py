"""A case's page: parties, charges, hearings, measures, court events, sources and history."""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import casework
from .. import services as sv
from ..i18n import t
from ..privacy import may_see_confidential
from ..services.vocabulary import labels
from . import records
from .case_forms import sources_tab
from .case_views import CASE_FIELDS, open_case
from .document_widgets import documents_section
from .factsheet_widgets import download as factsheet_download
from .forms import Choice, flash, record_form
from .hearing_form import NEXT_TAB, hearing_result_form, pick_key, saved_message
from .request_views import sentence_requests
from .safe import md
from .setup import PageContext

CHARGE_FIELDS = (
    "defendant_id",
    "charge_type",
    "legal_reference",
    "mode_of_liability",
    "filed_on",
    "status",
    "outcome",
    "outcome_on",
    "sentence_requested_months",
    "sentence_imposed_months",
    "reparation_requested",
    "reparation_imposed",
    "reparation_currency",
    "notes",
)
HEARING_FIELDS = (
    "scheduled_at",
    "hearing_type",
    "court_id",
    "result",
    "postponement_reason",
    "notes",
)
MEASURE_FIELDS = (
    "defendant_id",
    "kind",
    "ordered_on",
    "duration_months",
    "ends_on",
    "annulled_on",
    "notes",
)
EVENT_FIELDS = ("event", "from_stage", "to_stage", "on_date", "judicial_district", "note")


def case_page(ctx: PageContext, case_id: uuid.UUID) -> None:
    """Everything about one case, with forms to change it."""
    trusted = may_see_confidential(ctx.principal.role)
    with Session(ctx.engine) as session:
        detail = casework.case_detail(session, case_id, show_confidential=trusted)
        vocab = {
            v: labels(session, v, ctx.lang)
            for v in (
                "stage",
                "charge_type",
                "outcome",
                "hearing_type",
                "hearing_result",
                "measure_kind",
                "court_event",
                "party_role",
                "postponement_reason",
            )
        }
        court_options = casework.courts(session, show_confidential=trusted)
    if st.button(t("cases.back"), key="back_to_list"):
        open_case(None)
        st.rerun()
    if detail is None:
        st.error(t("cases.not_found"))
        return
    case = detail["case"]
    flash()
    st.subheader(md(case["title"]))
    st.caption(
        md(
            " · ".join(
                x
                for x in (
                    case["case_number"] or "",
                    vocab["stage"].get(case["stage"], case["stage"]),
                    t(f"status.{case['status']}"),
                    case["court"],
                    t("cases.opened", date=case["opened"] or "?"),
                )
                if x
            )
        )
    )
    if case["is_synthetic"]:
        st.warning(t("data.synthetic_warning"))
    if case["summary"]:
        st.text(case["summary"])
    records.citations(detail["citations"].get(case["id"], []))
    factsheet_download(ctx, "case", case_id, case["title"])
    defendants = {p["actor_id"]: p["name"] for p in detail["parties"] if p["role"] == "defendant"}
    codes = ["parties", "charges", "hearings", "measures", "events", "edit", "sources", "history"]
    if not ctx.principal.can_edit:
        codes.remove("edit")  # viewers get no form, not a disabled one
    names = [t(f"cases.tab.{code}") for code in codes]
    # A keyed, stateful tab bar: the open tab survives reruns, and a save can choose it.
    tab_key = f"case_tab_{case_id}"
    if st.session_state.get(NEXT_TAB) in names:
        st.session_state[tab_key] = st.session_state.pop(NEXT_TAB)
    tabs = dict(zip(codes, st.tabs(names, key=tab_key, on_change="rerun"), strict=True))
    with tabs["parties"]:
        records.table(
            [
                {**p, "role_label": vocab["party_role"].get(p["role"], p["role"])}
                for p in detail["parties"]
            ],
            {"name": "field.name", "role_label": "field.role", "status": "field.status"},
            "cases.no_parties",
        )
        if ctx.principal.can_edit:
            _add_party(ctx, case_id)
    with tabs["charges"]:
        _charges(ctx, detail, vocab, defendants)
    with tabs["hearings"]:
        _hearings(ctx, detail, vocab, court_options)
    with tabs["measures"]:
        records.table(
            [
                {**m, "kind_label": vocab["measure_kind"].get(m["kind"], m["kind"])}
                for m in detail["measures"]
            ],
            {
                "defendant": "field.defendant_id",
                "kind_label": "field.kind",
                "ordered": "field.ordered_on",
                "ends": "field.ends_on",
                "annulled": "field.annulled_on",
                "notes": "field.notes",
            },
            "cases.no_measures",
        )
        if ctx.principal.can_edit and defendants:
            with st.expander(t("cases.add_measure")):
                record_form(
                    ctx,
                    sv.measures,
                    key=f"measure_{case_id}",
                    fields=MEASURE_FIELDS,
                    fixed={"case_id": case_id},
                    refs={"defendant_id": Choice(defendants)},
                )
    with tabs["events"]:
        records.table(
            [
                {
                    **e,
                    "event_label": vocab["court_event"].get(e["event"], e["event"]),
                    "from": vocab["stage"].get(e["from_stage"] or "", ""),
                    "to": vocab["stage"].get(e["to_stage"] or "", ""),
                }
                for e in detail["events"]
            ],
            {
                "date": "field.on_date",
                "event_label": "field.event",
                "from": "field.from_stage",
                "to": "field.to_stage",
                "note": "field.note",
            },
            "cases.no_events",
        )
        if ctx.principal.can_edit:
            with st.expander(t("cases.add_event")):
                record_form(
                    ctx,
                    sv.stage_changes,
                    key=f"event_{case_id}",
                    fields=EVENT_FIELDS,
                    fixed={"case_id": case_id},
                )
    if "edit" in tabs:
        with tabs["edit"]:
            record_form(
                ctx,
                sv.cases,
                key=f"case_{case_id}",
                fields=CASE_FIELDS,
                record=case,
                refs={"court_id": Choice(court_options)},
            )
    with tabs["sources"]:
        sources_tab(ctx, detail)
    with tabs["history"], Session(ctx.engine) as session:
        records.history(session, "court_case", case_id, show_values=trusted)
    documents_section(ctx, case_id=case_id, detail=detail)


def _add_party(ctx: PageContext, case_id: uuid.UUID) -> None:
    search_key = f"party_search_{case_id}"
    # Stay open while a search is typed: pressing Enter reruns the page.
    with st.expander(t("cases.add_party"), expanded=bool(st.session_state.get(search_key))):
        text = st.text_input(t("cases.find_actor"), key=search_key)
        with Session(ctx.engine) as session:
            found = casework.search_actors(session, text, show_confidential=True) if text else {}
        record_form(
            ctx,
            sv.parties,
            key=f"party_{case_id}",
            fields=("actor_id", "role", "start_date", "status", "notes"),
            fixed={"case_id": case_id},
            refs={"actor_id": Choice(found)},
        )
        st.caption(t("cases.new_actor_hint"))
        record_form(
            ctx,
            sv.actors,
            key=f"actor_for_{case_id}",
            fields=(
                "kind",
                "name",
                "is_defender",
                "region",
                "confidentiality",
                "pseudonym",
                "complainant_category",
            ),
        )


def _charges(
    ctx: PageContext,
    detail: dict[str, Any],
    vocab: dict[str, dict[str, str]],
    defendants: dict[Any, str],
) -> None:
    case_id = detail["case"]["id"]
    rows = [
        {
            **c,
            "type": vocab["charge_type"].get(c["charge_type"], c["charge_type"]),
            "result": vocab["outcome"].get(c["outcome"] or "", ""),
            "by": ", ".join(c["complainants"]),
            "state": t(f"enum.status.{c['status']}"),
        }
        for c in detail["charges"]
    ]
    records.table(
        rows,
        {
            "defendant": "field.defendant_id",
            "type": "field.charge_type",
            "by": "cases.complainants",
            "filed": "field.filed_on",
            "state": "field.status",
            "result": "field.outcome",
            "outcome_date": "field.outcome_on",
        },
        "cases.no_charges",
    )
    records.cited_facts(
        [
            (f"{row['defendant']}: {row['type']}", detail["citations"].get(charge["id"], []))
            for row, charge in zip(rows, detail["charges"], strict=True)
        ]
    )
    sentence_requests(detail, vocab["charge_type"])
    if not ctx.principal.can_edit:
        return
    if not defendants:
        st.info(t("cases.need_defendant"))
        return
    with st.expander(t("cases.add_charge")):
        record_form(
            ctx,
            sv.charges,
            key=f"charge_{case_id}",
            fields=CHARGE_FIELDS,
            fixed={"case_id": case_id},
            refs={"defendant_id": Choice(defendants)},
        )
    if detail["charges"]:
        options = {
            c[
                "id"
            ]: f"{c['defendant']} — {vocab['charge_type'].get(c['charge_type'], c['charge_type'])}"
            for c in detail["charges"]
        }
        chosen = st.selectbox(
            t("cases.edit_charge"),
            ["", *options],
            key=f"pick_charge_{case_id}",
            format_func=lambda v: options.get(v, ""),
        )
        if chosen:
            charge = next(c for c in detail["charges"] if c["id"] == chosen)
            record_form(
                ctx,
                sv.charges,
                key=f"charge_edit_{chosen}",
                fields=CHARGE_FIELDS,
                record=charge,
                refs={"defendant_id": Choice(defendants)},
            )
            complainants = {
                p["actor_id"]: p["name"]
                for p in detail["parties"]
                if p["role"]
                in ("complainant", "public_prosecutor", "private_prosecutor", "civil_party")
            }
            record_form(
                ctx,
                sv.charge_complainants,
                key=f"complainant_{chosen}",
                fields=("actor_id",),
                fixed={"charge_id": chosen},
                refs={"actor_id": Choice(complainants)},
                submit_label=t("cases.add_complainant"),
            )


def _hearings(
    ctx: PageContext,
    detail: dict[str, Any],
    vocab: dict[str, dict[str, str]],
    court_options: dict[Any, str],
) -> None:
    case_id = detail["case"]["id"]
    rows = [
        {
            **h,
            "type": vocab["hearing_type"].get(h["hearing_type"], h["hearing_type"]),
            "outcome": vocab["hearing_result"].get(h["result"] or "", ""),
            "reason": vocab["postponement_reason"].get(h["postponement_reason"] or "", ""),
        }
        for h in detail["hearings"]
    ]
    saved_message()
    columns = {
        "when": "field.scheduled_at",
        "type": "field.hearing_type",
        "court": "field.court_id",
        "outcome": "field.result",
        "reason": "field.postponement_reason",
        "notes": "field.notes",
    }
    if not ctx.principal.can_edit or not rows:
        records.table(rows, columns, "cases.no_hearings")
    else:
        # A row click chooses the hearing in the quick form below.
        records.clickable(
            rows,
            columns,
            key=f"hearing_rows_{case_id}",
            ids=[h["id"] for h in rows],
            on_pick=lambda hid: st.session_state.__setitem__(pick_key(case_id), hid),
        )
    if not ctx.principal.can_edit:
        return
    with st.expander(t("cases.add_hearing")):
        record_form(
            ctx,
            sv.hearings,
            key=f"hearing_{case_id}",
            fields=HEARING_FIELDS,
            fixed={"case_id": case_id},
            refs={"court_id": Choice(court_options)},
        )
    if detail["hearings"]:
        hearing_result_form(ctx, detail, vocab, court_options)
