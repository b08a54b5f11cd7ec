"""The Defenders and Actors screens: filtered lists, a person's or body's page, their forms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import casework, people, profiles
from .. import services as sv
from ..i18n import t
from ..privacy import may_see_confidential
from . import records
from .calendar_views import timeline_section
from .factsheet_widgets import download as factsheet_download
from .forms import Choice, flash, record_form
from .safe import md
from .setup import PageContext

PAGE_SIZE = 50
GOTO_CASE = "profile_goto_case"  # the case a row click opens, on the next run
VOCABS = (
    "rights_defended",
    "defender_role",
    "complainant_category",
    "party_role",
    "stage",
    "charge_type",
    "outcome",
    "measure_kind",
    "hearing_type",
    "hearing_result",
    "court_event",
)
DEFENDER_FIELDS = (
    "kind",
    "name",
    "confidentiality",
    "pseudonym",
    "consent_to_publish",
    "gender",
    "birth_date",
    "id_number",
    "region",
    "province",
    "district",
    "rights_defended",
    "defender_role",
    "description",
)
ACTOR_FIELDS = (
    "kind",
    "name",
    "complainant_category",
    "is_defender",
    "confidentiality",
    "pseudonym",
    "id_number",
    "region",
    "province",
    "description",
)
MEMBERSHIP_FIELDS = ("organization_id", "role", "start_date", "end_date")


def selected_actor() -> uuid.UUID | None:
    """The person or body named in the page's URL (?actor=<id>), so a profile can be linked."""
    value = st.query_params.get("actor")
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def open_actor(actor_id: uuid.UUID | None) -> None:
    """Show ``actor_id`` (or the list, for None) and put it in the URL."""
    if actor_id is None:
        st.query_params.pop("actor", None)
    else:
        st.query_params["actor"] = str(actor_id)


def _select(
    where: Any, label: str, options: dict[Any, str] | list[Any], key: str, fmt: Callable[[Any], Any]
) -> Any:
    """A selectbox whose first, empty choice means "any"."""
    return where.selectbox(
        label, ["", *options], key=key, format_func=lambda v: fmt(v) if v else ""
    )


def _filters(
    ctx: PageContext, vocab: dict[str, dict[str, str]], defenders: bool
) -> people.PeopleFilters:
    trusted = may_see_confidential(ctx.principal.role)
    chosen: dict[str, Any] = {"defenders_only": defenders}
    with st.expander(t("cases.filters"), expanded=False):
        c1, c2, c3 = st.columns(3)
        chosen["text"] = c1.text_input(t("defenders.search"), key="p_text")
        regions = ctx.read(people.regions, defenders_only=defenders)
        chosen["region"] = _select(c2, t("field.region"), regions, "p_region", str)
        kinds = ("person", "group", "organization") if defenders else (*people.ORG_KINDS, "person")
        kind_label = lambda v: t(f"enum.kind.{v}")  # noqa: E731
        chosen["kind"] = _select(c3, t("field.kind"), list(kinds), "p_kind", kind_label)
        synthetic = c1.checkbox(t("cases.include_synthetic"), value=True, key="p_synthetic")
        if defenders:
            rights, states = vocab["rights_defended"], list(people.CASE_STATES)
            orgs = ctx.read(people.organizations, show_confidential=trusted)
            state_label = lambda v: t(f"defenders.state.{v}")  # noqa: E731
            chosen["right"] = _select(c2, t("field.rights_defended"), rights, "p_right", rights.get)
            chosen["organization_id"] = _select(
                c3, t("field.organization_id"), orgs, "p_org", orgs.get
            )
            chosen["case_state"] = _select(
                c1, t("defenders.case_state"), states, "p_state", state_label
            )
        else:
            roles, cats = vocab["party_role"], vocab["complainant_category"]
            chosen["party_role"] = _select(c2, t("actors.party_role"), roles, "p_role", roles.get)
            chosen["category"] = _select(
                c3, t("field.complainant_category"), cats, "p_cat", cats.get
            )
    # An empty choice ("") means no filter.
    return people.PeopleFilters(
        include_synthetic=synthetic,
        **{k: v or None for k, v in chosen.items() if k != "defenders_only"},
        defenders_only=defenders,
    )


