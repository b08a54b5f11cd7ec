"""The Documents section of the case and source pages: the files, downloads, attach, remove.

Downloads are always attachments (``application/octet-stream`` under a safe name), so the
browser saves a file and never opens it inside the app; uploaded files are never shown.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import db, documents
from ..errors import TrackerError
from ..i18n import t
from ..services import documents as doc_service
from ..services.vocabulary import labels
from . import records
from .setup import PageContext

_RECORD_KEYS = {
    "court_case": "record.case",
    "charge": "record.charge",
    "hearing": "record.hearing",
    "measure": "record.measure",
    "source": "record.source",
}


def documents_section(
    ctx: PageContext,
    *,
    case_id: uuid.UUID | None = None,
    source_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """The files of a case (with its charges', hearings' and measures') or of a source.

    Args:
        detail: the case's detail (tracker.casework.case_detail), to name its records.
    """
    role = ctx.principal.role
    with Session(ctx.engine) as session:
        if case_id is not None:
            files = documents.list_documents(session, role=role, case_id=case_id)
            targets = _case_targets(session, case_id, detail or {}, ctx.lang)
        else:
            files = documents.list_documents(
                session, role=role, table_name="source", row_id=source_id
            )
            targets = {("source", source_id): t("record.source")} if source_id else {}
    st.subheader(t("documents.section"))
    names = {key: label for key, label in targets.items()}
    records.table(
        [
            {
                "file": f.filename,
                "record": names.get((f.table_name, f.row_id), t(_RECORD_KEYS[f.table_name])),
                "type": documents.ACCEPTED.get(f.media_type, "").upper(),
                "size": round(f.size / 1024, 1),
                "added_by": f.added_by,
                "added_at": f.added_at.strftime("%Y-%m-%d %H:%M"),
            }
            for f in files
        ],
        {
            "file": "documents.col.file",
            "record": "documents.col.record",
            "type": "documents.col.type",
            "size": "documents.col.size",
            "added_by": "documents.col.added_by",
            "added_at": "documents.col.added_at",
        },
        "documents.none",
    )
    key = f"docs_{case_id or source_id}"
    if files:
        _download(ctx, files, key)
    if ctx.principal.can_edit and targets:
        _attach(ctx, targets, key)
        if files:
            _remove(ctx, files, key)


def _case_targets(
    session: Session, case_id: uuid.UUID, detail: dict[str, Any], lang: str
) -> dict[tuple[str, uuid.UUID], str]:
    """The case and each of its charges, hearings and measures, named for a lawyer."""
    vocab = {v: labels(session, v, lang) for v in ("charge_type", "hearing_type", "measure_kind")}
    targets = {("court_case", case_id): f"{t('record.case')}: {t('documents.this_case')}"}
    for c in detail.get("charges", []):
        kind = vocab["charge_type"].get(c["charge_type"], c["charge_type"])
        targets[("charge", c["id"])] = f"{t('record.charge')}: {kind} — {c['defendant']}"
    for h in detail.get("hearings", []):
        kind = vocab["hearing_type"].get(h["hearing_type"], h["hearing_type"])
        targets[("hearing", h["id"])] = f"{t('record.hearing')}: {h['when']} — {kind}"
    for m in detail.get("measures", []):
        kind = vocab["measure_kind"].get(m["kind"], m["kind"])
        targets[("measure", m["id"])] = f"{t('record.measure')}: {kind} — {m['defendant']}"
    return targets


def _download(ctx: PageContext, files: list[documents.ListedDocument], key: str) -> None:
    by_id = {f.id: f for f in files}
    chosen = st.selectbox(
        t("documents.pick_download"),
        list(by_id),
        format_func=lambda i: by_id[i].filename,
        key=f"{key}_pick",
    )
    if chosen is None:
        return
    with Session(ctx.engine) as session:
        try:
            got = documents.download(session, chosen, role=ctx.principal.role)
        except TrackerError as exc:
            st.error(str(exc))
            return
    st.download_button(
        t("documents.download"),
        data=got.content,
        file_name=got.filename,
        mime=got.mime,
        key=f"{key}_download",
        on_click="ignore",
    )


def _attach(ctx: PageContext, targets: dict[tuple[str, uuid.UUID], str], key: str) -> None:
    limit_mb = documents.max_upload_bytes() // (1024 * 1024)
    with st.expander(t("documents.attach")), st.form(f"{key}_attach", clear_on_submit=True):
        target = st.selectbox(
            t("documents.attach_to"),
            list(targets),
            format_func=lambda k: targets[k],
            key=f"{key}_target",
        )
        upload = st.file_uploader(
            t("documents.file_input", max=limit_mb),
            type=None,  # the content decides, not the name
            key=f"{key}_file",
        )
        description = st.text_input(t("documents.description"), key=f"{key}_description")
        submitted = st.form_submit_button(t("documents.submit"))
    if not submitted:
        return
    if upload is None or target is None:
        st.error(t("documents.no_file"))
        return
    try:
        with db.unit_of_work(ctx.engine, ctx.principal) as session:
            doc_id = doc_service.attach(
                session,
                table_name=target[0],
                row_id=target[1],
                filename=upload.name,
                content=upload.getvalue(),
                description=description,
            )
            name = doc_service.documents.get(session, doc_id).filename
    except TrackerError as exc:
        st.error(str(exc))
        return
    st.session_state["flash"] = t("documents.attached", name=name)
    st.rerun()


def _remove(ctx: PageContext, files: list[documents.ListedDocument], key: str) -> None:
    by_id = {f.id: f for f in files}
    with st.expander(t("documents.remove")):
        chosen = st.selectbox(
            t("documents.col.file"),
            list(by_id),
            format_func=lambda i: by_id[i].filename,
            key=f"{key}_remove_pick",
        )
        if chosen is None or not st.button(t("documents.remove_button"), key=f"{key}_remove"):
            return
    try:
        with db.unit_of_work(ctx.engine, ctx.principal) as session:
            doc_service.remove(session, chosen, by_id[chosen].version_id)
    except TrackerError as exc:
        st.error(str(exc))
        return
    st.session_state["flash"] = t("documents.removed", name=by_id[chosen].filename)
    st.rerun()
