"""``import FILE [--dry-run]``: a CSV or XLSX file, all of it or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import db
from ..i18n import t
from . import cli_principal


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map "Fecha=filed_on" pairs as file header -> template key."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, _, key = pair.rpartition("=")
        mapping[header.strip()] = key.strip()
    return mapping


def _cmd_import(args: argparse.Namespace) -> int:
    from ..imports import auto_mapping, choose_sheet, read_upload, run_import

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(
            t("import.cli.unreadable", path=str(path), reason=exc.strerror or str(exc)),
            file=sys.stderr,
        )
        return 2
    mapping = None
    if args.map:
        sheet = choose_sheet(read_upload(data, path.name), args.sheet)
        mapping = {**auto_mapping(sheet.header), **_parse_mapping(args.map)}
    report = run_import(
        db.make_engine(),
        cli_principal(),
        data,
        path.name,
        mapping=mapping,
        sheet_name=args.sheet,
        dry_run=args.dry_run,
    )
    for problem in sorted(report.problems, key=lambda p: (p.row, p.column)):
        print(problem.line(), file=sys.stderr if problem.severity == "error" else sys.stdout)
    for match in report.people:
        print(
            t(
                "import.cli.person",
                name=match.name,
                role=t(f"import.role.{match.role}"),
                status=t(f"import.match.{match.status}"),
                rows=len(match.rows),
            )
        )
    print(report.summary())
    if not report.ok:
        print(t("import.cli.failed", errors=len(report.errors)), file=sys.stderr)
        return 1
    print(t("import.cli.dry_run") if args.dry_run else t("import.cli.done"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the import command."""
    p = sub.add_parser("import", help=t("import.cli.help"), description=t("import.cli.help"))
    p.add_argument("file", metavar="FILE", help=t("import.cli.file_help"))
    p.add_argument("--dry-run", action="store_true", help=t("import.cli.dry_run_help"))
    p.add_argument("--sheet", default=None, help=t("import.cli.sheet_help"))
    p.add_argument(
        "--map", action="append", default=[], metavar="HEADER=KEY", help=t("import.cli.map_help")
    )
    p.set_defaults(func=_cmd_import)