def people_list(ctx: PageContext, *, defenders: bool) -> None:
    """The filtered, sorted, paged list of defenders (or of all actors), and a way to open one."""
    area = "defenders" if defenders else "actors"
    trusted = may_see_confidential(ctx.principal.role)
    vocab = ctx.read(people.labels_of, VOCABS, ctx.lang)
    filters = _filters(ctx, vocab, defenders)
    c1, c2 = st.columns(2)
    sort = c1.selectbox(
        t("cases.sort"),
        people.SORTS,
        key="p_sort",
        format_func=lambda v: t(f"defenders.sort.{v}"),
    )
    page = int(c2.number_input(t("cases.page"), min_value=1, value=1, step=1, key="p_page")) - 1
    rows, total = ctx.read(
        people.people_list,
        filters,
        show_confidential=trusted,
        sort=sort,
        page=page,
        page_size=PAGE_SIZE,
    )
    flash()
    first, last = min(total, page * PAGE_SIZE + 1), min(total, (page + 1) * PAGE_SIZE)
    st.caption(t(f"{area}.count", total=total, first=first, last=last))
    if not rows:
        st.info(t("defenders.none"))
    else:
        records.clickable(
            [_list_row(r, vocab, defenders) for r in rows],
            None,
            key=f"{area}_rows",
            ids=[r["id"] for r in rows],
            on_pick=open_actor,
        )
    if ctx.principal.can_edit:
        with st.expander(t(f"{area}.new")):
            record_form(
                ctx,
                sv.actors,
                key=f"new_{area}",
                fields=DEFENDER_FIELDS if defenders else ACTOR_FIELDS,
                fixed={"is_defender": True} if defenders else None,
                on_saved=open_actor,
            )


def _list_row(
    r: dict[str, Any], vocab: dict[str, dict[str, str]], defenders: bool
) -> dict[str, Any]:
    row = {t("field.name"): r["name"], t("field.kind"): t(f"enum.kind.{r['kind']}")}
    row[t("field.region")] = r["region"]
    if defenders:
        rights = vocab["rights_defended"]
        row[t("field.rights_defended")] = ", ".join(rights.get(c, c) for c in r["rights_defended"])
        row[t("defenders.col.organizations")] = ", ".join(r["orgs"])
        row[t("defenders.col.as_defendant")] = r["defendant"]
        row[t("defenders.col.open")] = r["open"]
        row[t("defenders.col.pending")] = r["pending"]
    else:
        row[t("defenders.col.cases")] = r["cases"]
        row[t("defenders.col.brought")] = r["brought"]
    row[t("dashboard.col.data")] = (
        t("data.synthetic") if r["is_synthetic"] else t("data.documented")
    )
    return row


def profile_page(ctx: PageContext, actor_id: uuid.UUID, *, defenders: bool) -> None:
    """A person's or body's page: cases, charges, measures, hearings, timeline, organizations."""
    trusted = may_see_confidential(ctx.principal.role)
    with Session(ctx.engine) as session:
        detail = profiles.profile(session, actor_id, show_confidential=trusted)
    vocab = ctx.read(people.labels_of, VOCABS, ctx.lang)
    if st.button(t("defenders.back"), key="back_to_list"):
        open_actor(None)
        st.rerun()
    if detail is None:
        st.error(t("defenders.not_found"))
        return
    actor = detail["actor"]
    flash()
    st.subheader(md(actor["shown_name"]))
    st.caption(md(" · ".join(x for x in _summary(actor, vocab, trusted) if x)))
    if actor["is_synthetic"]:
        st.warning(t("data.synthetic_warning"))
    if actor["description"]:
        st.text(actor["description"])
    records.citations(detail["citations"].get(actor_id, []))
    if defenders:
        factsheet_download(ctx, "defender", actor_id, actor["shown_name"])
    parts: dict[str, Callable[[], None]] = {
        "cases": lambda: _cases(detail, vocab),
        "charges": lambda: _charges(detail, vocab),
        "measures": lambda: _measures(detail, vocab),
        "hearings": lambda: _hearings(detail, vocab),
        "timeline": lambda: timeline_section(detail, vocab, today=date.today()),
        "organizations": lambda: _organizations(ctx, detail),
        "brought": lambda: _brought(ctx, actor_id, vocab),
        "edit": lambda: _edit(ctx, actor, defenders),
        "history": lambda: _history(ctx, actor_id, trusted),
    }
    order = list(parts) if defenders else ["brought", "cases", "organizations", "edit", "history"]
    if not ctx.principal.can_edit:
        order.remove("edit")
    for tab, name in zip(st.tabs([t(f"defenders.tab.{n}") for n in order]), order, strict=True):
        with tab:
            parts[name]()


