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

from collections.abc import Mapping

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
) -> Report:
    """Import a CSV or XLSX file: all of it, or nothing.

    Args:
        engine: the database.
        principal: who imports (recorded in the audit log; must be allowed to edit).
        data, filename: the file's bytes and name.
        mapping: file header -> template key; default: :func:`auto_mapping`.
        sheet_name: which sheet of a workbook (default: the first that looks like the template).
        dry_run: check everything and roll back (the preview).
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
    try:
        with db.unit_of_work(engine, principal) as session:
            plan = build_plan(session, sheet, mapping or auto_mapping(sheet.header))
            report = plan.report
            if report.rows:
                # Rows with errors are left out, the others still go through the services
                # so that the preview lists every problem the commit would meet.
                report.created = execute(session, plan)
                report.to_create = dict(report.created)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        return report
    except SQLAlchemyError as exc:
        # A database refusal the services did not foresee (a row written meanwhile by
        # someone else): the transaction is rolled back and the report says so.
        report.problems.append(Problem(0, "", "import.file.database", {"reason": str(exc)[:200]}))
        return report
    report.committed = True
    return report
