"""Spreadsheet import: parse -> validate -> preview -> commit in one transaction.

Two shapes of file are understood:

- the **charge-row template** (data/import_template.xlsx, docs/IMPORT.md): one row = one
  charge against one defendant in one case, the shape of NGO spreadsheets;
- the tracker's own **table export** (one sheet, CSV or JSON list per table), which restores
  every record with its id: export everything, import into an empty database, same records.

:func:`run_import` does it all in one unit of work: with ``dry_run`` (the preview) or when any
row has an error, the transaction is rolled back and nothing is written. The services validate
every record, so the preview finds exactly what the commit would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .. import db
from ..gc_pause import without_gc
from ..permissions import Principal
from . import restore
from .commit import execute
from .plan import build_plan
from .reader import Sheet, read_upload
from .report import PersonMatch, Problem, Report
from .template import COLUMNS, auto_mapping, headers

__all__ = [
    "COLUMNS",
    "PersonMatch",
    "Problem",
    "Report",
    "Sheet",
    "auto_mapping",
    "choose_sheet",
    "headers",
    "read_upload",
    "run_import",
]


def _save_aliases(session: Any, plan: Any, values: Mapping[tuple[str, str], str]) -> None:
    """Keep each value mapped in the preview as an alias of its term (audited)."""
    from ..errors import ValidationError
    from ..services.imports import save_alias

    for (vocabulary, text), code in values.items():
        if not text.strip():
            continue
        try:
            alias_id = save_alias(session, vocabulary, text, code)
        except ValidationError as exc:
            for err in exc.errors:
                plan.report.problems.append(
                    Problem(0, text, err.key, {**err.params, "value": text[:80]})
                )
            continue
        plan.created_ids.setdefault("term_alias", []).append(str(alias_id))


def _record(session: Any, plan: Any, filename: str, backup_path: str | None) -> Any:
    """The batch row of a committed import: ids created, changes with their old values."""
    from ..audit import _jsonable
    from .batches import record_batch
    from .commit import _service_values

    changes = [
        {
            "table": u.table,
            "id": str(u.record_id),
            "before": u.before,
            "after": {k: _jsonable(v) for k, v in _service_values(u.fields).items()},
        }
        for u in plan.updates.values()
    ]
    return record_batch(
        session,
        filename=filename,
        rows=plan.report.rows,
        created=plan.created_ids,
        changes=changes,
        backup_path=backup_path,
        summary=plan.report.summary("en"),
    )


class _Rollback(Exception):
    """Raised inside the unit of work to undo a preview or a failed import."""


def choose_sheet(sheets: list[Sheet], name: str | None = None) -> Sheet:
    """The sheet called ``name``, else the first whose headers map to the template."""
    if name is not None:
        for sheet in sheets:
            if sheet.name == name:
                return sheet
    for sheet in sheets:
        if len(auto_mapping(sheet.header)) >= 3:
            return sheet
    return sheets[0]


@without_gc
def run_import(
    engine: Engine,
    principal: Principal,
    data: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet_name: str | None = None,
    dry_run: bool = False,
    values: Mapping[tuple[str, str], str] | None = None,
    decisions: Mapping[str, bool] | None = None,
    accept_uncertain: bool = False,
    take_backup: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import a CSV or XLSX file: all of it, or nothing.

    Args:
        engine: the database.
        principal: who imports (recorded in the audit log; must be allowed to edit).
        data, filename: the file's bytes and name.
        mapping: file header -> template key; default: :func:`auto_mapping`.
        sheet_name: which sheet of a workbook (default: the first that looks like the template).
        dry_run: check everything and roll back (the preview).
        values: (vocabulary, a value of the file) -> term code, chosen in the preview; kept
            as aliases of the terms when the import is committed.
        decisions: uncertain match key -> accepted (True) or rejected (False).
        accept_uncertain: accept every uncertain match left undecided (the CLI's flag).
        take_backup: back the database up before a commit (tracker.imports.batches).
        progress: called now and then with (done, total): each row counts twice, once
            checked and once written (or checked by the services), so ``total`` is twice
            the rows; the last call is (total, total). Not called for a table export.
    Returns:
        The report; ``report.committed`` is True only when the records were written.
    Raises:
        PermissionDeniedError: the principal may not edit records.
    """
    sheets = read_upload(data, filename)
    if restore.is_table_export(sheets):
        return restore.run_restore(engine, principal, sheets, dry_run=dry_run)
    sheet = choose_sheet(sheets, sheet_name)
    report = Report()
    backup_path = None
    if not dry_run and take_backup:
        from .batches import backup_before_import

        backup_path = str(backup_before_import(engine))
    try:
        with db.unit_of_work(engine, principal) as session:
            plan = build_plan(
                session,
                sheet,
                mapping or auto_mapping(sheet.header),
                values=values,
                decisions=decisions,
                accept_uncertain=accept_uncertain,
                progress=progress,
            )
            report = plan.report
            if report.rows:
                # Rows with errors are left out, the others still go through the services
                # so that the preview lists every problem the commit would meet.
                report.created = execute(session, plan, progress)
                report.to_create = dict(report.created)
                _save_aliases(session, plan, values or {})
                if progress is not None:
                    progress(2 * report.rows, 2 * report.rows)
            if dry_run or not report.ok:
                raise _Rollback
            report.backup_path = backup_path
            report.batch_id = str(_record(session, plan, filename, backup_path))
    except _Rollback:
        return report
    except SQLAlchemyError as exc:
        # A database refusal the services did not foresee (a row written meanwhile by
        # someone else): the transaction is rolled back and the report says so.
        report.problems.append(Problem(0, "", "import.file.database", {"reason": str(exc)[:200]}))
        return report
    report.committed = True
    return report