def _summary(actor: dict[str, Any], vocab: dict[str, dict[str, str]], trusted: bool) -> list[str]:
    rights = ", ".join(vocab["rights_defended"].get(c, c) for c in actor["rights_defended"])
    return [
        t(f"enum.kind.{actor['kind']}"),
        actor["region"] or "",
        vocab["defender_role"].get(actor["defender_role"] or "", ""),
        vocab["complainant_category"].get(actor["complainant_category"] or "", ""),
        rights,
        t("defenders.born", date=actor["birth"]) if actor["birth"] else "",
        t(f"enum.confidentiality.{actor['confidentiality']}") if trusted else "",
    ]


def _cases(detail: dict[str, Any], vocab: dict[str, dict[str, str]]) -> None:
    roles = vocab["party_role"]
    rows = [
        {
            **c,
            "role_labels": ", ".join(roles.get(r, r) for r in c["roles"]),
            "stage_label": vocab["stage"].get(c["stage"], c["stage"]),
            "status_label": t(f"status.{c['status']}"),
        }
        for c in detail["cases"]
    ]
    columns = {"title": "field.title", "case_number": "field.case_number"}
    columns.update(role_labels="field.role", stage_label="field.stage", status_label="field.status")
    columns.update(opened="field.opened_on", closed="field.closed_on")
    if not rows:
        st.caption(t("defenders.no_cases"))
        return
    _case_rows(rows, columns, "profile_case_rows")


def _case_rows(rows: list[dict[str, Any]], columns: dict[str, str], key: str) -> None:
    """Cases listed on a profile; a row click opens the case on the Cases page."""
    records.clickable(
        rows,
        columns,
        key=key,
        ids=[c["id"] for c in rows],
        on_pick=lambda case_id: st.session_state.__setitem__(GOTO_CASE, str(case_id)),
    )
    goto = st.session_state.pop(GOTO_CASE, None)
    if goto:
        st.switch_page("pages/1_Cases.py", query_params={"case": goto})


def _charges(detail: dict[str, Any], vocab: dict[str, dict[str, str]]) -> None:
    rows = [
        {
            **c,
            "type": vocab["charge_type"].get(c["charge_type"], c["charge_type"]),
            "by": ", ".join(c["complainants"]),
            "state": t(f"enum.status.{c['status']}"),
            "result": vocab["outcome"].get(c["outcome"] or "", ""),
        }
        for c in detail["charges"]
    ]
    columns = {
        "case_title": "dashboard.col.case",
        "type": "field.charge_type",
        "by": "cases.complainants",
    }
    columns.update(filed="field.filed_on", state="field.status", result="field.outcome")
    records.table(rows, {**columns, "outcome_date": "field.outcome_on"}, "cases.no_charges")
    for charge in detail["charges"]:
        records.citations(detail["citations"].get(charge["id"], []))


def _measures(detail: dict[str, Any], vocab: dict[str, dict[str, str]]) -> None:
    rows = [
        {**m, "kind_label": vocab["measure_kind"].get(m["kind"], m["kind"])}
        for m in detail["measures"]
    ]
    columns = {
        "case_title": "dashboard.col.case",
        "kind_label": "field.kind",
        "ordered": "field.ordered_on",
    }
    columns.update(ends="field.ends_on", annulled="field.annulled_on", notes="field.notes")
    records.table(rows, columns, "cases.no_measures")
    for measure in detail["measures"]:
        records.citations(detail["citations"].get(measure["id"], []))


def _hearings(detail: dict[str, Any], vocab: dict[str, dict[str, str]]) -> None:
    rows = [
        {
            **h,
            "type": vocab["hearing_type"].get(h["hearing_type"], h["hearing_type"]),
            "outcome": vocab["hearing_result"].get(h["result"] or "", ""),
        }
        for h in detail["hearings"]
    ]
    columns = {
        "when": "field.scheduled_at",
        "case_title": "dashboard.col.case",
        "type": "field.hearing_type",
    }
    columns.update(court="field.court_id", outcome="field.result", notes="field.notes")
    records.table(rows, columns, "cases.no_hearings")


