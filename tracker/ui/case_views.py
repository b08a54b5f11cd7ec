"""The Cases screen: the filtered, paged list of cases and the form for a new case."""

from __future__ import annotations

import uuid
from datetime import date

import streamlit as st

from .. import casework
from .. import services as sv
from ..i18n import t
from ..privacy import may_see_confidential
from ..services.vocabulary import labels
from . import records
from .forms import Choice, flash, record_form
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


def _filters(ctx: PageContext) -> casework.CaseFilters:
    stages = ctx.read(labels, "stage", ctx.lang)
    charge_types = ctx.read(labels, "charge_type", ctx.lang)
    # A stage or charge type in the URL (?stage=, ?charge_type=: a search result's link)
    # sets its filter the first time the list is drawn; the user may change it after.
    from_url = False
    for param, key, known in (
        ("stage", "f_stage", stages),
        ("charge_type", "f_charge", charge_types),
    ):
        value = st.query_params.get(param)
        if value in known and key not in st.session_state:
            st.session_state[key] = value
            from_url = True
    with st.expander(t("cases.filters"), expanded=from_url):
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
        regions = ctx.read(casework.regions)
        region = c1.selectbox(t("field.region"), ["", *regions], key="f_region")
        charge_type = c2.selectbox(
            t("field.charge_type"),
            ["", *charge_types],
            key="f_charge",
            format_func=lambda v: charge_types.get(v, ""),
        )
        context = c3.text_input(t("field.context"), key="f_context")
        who = c1.text_input(t("cases.complainant_search"), key="f_complainant_text")
        found = (
            ctx.read(
                casework.search_actors,
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
    filters = _filters(ctx)
    stages = ctx.read(labels, "stage", ctx.lang)
    c1, c2 = st.columns(2)
    sort = c1.selectbox(
        t("cases.sort"),
        list(SORT_LABELS),
        key="f_sort",
        format_func=lambda v: SORT_LABELS[v](),
    )
    page = int(c2.number_input(t("cases.page"), min_value=1, value=1, step=1, key="f_page")) - 1
    rows, total = ctx.read(
        casework.case_list,
        filters,
        show_restricted=trusted,
        sort=sort,
        page=page,
        page_size=PAGE_SIZE,
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
        records.clickable(
            casework.labelled(rows, stages),
            None,
            key="case_rows",
            ids=[r["id"] for r in rows],
            on_pick=open_case,
        )
    if ctx.principal.can_edit:
        with st.expander(t("cases.new")):
            court_options = ctx.read(casework.courts, show_confidential=trusted)
            record_form(
                ctx,
                sv.cases,
                key="new_case",
                fields=CASE_FIELDS,
                refs={"court_id": Choice(court_options)},
                on_saved=open_case,
            )
