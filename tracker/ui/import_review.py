"""The reconciling parts of the import page: column mapping, values, matches, changes, undo.

- Columns: one table lists every column of the file with the template column it fills, edited
  in place; a mapping can be saved under a name and chosen again for the next upload.
- Values: each value that is no term is listed once, with the terms it resembles first; the
  term chosen is used by the preview and kept as an alias when the import is committed.
- Matches: each uncertain match (a similar name, a case number's core) is accepted or
  rejected; the import is committed only when every one is decided.
- Undo: administrators see the last import and may undo it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlmodel import Session

from .. import db
from ..errors import TrackerError
from ..i18n import t
from ..imports import COLUMNS, Report, auto_mapping
from .setup import PageContext

__all__ = ["choices_of", "mapping_editor", "review", "undo_section"]

_NONE = ""
_DECISIONS = {
    _NONE: "import.page.decision_none",
    "accept": "import.page.decision_accept",
    "reject": "import.page.decision_reject",
}


def _labels(lang: str) -> dict[str, str]:
    return {c.key: c.es if lang == "es" else c.en for c in COLUMNS}


def _fitting(saved: dict[str, dict[str, str]], headers: list[str]) -> str:
    """The saved mapping made for a sheet like this one: every column it names is in the
    file; of those, the one naming the most columns (then the first by name); else none."""
    present = set(headers)
    fits = [(-len(m), n) for n, m in saved.items() if m and set(m) <= present]
    return min(fits)[1] if fits else _NONE


def mapping_editor(ctx: PageContext, headers: list[str], file_key: str) -> dict[str, str]:
    """A table of the file's columns and the template column each fills; saved mappings.

    ``file_key`` names the uploaded file: for each new file the saved mapping that fits its
    columns is proposed, and the table starts from it (edits made for another file are not
    carried over, they would land on whatever column has the same position).
    """
    from ..services.imports import mapping_names, save_mapping, saved_mapping

    with Session(ctx.engine) as session:
        names = mapping_names(session)
        if st.session_state.get("import_mapping_file") != file_key:
            saved = {n: saved_mapping(session, n) or {} for n in names}
            st.session_state["import_mapping_file"] = file_key
            st.session_state["import_saved_mapping"] = _fitting(saved, headers)
    chosen = st.selectbox(
        t("import.page.saved_mapping"),
        [_NONE, *names],
        format_func=lambda n: n or t("import.page.automatic"),
        key="import_saved_mapping",
    )
    mapping = auto_mapping(headers)
    if chosen:
        with Session(ctx.engine) as session:
            saved = saved_mapping(session, chosen) or {}
        mapping.update({h: k for h, k in saved.items() if h in headers})
    labels = _labels(ctx.lang)
    by_label = {v: k for k, v in labels.items()}
    not_imported = t("import.page.not_imported")
    rows = [
        {
            t("import.col.file_column"): h,
            t("import.col.template_column"): labels.get(mapping.get(h, ""), not_imported),
        }
        for h in headers
        if h
    ]
    with st.expander(
        t("import.page.mapping"), expanded=len(mapping) < len([h for h in headers if h])
    ):
        edited = st.data_editor(
            rows,
            hide_index=True,
            width="stretch",
            height="content",  # every column of the file at once, no scrolling inside
            disabled=[t("import.col.file_column")],
            column_config={
                t("import.col.template_column"): st.column_config.SelectboxColumn(
                    options=[not_imported, *labels.values()], required=True
                )
            },
            key=f"import_mapping_editor_{file_key}_{chosen}",
        )
        result = {
            row[t("import.col.file_column")]: by_label[row[t("import.col.template_column")]]
            for row in edited
            if row[t("import.col.template_column")] in by_label
        }
        name = st.text_input(t("import.page.save_as"), key="import_save_name")
        if st.button(t("import.page.save_mapping"), key="import_save_mapping") and name.strip():
            try:
                with db.unit_of_work(ctx.engine, ctx.principal) as session:
                    # Columns left out are saved too: used again, they stay out.
                    save_mapping(session, name, {h: result.get(h, "") for h in headers if h})
            except TrackerError as exc:
                st.error(exc.message(ctx.lang))
            else:
                st.success(t("import.cli.mapping_saved", name=name.strip()))
    return result


def _term_options(report: Report, vocabulary: str, suggestions: list[str]) -> list[str]:
    codes = [c for voc, c in report.term_labels if voc == vocabulary]
    return [_NONE, *suggestions, *(c for c in codes if c not in suggestions)]


def choices_of(report: Report) -> tuple[dict[tuple[str, str], str], dict[str, bool]]:
    """The value mappings and match decisions currently chosen on the page."""
    values: dict[tuple[str, str], str] = {}
    for i, item in enumerate(report.unknown_values):
        code = st.session_state.get(f"import_value_{i}") or item.mapped_to
        if code:
            values[item.vocabulary, item.value] = code
    decisions: dict[str, bool] = {}
    for i, match in enumerate(report.uncertain):
        choice = st.session_state.get(f"import_match_{i}")
        if choice in ("accept", "reject"):
            decisions[match.key] = choice == "accept"
        elif match.decision is not None:
            decisions[match.key] = match.decision
    return values, decisions


def review(report: Report, lang: str) -> None:
    """Values to map, uncertain matches to decide, changes to confirm."""
    labels = report.term_labels

    def term(vocabulary: str) -> Any:
        def shown(code: str) -> str:
            if not code:
                return t("import.page.choose_term")
            en, es = labels.get((vocabulary, code), (code, code))
            return f"{es if lang == 'es' else en} ({code})"

        return shown

    if report.unknown_values:
        st.subheader(t("import.page.values"))
        st.caption(t("import.page.values_help"))
        for i, item in enumerate(report.unknown_values):
            options = _term_options(report, item.vocabulary, item.suggestions)
            st.selectbox(
                t(
                    "import.page.value_label",
                    value=item.value,
                    column=item.column or t(f"enum.vocabulary.{item.vocabulary}"),
                    rows=", ".join(str(r) for r in item.rows[:10]) or "-",
                ),
                options,
                index=options.index(item.mapped_to) if item.mapped_to in options else 0,
                format_func=term(item.vocabulary),
                key=f"import_value_{i}",
            )
    if report.uncertain:
        st.subheader(t("import.page.uncertain"))
        st.caption(t("import.page.uncertain_help"))
        for i, match in enumerate(report.uncertain):
            current = {True: "accept", False: "reject", None: _NONE}[match.decision]
            st.radio(
                t(
                    "import.page.uncertain_label",
                    name=match.name,
                    other=match.candidate,
                    rows=", ".join(str(r) for r in match.rows[:10]),
                ),
                [_NONE, "accept", "reject"],
                index=[_NONE, "accept", "reject"].index(current),
                format_func=lambda c: t(_DECISIONS[c]),
                horizontal=True,
                key=f"import_match_{i}",
            )
    if report.changes:
        st.subheader(t("import.page.changes", count=len(report.changes)))
        st.dataframe(
            _changes_rows(report, lang), hide_index=True, width="stretch", key="import_changes"
        )


def _changes_rows(report: Report, lang: str) -> list[dict[str, Any]]:
    """The changes (old -> new) with records, terms and statuses named in the page's
    language: the report keeps codes, which a reader should not have to decode."""
    return report.changes_table(lang)


def undo_section(ctx: PageContext) -> None:
    """Administrators: the last import, and a button to undo it after a confirmation."""
    from ..imports.batches import UndoError, last_batch, undo_last

    if not ctx.principal.is_admin:
        return
    with Session(ctx.engine) as session:
        batch = last_batch(session)
        about = (
            (batch.filename, batch.created_at, batch.username, batch.summary or "")
            if batch is not None
            else None
        )
    st.subheader(t("import.page.undo"))
    done = st.session_state.pop("import_undone", None)
    if done is not None:
        st.success(done)
    if st.session_state.pop("import_undo_reset", False):
        st.session_state.pop("import_undo_confirm", None)
    if about is None:
        st.caption(t("import.undo.nothing"))
        return
    st.caption(
        t("import.page.last_import", file=about[0], at=f"{about[1]:%Y-%m-%d %H:%M}", by=about[2])
    )
    sure = st.checkbox(t("import.page.undo_confirm"), key="import_undo_confirm")
    if st.button(t("import.page.undo_button"), key="import_undo", disabled=not sure):
        try:
            undone = undo_last(ctx.engine, ctx.principal)
        except UndoError as exc:
            st.error(exc.message(ctx.lang))
            return
        st.cache_data.clear()
        # Run again so that the section shows the import now last, with the confirmation
        # unticked: a second click must not undo the one before without being confirmed.
        st.session_state["import_undone"] = t(
            "import.cli.undone", batch=str(undone.id), file=undone.filename
        )
        st.session_state["import_undo_reset"] = True
        st.rerun()
