"""Streamlit sections of the Import and export page: import, exports, backups.

The page calls one function per section; each reads its widgets, calls tracker.imports,
tracker.exports or tracker.backup, and shows the result. Nothing here writes to the database
itself: imports go through the services, restores through tracker.backup.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from .. import config
from ..errors import TrackerError
from ..exports import ExportOptions, exporter
from ..i18n import t
from ..imports import Report, choose_sheet, read_upload, run_import
from ..imports.restore import is_table_export
from .import_review import choices_of, mapping_editor, review, undo_section
from .setup import PageContext

__all__ = ["backup_section", "export_section", "import_section"]

_TEMPLATES = (
    ("import_template.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("import_template.csv", "text/csv"),
)
_FORMATS = {"xlsx": ".xlsx", "csv": ".zip", "json": ".json", "ftm": ".ftm.json", "ics": ".ics"}
_FORMATS["documents"] = "-files.zip"  # the attached files (tracker.exports.documents)
_FORMAT_LABELS = {
    "xlsx": "export.page.format_xlsx",
    "csv": "export.page.format_csv",
    "json": "export.page.format_json",
    "ftm": "export.page.format_ftm",
    "ics": "export.page.format_ics",
    "documents": "export.page.format_documents",
}
_MIME = {
    "xlsx": _TEMPLATES[0][1],
    "csv": "application/zip",
    "json": "application/json",
    "ftm": "application/json",
    "ics": "text/calendar",
    "documents": "application/zip",
}


def _show_report(report: Report, lang: str) -> None:
    """Summary, every problem (row, column, reason) and every person matched or new."""
    st.text(report.summary(lang))
    if report.errors:
        st.error(t("import.page.has_errors", count=len(report.errors)))
    if report.problems:
        st.dataframe(
            report.problem_table(lang), hide_index=True, width="stretch", key="import_problems"
        )
    if report.people:
        st.caption(t("import.page.people"))
        st.dataframe(
            report.people_table(lang), hide_index=True, width="stretch", key="import_people"
        )


def import_section(ctx: PageContext) -> None:
    """Template downloads, upload, column mapping, preview with every problem, commit."""
    st.caption(t("import.page.intro"))
    cols = st.columns(len(_TEMPLATES))
    for col, (name, mime) in zip(cols, _TEMPLATES, strict=True):
        path = config.ROOT / "data" / name
        if path.exists():
            col.download_button(
                t("import.page.template", name=name),
                path.read_bytes(),
                file_name=name,
                mime=mime,
                key=f"dl_{name}",
                on_click="ignore",
            )
    if not ctx.principal.can_edit:
        st.info(t("import.page.viewer"))
        return
    upload = st.file_uploader(
        t("import.page.upload"),
        type=["csv", "txt", "tsv", "xlsx", "zip", "json"],
        key="import_file",
    )
    if upload is None:
        undo_section(ctx)  # undoing needs no file
        return
    data, name = upload.getvalue(), upload.name
    sheets = read_upload(data, name)
    mapping: dict[str, str] | None = None
    sheet_name = None
    if is_table_export(sheets):
        st.info(t("import.page.table_export"))
    else:
        if len(sheets) > 1:
            sheet_name = st.selectbox(
                t("import.page.sheet"),
                [s.name for s in sheets],
                index=sheets.index(choose_sheet(sheets)),
                key="import_sheet",
            )
        header = choose_sheet(sheets, sheet_name).header
        mapping = mapping_editor(ctx, header, f"{upload.file_id}:{sheet_name or ''}")
    token = (upload.file_id, tuple(sorted((mapping or {}).items())), sheet_name)
    kwargs: dict[str, Any] = {"mapping": mapping, "sheet_name": sheet_name}
    stored = st.session_state.get("import_report")
    if stored and stored[0] == token:
        values, decisions = choices_of(stored[1])
    else:
        values, decisions = {}, {}
    if st.button(t("import.page.preview"), key="import_preview"):
        with _ImportProgress("progress.import_preview", ctx.lang, preview=True) as bar:
            preview = run_import(
                ctx.engine, ctx.principal, data, name, dry_run=True, values=values,
                decisions=decisions, progress=bar, **kwargs,
            )  # fmt: skip
        st.session_state["import_report"] = (token, preview, (values, decisions))
    stored = st.session_state.get("import_report")
    if not stored or stored[0] != token:
        undo_section(ctx)
        return
    report: Report = stored[1]
    _show_report(report, ctx.lang)
    review(report, ctx.lang)
    values, decisions = choices_of(report)
    undecided = [m for m in report.uncertain if m.key not in decisions]
    if (values, decisions) != stored[2]:
        st.info(t("import.page.check_again"))
    elif undecided:
        st.info(t("import.page.decide_count", count=len(undecided)))
    elif report.ok and st.button(t("import.page.commit"), key="import_commit", type="primary"):
        with _ImportProgress("progress.import_commit", ctx.lang, preview=False) as bar:
            result = run_import(
                ctx.engine, ctx.principal, data, name, values=values, decisions=decisions,
                progress=bar, **kwargs,
            )  # fmt: skip
        st.session_state.pop("import_report", None)
        if result.committed:
            st.cache_data.clear()
            st.success(t("import.page.done", summary=result.summary(ctx.lang)))
        else:
            _show_report(result, ctx.lang)
    undo_section(ctx)


def export_section(ctx: PageContext) -> None:
    """Choose a format, language and privacy; prepare the file; download it."""
    fmt = st.selectbox(
        t("export.page.format"),
        list(_FORMATS),
        format_func=lambda f: t(_FORMAT_LABELS[f]),
        key="export_format",
    )
    lang = st.selectbox(
        t("export.page.lang"),
        ["en", "es"],
        index=["en", "es"].index(ctx.lang),
        format_func=lambda code: {"en": "English", "es": "Español"}[code],
        key="export_lang",
    )
    confidential = False
    if ctx.principal.is_admin:
        confidential = st.checkbox(t("export.page.confidential"), key="export_confidential")
    else:
        st.caption(t("export.page.pseudonyms"))
    synthetic = st.checkbox(t("export.page.synthetic"), value=True, key="export_synthetic")
    if st.button(t("export.page.prepare"), key="export_prepare"):
        file_name = f"tracker-export{_FORMATS[fmt]}"
        with (
            tempfile.TemporaryDirectory() as folder,
            st.status(t("export.progress.running", name=file_name), expanded=True) as status,
        ):
            bar = _ProgressBar(ctx.lang)
            options = ExportOptions(
                lang=lang,
                show_confidential=confidential,
                include_synthetic=synthetic,
                progress=bar,
            )
            out = Path(folder) / file_name
            try:
                count = exporter(fmt)(ctx.engine, out, options)
            except TrackerError as exc:
                st.session_state.pop("export_file", None)
                status.update(label=t("export.progress.failed", name=file_name), state="error")
                st.error(exc.message(ctx.lang))
            else:
                st.session_state["export_file"] = (file_name, out.read_bytes(), fmt, count)
                bar.finish()
                status.update(
                    label=t("export.progress.done", name=file_name),
                    state="complete",
                    expanded=False,
                )
    stored = st.session_state.get("export_file")
    if stored:
        file_name, content, stored_fmt, count = stored
        st.success(t("export.page.ready", count=count, name=file_name))
        if confidential:
            st.warning(t("export.about.note_confidential", lang=ctx.lang))
        st.download_button(
            t("export.page.download", name=file_name),
            content,
            file_name=file_name,
            mime=_MIME[stored_fmt],
            key="export_download",
            on_click="ignore",
        )


class _ImportProgress:
    """A status box with a bar that run_import moves as it goes: every row is checked, then
    written (in a preview, written and rolled back), so its total is twice the rows. Redrawn
    at each whole percent; it closes as complete, or as failed when the import raised."""

    def __init__(self, label_key: str, lang: str, *, preview: bool) -> None:
        self.label_key = label_key
        self.lang = lang
        self.write_key = "progress.import.try" if preview else "progress.import.write"
        self.shown = -1

    def __enter__(self) -> _ImportProgress:
        self.status = st.status(t(self.label_key, lang=self.lang), expanded=True)
        self.status.__enter__()
        self.bar = st.progress(0.0)
        return self

    def __call__(self, done: int, total: int) -> None:
        percent = min(100, done * 100 // total) if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        rows = total // 2
        if done <= rows:
            text = t("progress.import.check", lang=self.lang, done=f"{done:,}", total=f"{rows:,}")
        else:
            written = f"{done - rows:,}"
            text = t(self.write_key, lang=self.lang, done=written, total=f"{rows:,}")
        self.bar.progress(percent / 100, text=text)

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        if kind is None:
            if self.shown < 100:  # a table export (a restore) does not report rows
                self.bar.progress(1.0)
            self.status.update(
                label=t("progress.import_done", lang=self.lang), state="complete", expanded=False
            )
        else:
            self.status.update(state="error")
        self.status.__exit__(kind, *rest)


class _ProgressBar:
    """A progress bar the export moves as it reads rows (redrawn at each whole percent, not
    at every batch); exports that do not report (calendars, graphs) just end full."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bar = st.progress(0.0)
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = min(100, done * 100 // total) if total else 100
        if percent != self.shown:
            self.shown = percent
            text = t("export.progress.rows", lang=self.lang, done=f"{done:,}", total=f"{total:,}")
            self.bar.progress(percent / 100, text=text)

    def finish(self) -> None:
        """Show the bar full once the file is written."""
        if self.shown < 100:
            self.shown = 100
            self.bar.progress(1.0)


def backup_section(ctx: PageContext) -> None:
    """Administrators: download a backup; restore one (a copy of the current data is kept)."""
    from datetime import UTC, datetime

    from ..backup import BackupError, backup, inspect_backup, restore
    from ..cli.backup import safety_copy_path

    st.caption(t("backup.page.intro"))
    if st.button(t("backup.page.make"), key="backup_make"):
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        suffix = ".db" if ctx.engine.dialect.name == "sqlite" else ".jsonl.gz"
        with (
            tempfile.TemporaryDirectory() as folder,
            st.status(t("progress.backup"), expanded=True) as status,
        ):
            out = Path(folder) / f"tracker-backup-{stamp}{suffix}"
            bar = st.progress(0.0)

            def step(done: int, total: int, _what: str) -> None:
                bar.progress(done / total if total else 1.0)

            info = backup(ctx.engine, out, progress=step)
            st.session_state["backup_file"] = (out.name, out.read_bytes(), info)
            status.update(label=t("progress.backup_done"), state="complete", expanded=False)
    stored = st.session_state.get("backup_file")
    if stored:
        name, content, info = stored
        st.success(
            t(
                "backup.cli.done",
                path=name,
                format=info.format,
                revision=info.revision or "-",
                rows=sum(info.tables.values()),
            )
        )
        st.download_button(
            t("backup.page.download"),
            content,
            file_name=name,
            key="backup_download",
            on_click="ignore",
        )
    st.subheader(t("backup.page.restore"))
    upload = st.file_uploader(t("backup.page.upload"), key="restore_file")
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "restore.backup"
        path.write_bytes(upload.getvalue())
        try:
            info = inspect_backup(path)
        except BackupError as exc:
            st.error(str(exc))
            return
        st.info(
            t(
                "backup.cli.about",
                format=info.format,
                revision=info.revision or "-",
                created=info.created_at,
                rows=sum(info.tables.values()),
            )
        )
        sure = st.checkbox(t("backup.page.confirm"), key="restore_confirm")
        if st.button(t("backup.page.do_restore"), key="restore_go", disabled=not sure):
            safety = safety_copy_path(ctx.engine.dialect.name)
            try:
                backup(ctx.engine, safety)
                restore(ctx.engine, path)
            except BackupError as exc:
                st.error(str(exc))
                return
            st.cache_data.clear()
            st.success(t("backup.page.restored", path=str(safety)))
