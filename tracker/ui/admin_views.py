"""The Admin screen: accounts, vocabularies, who is confidential, and the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from .. import admin, db
from .. import services as sv
from ..dashboard import record_kind as _kind
from ..errors import TrackerError
from ..i18n import t
from ..models.enums import AUDIT_ACTIONS, USER_ROLES, VOCABULARIES
from ..permissions import Principal
from ..services.users import create_user, set_password
from ..services.vocabulary import labels
from . import records
from .forms import flash, record_form
from .setup import PageContext

AUDIT_PAGE = 200


def admin_page(ctx: PageContext) -> None:
    """Everything only administrators may do; others are told so and see nothing."""
    if not ctx.principal.is_admin:
        st.error(t("admin.only_admins"))
        return
    flash()
    names = [
        t("admin.tab.accounts"),
        t("admin.tab.confidential"),
        t("admin.tab.audit"),
        t("admin.tab.vocabularies"),
    ]
    # A link to an audit entry (?audit=<id>) opens on the audit tab.
    tabs = st.tabs(names, default=names[2] if st.query_params.get("audit") else None)
    with tabs[0]:
        _accounts(ctx)
    with tabs[1]:
        _confidential(ctx)
    with tabs[2]:
        _audit(ctx)
    with tabs[3]:
        _vocabularies(ctx)


def _accounts(ctx: PageContext) -> None:
    with Session(ctx.engine) as session:
        users = admin.accounts(session)
    records.table(
        [
            {
                **u,
                "role_label": t(f"role.{u['role']}"),
                "state": t("cli.users.active") if u["active"] else t("cli.users.inactive"),
                "seen": u["last_login_at"].strftime("%Y-%m-%d %H:%M UTC")
                if u["last_login_at"]
                else "",
            }
            for u in users
        ],
        {
            "username": "field.username",
            "display_name": "field.display_name",
            "role_label": "field.role",
            "state": "field.active",
            "seen": "field.last_login_at",
        },
        "admin.no_accounts",
    )
    with st.expander(t("admin.new_account")), st.form("new_account"):
        username = st.text_input(t("field.username"), key="acc_username")
        display = st.text_input(t("field.display_name"), key="acc_display")
        role = st.selectbox(
            t("field.role"), USER_ROLES, format_func=lambda r: t(f"role.{r}"), key="acc_role"
        )
        password = st.text_input(t("field.password"), type="password", key="acc_password")
        submitted = st.form_submit_button(t("admin.create_account"))
    if submitted:
        _write(
            ctx,
            lambda s: create_user(
                s, username=username, password=password, role=role, display_name=display
            ),
        )
    by_name = {u["username"]: u for u in users}
    chosen = st.selectbox(t("admin.edit_account"), ["", *by_name], key="acc_pick")
    if chosen:
        user = by_name[chosen]
        record_form(
            ctx,
            sv.users,
            key=f"user_{user['id']}",
            fields=("display_name", "role", "active", "language"),
            record=user,
        )
        with st.form(f"password_{user['id']}"):
            new_password = st.text_input(
                t("admin.new_password"), type="password", key=f"pw_{user['id']}"
            )
            change = st.form_submit_button(t("admin.set_password"))
        if change:
            _write(ctx, lambda s: set_password(s, user["id"], new_password, user["version_id"]))


def _write(ctx: PageContext, action: Callable[[Session], object]) -> None:
    try:
        with db.unit_of_work(ctx.engine, ctx.principal) as session:
            action(session)
    except TrackerError as exc:
        st.error(str(exc))
        return
    st.session_state["flash"] = t("form.saved")
    st.rerun()


def _confidential_table(session: Session, principal: Principal, lang: str) -> Any:
    """Confidential and restricted people as the table shown (built once per data revision:
    thousands of rows at scale M); [] when there are none."""
    people = admin.confidential_people(session, principal)
    if not people:
        return []
    shown = {p["confidentiality"] for p in people}
    levels = {lv: t(f"enum.confidentiality.{lv}", lang=lang) for lv in shown}
    return pa.table(
        {
            t("field.name", lang=lang): [p["name"] for p in people],
            t("field.pseudonym", lang=lang): [p["pseudonym"] for p in people],
            t("field.confidentiality", lang=lang): [levels[p["confidentiality"]] for p in people],
            t("field.consent_to_publish", lang=lang): [
                "✓" if p["consent_to_publish"] else "" for p in people
            ],
            t("dashboard.col.cases", lang=lang): [p["cases"] for p in people],
        }
    )


def _confidential(ctx: PageContext) -> None:
    st.caption(t("admin.confidential_note"))
    people = ctx.read(_confidential_table, ctx.principal, ctx.lang)
    cases = ctx.read(admin.restricted_cases, ctx.principal)
    if people:
        st.dataframe(people, hide_index=True, width="stretch")
    else:
        st.caption(t("admin.no_confidential"))
    st.subheader(t("admin.restricted_cases"))
    records.table(
        cases, {"title": "field.title", "case_number": "field.case_number"}, "admin.no_restricted"
    )


def _audit(ctx: PageContext) -> None:
    with Session(ctx.engine) as session:
        names = admin.audit_usernames(session)
    c1, c2, c3, c4 = st.columns(4)
    user = c1.selectbox(t("dashboard.col.who"), ["", *names], key="au_user")
    table = c2.selectbox(
        t("dashboard.col.record"),
        ["", *sorted(sv.SERVICES)],
        key="au_table",
        format_func=lambda v: t(f"table.{v}") if v else "",
    )
    action = c3.selectbox(
        t("dashboard.col.action"),
        ["", *AUDIT_ACTIONS],
        key="au_action",
        format_func=lambda v: t(f"audit.{v}") if v else "",
    )
    period = c4.date_input(t("admin.period"), value=[], min_value=date(2000, 1, 1), key="au_period")
    since, until = (*tuple(period), None, None)[:2] if period else (None, None)
    filters = admin.AuditFilters(
        username=user or None,
        table_name=table or None,
        action=action or None,
        since=since,
        until=until,
    )
    page = int(st.number_input(t("cases.page"), min_value=1, value=1, key="au_page")) - 1
    with Session(ctx.engine) as session:
        rows, total = admin.audit_entries(
            session, filters, limit=AUDIT_PAGE, offset=page * AUDIT_PAGE
        )
    st.caption(t("admin.audit_count", total=total))
    if rows:
        records.clickable(
            [
                {
                    "at": r["at"].strftime("%Y-%m-%d %H:%M:%S UTC"),
                    "username": r["username"],
                    "action": t(f"audit.{r['action']}"),
                    "table": _kind(r["table_name"]),
                    "fields": ", ".join(t(f"field.{k}") for k in sorted(r["changes"] or {})),
                }
                for r in rows
            ],
            {
                "at": "dashboard.col.when",
                "username": "dashboard.col.who",
                "action": "dashboard.col.action",
                "table": "dashboard.col.record",
                "fields": "dashboard.col.fields",
            },
            key="audit_rows",
            ids=[r["id"] for r in rows],
            on_pick=lambda entry_id: st.query_params.__setitem__("audit", str(entry_id)),
        )
    else:
        st.caption(t("dashboard.no_changes"))
    _audit_entry(ctx)
    st.download_button(
        t("admin.download_audit"),
        lambda: _audit_csv(ctx, filters),  # built only when clicked: the log can be large
        file_name="audit_log.csv",
        mime="text/csv",
        key="au_download",
        on_click="ignore",
    )
    st.caption(t("admin.audit_is_append_only"))


def _audit_entry(ctx: PageContext) -> None:
    """The entry named in the URL (?audit=<id>): every field changed, before and after."""
    try:
        entry_id = uuid.UUID(st.query_params.get("audit", ""))
    except ValueError:
        return
    with Session(ctx.engine) as session:
        entry = admin.audit_entry(session, entry_id)
    if entry is None:
        st.error(t("audit_view.not_found"))
        return
    st.subheader(
        t(
            "audit_view.heading",
            action=t(f"audit.{entry['action']}"),
            kind=_kind(entry["table_name"]),
            who=entry["username"],
            when=entry["at"].strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
    )
    changes = entry["changes"] or {}
    records.table(
        [
            {"field": t(f"field.{name}"), "old": _text(old), "new": _text(new)}
            for name, (old, new) in sorted(
                (k, v if isinstance(v, list | tuple) and len(v) == 2 else (None, v))
                for k, v in changes.items()
            )
        ],
        {"field": "records.col.field", "old": "records.col.old", "new": "records.col.new"},
        "audit_view.no_fields",
    )
    if st.button(t("audit_view.close"), key="audit_close"):
        st.query_params.pop("audit", None)
        st.rerun()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _audit_csv(ctx: PageContext, filters: admin.AuditFilters) -> bytes:
    with Session(ctx.engine) as session:
        return admin.audit_csv(session, filters)


def _vocabularies(ctx: PageContext) -> None:
    vocabulary = st.selectbox(
        t("field.vocabulary"),
        VOCABULARIES,
        format_func=lambda v: t(f"enum.vocabulary.{v}"),
        key="voc_pick",
    )
    terms = ctx.read(labels, vocabulary, ctx.lang)
    rows = ctx.read(admin.vocabulary_terms, vocabulary)
    records.table(
        rows,
        {
            "code": "field.code",
            "label_en": "field.label_en",
            "label_es": "field.label_es",
            "parent_code": "field.parent_code",
            "active": "field.active",
        },
        "admin.no_terms",
    )
    with st.expander(t("admin.new_term")):
        record_form(
            ctx,
            sv.terms,
            key=f"term_new_{vocabulary}",
            fields=("code", "label_en", "label_es", "parent_code", "sort_order", "description"),
            fixed={"vocabulary": vocabulary},
        )
    chosen = st.selectbox(
        t("admin.edit_term"),
        ["", *terms],
        key=f"term_pick_{vocabulary}",
        format_func=lambda v: terms.get(v, ""),
    )
    if chosen:
        term = next(r for r in rows if r["code"] == chosen)
        record_form(
            ctx,
            sv.terms,
            key=f"term_{term['id']}",
            fields=("label_en", "label_es", "parent_code", "sort_order", "active", "description"),
            record=term,
        )