def _organizations(ctx: PageContext, detail: dict[str, Any]) -> None:
    actor_id = detail["actor"]["id"]
    columns = {"other": "field.organization_id", "role": "field.role", "start": "field.start_date"}
    records.table(
        detail["memberships"], {**columns, "end": "field.end_date"}, "defenders.no_memberships"
    )
    for membership in detail["memberships"]:
        records.citations(detail["citations"].get(membership["id"], []))
    if detail["members"]:
        st.markdown(f"**{md(t('defenders.members'))}**")
        records.table(
            detail["members"],
            {**columns, "other": "field.member_id", "end": "field.end_date"},
            "defenders.no_memberships",
        )
    if not ctx.principal.can_edit:
        return
    search = f"org_search_{actor_id}"
    # Kept open once a search is typed: the rerun the search causes would close it.
    with st.expander(t("defenders.add_membership"), expanded=bool(st.session_state.get(search))):
        text = st.text_input(t("defenders.find_organization"), key=search)
        with Session(ctx.engine) as session:
            found = (
                casework.search_actors(
                    session, text, show_confidential=True, kinds=people.ORG_KINDS
                )
                if text
                else {}
            )
        record_form(
            ctx,
            sv.memberships,
            key=f"membership_{actor_id}",
            fields=MEMBERSHIP_FIELDS,
            fixed={"member_id": actor_id},
            refs={"organization_id": Choice(found)},
        )
    if detail["memberships"]:
        mine = {m["id"]: m for m in detail["memberships"]}
        chosen = _select(
            st,
            t("defenders.edit_membership"),
            mine,
            f"pick_membership_{actor_id}",
            lambda v: mine[v]["other"],
        )
        if chosen:
            m = mine[chosen]
            record_form(
                ctx,
                sv.memberships,
                key=f"membership_edit_{chosen}",
                fields=MEMBERSHIP_FIELDS,
                record=m,
                refs={"organization_id": Choice({m["organization_id"]: m["other"]})},
            )


def _brought(ctx: PageContext, actor_id: uuid.UUID, vocab: dict[str, dict[str, str]]) -> None:
    """The cases the actor brought, how their charges ended, and a page of them."""
    trusted = may_see_confidential(ctx.principal.role)
    page = (
        int(st.number_input(t("cases.page"), min_value=1, value=1, step=1, key="brought_page")) - 1
    )
    with Session(ctx.engine) as session:
        data = people.brought(
            session, actor_id, show_confidential=trusted, page=page, page_size=PAGE_SIZE
        )
    if not data["total"]:
        st.caption(t("defenders.no_brought"))
        return
    outcome = vocab["outcome"]
    c1, c2, c3 = st.columns(3)
    c1.metric(t("defenders.brought_cases"), data["total"])
    c2.metric(t("defenders.brought_defendants"), data["defendants"])
    c3.metric(t("defenders.brought_charges"), sum(data["outcomes"].values()))
    st.dataframe(
        [
            {
                t("field.outcome"): outcome.get(code, code) if code else t("defenders.no_outcome"),
                t("defenders.col.charges"): n,
            }
            for code, n in sorted(data["outcomes"].items(), key=lambda kv: -kv[1])
        ],
        hide_index=True,
    )
    rows = [
        {
            **c,
            "stage_label": vocab["stage"].get(c["stage"], c["stage"]),
            "status_label": t(f"status.{c['status']}"),
            "results": ", ".join(
                f"{outcome.get(k, k) if k else t('defenders.no_outcome')} ×{n}"
                for k, n in sorted(c["outcomes"].items())
            ),
        }
        for c in data["cases"]
    ]
    columns = {"title": "field.title", "opened": "field.opened_on", "stage_label": "field.stage"}
    columns.update(status_label="field.status", results="defenders.col.outcomes")
    _case_rows(rows, columns, "brought_case_rows")


def _edit(ctx: PageContext, actor: dict[str, Any], defenders: bool) -> None:
    fields = DEFENDER_FIELDS if defenders or actor["is_defender"] else ACTOR_FIELDS
    record_form(ctx, sv.actors, key=f"actor_{actor['id']}", fields=fields, record=actor)


def _history(ctx: PageContext, actor_id: uuid.UUID, trusted: bool) -> None:
    with Session(ctx.engine) as session:
        records.history(session, "actor", actor_id, show_values=trusted)
