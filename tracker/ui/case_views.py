"""The Cases screen: the filtered list, a case's page and its forms."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import casework, db
from .. import services as sv
from ..errors import TrackerError
from ..i18n import t
from ..privacy import may_see_confidential
from ..services.hearings import record_result
from ..services.vocabulary import labels
from . import records
from .forms import Choice, flash, record_form
from .safe import md
from .setup import PageContext

PAGE_SIZE = 50
SORT_LABELS = {
    "updated": lambda: t("cases.sort.updated"),
    "opened": lambda: t("cases.sort.opened"),
    "title": lambda: t("cases.sort.title"),
}
CASE_FIELDS = (
    "title",
    "case_number",
    "case_type",
    "stage",
    "status",
    "court_id",
    "judicial_district",
    "region",
    "province",
    "context",
    "opened_on",
    "closed_on",
    "confidentiality",
    "summary",
)
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


def selected_case() -> uuid.UUID | None:
    """The case named in the page's URL (?case=<id>), so a case page can be linked to."""
    value = st.query_params.get("case")
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def open_case(case_id: uuid.UUID | None) -> None:
    """Show ``case_id`` (or the list, for None) and put it in the URL."""
    if case_id is None:
        st.query_params.pop("case", None)
    else:
        st.query_params["case"] = str(case_id)


def _filters(ctx: PageContext, session: Session) -> casework.CaseFilters:
    stages = labels(session, "stage", ctx.lang)
    charge_types = labels(session, "charge_type", ctx.lang)
    with st.expander(t("cases.filters"), expanded=False):
        c1, c2, c3 = st.columns(3)
        text = c1.text_input(t("cases.search"), key="f_text")
        status = c2.selectbox(
            t("field.status"),
            ["", "open", "closed", "unknown"],
            key="f_status",
            format_func=lambda v: t(f"status.{v}") if v else "",
        )
        stage = c3.selectbox(
            t("field.stage"), ["", *stages], key="f_stage", format_func=lambda v: stages.get(v, "")
        )
        region = c1.selectbox(t("field.region"), ["", *casework.regions(session)], key="f_region")
        charge_type = c2.selectbox(
            t("field.charge_type"),
            ["", *charge_types],
            key="f_charge",
            format_func=lambda v: charge_types.get(v, ""),
        )
        context = c3.text_input(t("field.context"), key="f_context")
        who = c1.text_input(t("cases.complainant_search"), key="f_complainant_text")
        found = (
            casework.search_actors(
                session,
                who,
                show_confidential=may_see_confidential(ctx.principal.role),
                kinds=("company", "public_body", "organization", "person", "group"),
            )
            if who
            else {}
        )
        complainant = c2.selectbox(
            t("cases.complainant"),
            ["", *found],
            key="f_complainant",
            format_func=lambda v: found.get(v, ""),
        )
        period = c3.date_input(
            t("cases.period"), value=[], min_value=date(1980, 1, 1), key="f_period"
        )
        synthetic = c1.checkbox(t("cases.include_synthetic"), value=True, key="f_synthetic")
    start, end = (*tuple(period), None, None)[:2] if period else (None, None)
    return casework.CaseFilters(
        status=status or None,
        stage=stage or None,
        region=region or None,
        context=context or None,
        complainant_id=complainant if isinstance(complainant, uuid.UUID) else None,
        charge_type=charge_type or None,
        opened_from=start,
        opened_to=end,
        text=text or None,
        include_synthetic=synthetic,
    )


def case_list(ctx: PageContext) -> None:
    """The filtered, sorted, paged list of cases, and a way to open one."""
    trusted = may_see_confidential(ctx.principal.role)
    with Session(ctx.engine) as session:
        filters = _filters(ctx, session)
        stages = labels(session, "stage", ctx.lang)
        c1, c2 = st.columns(2)
        sort = c1.selectbox(
            t("cases.sort"),
            list(SORT_LABELS),
            key="f_sort",
            format_func=lambda v: SORT_LABELS[v](),
        )
        page = int(c2.number_input(t("cases.page"), min_value=1, value=1, step=1, key="f_page")) - 1
        rows, total = casework.case_list(
            session, filters, show_restricted=trusted, sort=sort, page=page, page_size=PAGE_SIZE
        )
    flash()
    st.caption(
        t(
            "cases.count",
            total=total,
            first=min(total, page * PAGE_SIZE + 1),
            last=min(total, (page + 1) * PAGE_SIZE),
        )
    )
    if not rows:
        st.info(t("cases.none"))
    else:
        st.dataframe(casework.labelled(rows, stages), hide_index=True, width="stretch")
        titles = {r["id"]: r["title"] for r in rows}
        choice = st.selectbox(
            t("cases.open"), ["", *titles], key="open_case", format_func=lambda v: titles.get(v, "")
        )
        if choice:
            open_case(choice)
            st.rerun()
    if ctx.principal.can_edit:
        with st.expander(t("cases.new")):
            with Session(ctx.engine) as session:
                court_options = casework.courts(session)
            record_form(
                ctx,
                sv.cases,
                key="new_case",
                fields=CASE_FIELDS,
                refs={"court_id": Choice(court_options)},
                on_saved=open_case,
            )


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
        court_options = casework.courts(session)
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
    defendants = {p["actor_id"]: p["name"] for p in detail["parties"] if p["role"] == "defendant"}
    tabs = st.tabs(
        [
            t("cases.tab.parties"),
            t("cases.tab.charges"),
            t("cases.tab.hearings"),
            t("cases.tab.measures"),
            t("cases.tab.events"),
            t("cases.tab.edit"),
            t("cases.tab.sources"),
            t("cases.tab.history"),
        ]
    )
    with tabs[0]:
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
    with tabs[1]:
        _charges(ctx, detail, vocab, defendants)
    with tabs[2]:
        _hearings(ctx, detail, vocab, court_options)
    with tabs[3]:
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
    with tabs[4]:
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
    with tabs[5]:
        record_form(
            ctx,
            sv.cases,
            key=f"case_{case_id}",
            fields=CASE_FIELDS,
            record=case,
            refs={"court_id": Choice(court_options)},
        )
    with tabs[6]:
        _sources(ctx, detail)
    with tabs[7], Session(ctx.engine) as session:
        records.history(session, "court_case", case_id, show_values=trusted)


def _add_party(ctx: PageContext, case_id: uuid.UUID) -> None:
    with st.expander(t("cases.add_party")):
        text = st.text_input(t("cases.find_actor"), key=f"party_search_{case_id}")
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
    for charge in detail["charges"]:
        records.citations(detail["citations"].get(charge["id"], []))
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
    records.table(
        rows,
        {
            "when": "field.scheduled_at",
            "type": "field.hearing_type",
            "court": "field.court_id",
            "outcome": "field.result",
            "reason": "field.postponement_reason",
            "notes": "field.notes",
        },
        "cases.no_hearings",
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
        _hearing_result_form(ctx, detail, vocab)


def _hearing_result_form(
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


def _sources(ctx: PageContext, detail: dict[str, Any]) -> None:
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
            fields=("title", "publisher", "url", "published_on", "reliability", "notes"),
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
