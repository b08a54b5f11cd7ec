"""``import FILE``: a CSV or XLSX file, all of it or nothing; ``import-undo``: the last import.

Column mappings: ``--map "Fecha=filed_on"`` pairs, or ``--mapping NAME|FILE`` (a mapping saved
on the page or with ``--save-mapping NAME``, or a file of ``Header=key`` lines or a JSON
object). Values: ``--values FILE`` maps the sheet's own words to terms (lines
``vocabulary;value;term`` or JSON ``{vocabulary: {value: term}}``; the term by code or label);
what stays unmapped is reported with suggestions. Uncertain matches are applied only with
``--accept-uncertain``; otherwise they are reported and new records are made.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

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


def _mapping_from(engine: Any, spec: str) -> dict[str, str] | None:
    """A saved mapping called ``spec``, else the mapping in the file ``spec``; None if none."""
    from sqlmodel import Session

    from ..services.imports import saved_mapping

    with Session(engine) as session:
        found = saved_mapping(session, spec)
    if found is not None:
        return found
    path = Path(spec)
    if not path.is_file():
        return None
    text = path.read_text("utf-8-sig")
    if text.lstrip().startswith("{"):
        return {str(k): str(v) for k, v in json.loads(text).items()}
    return _parse_mapping([line for line in text.splitlines() if "=" in line])


def _values_from(path: Path) -> list[tuple[str, str, str]]:
    """(vocabulary, value, term) triples of a value-mapping file."""
    text = path.read_text("utf-8-sig")
    if text.lstrip().startswith("{"):
        document = json.loads(text)
        return [(str(v), str(a), str(c)) for v, items in document.items() for a, c in items.items()]
    out = []
    for row in csv.reader(io.StringIO(text), delimiter=";" if ";" in text else ","):
        if len(row) >= 3 and row[0].strip() and not row[0].startswith("#"):
            out.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return out


def _resolve_values(
    engine: Any, triples: list[tuple[str, str, str]]
) -> tuple[dict[tuple[str, str], str], list[tuple[str, str, str]]]:
    """The value mapping with terms as codes, and the triples whose term is unknown."""
    from sqlmodel import Session

    from ..imports.lookups import Vocabulary

    with Session(engine) as session:
        vocab = Vocabulary.load(session)
    mapped: dict[tuple[str, str], str] = {}
    bad = []
    for vocabulary, value, term in triples:
        code, _ = vocab.find(vocabulary, term)
        if code is None:
            bad.append((vocabulary, value, term))
        else:
            mapped[vocabulary, value] = code
    return mapped, bad


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
    engine = db.make_engine()
    mapping = None
    sheet = choose_sheet(read_upload(data, path.name), args.sheet)
    if args.mapping:
        saved = _mapping_from(engine, args.mapping)
        if saved is None:
            print(t("import.cli.no_mapping", name=args.mapping), file=sys.stderr)
            return 2
        mapping = {**auto_mapping(sheet.header), **saved}
    if args.map:
        mapping = {**(mapping or auto_mapping(sheet.header)), **_parse_mapping(args.map)}
    values: dict[tuple[str, str], str] = {}
    if args.values:
        values, bad = _resolve_values(engine, _values_from(Path(args.values)))
        for vocabulary, value, term in bad:
            print(t("import.cli.bad_value_term", vocabulary=vocabulary, value=value, term=term),
                  file=sys.stderr)  # fmt: skip
    report = run_import(
        engine,
        cli_principal(),
        data,
        path.name,
        mapping=mapping,
        sheet_name=args.sheet,
        dry_run=args.dry_run,
        values=values,
        accept_uncertain=args.accept_uncertain,
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
    for item in report.unknown_values:
        if item.mapped_to:  # mapped by the values file: listed by the page, not "not mapped"
            continue
        vocabulary_key = f"enum.vocabulary.{item.vocabulary}"
        print(
            t(
                "import.cli.unmapped_value",
                value=item.value,
                column=item.column or t(vocabulary_key),
                vocabulary_key=t(vocabulary_key),
                vocabulary=item.vocabulary,
                rows=", ".join(str(r) for r in item.rows[:10]),
                suggestions=", ".join(
                    f"{report.term_label(item.vocabulary, c)} ({c})" for c in item.suggestions
                )
                or "-",
            )
        )
    for match in report.uncertain:
        state = {True: "accepted", False: "rejected", None: "undecided"}[match.decision]
        print(
            t(
                "import.cli.uncertain",
                name=match.name,
                other=match.candidate,
                state=t(f"import.uncertain.{state}"),
            )
        )
    for change in report.changes:
        print(
            t(
                "import.cli.change",
                record=report.record_name(change),
                field=change.column or t(f"field.{change.field}"),
                old=report.value_label(change.field, change.old) or "-",
                new=report.value_label(change.field, change.new),
            )
        )
    print(report.summary())
    if args.save_mapping and mapping is None:
        mapping = auto_mapping(sheet.header)
    if not report.ok:
        print(t("import.cli.failed", errors=len(report.errors)), file=sys.stderr)
        return 1
    if args.save_mapping and not args.dry_run:
        from ..services.imports import save_mapping

        with db.unit_of_work(engine, cli_principal()) as session:
            save_mapping(session, args.save_mapping, mapping or {})
        print(t("import.cli.mapping_saved", name=args.save_mapping))
    if args.dry_run:
        print(t("import.cli.dry_run"))
    else:
        print(t("import.cli.done_batch", batch=report.batch_id, backup=report.backup_path or "-"))
    return 0


def _cmd_undo(args: argparse.Namespace) -> int:
    from ..imports.batches import UndoError, undo_last

    try:
        batch = undo_last(db.make_engine(), cli_principal())
    except UndoError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    print(t("import.cli.undone", batch=str(batch.id), file=batch.filename))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the import and import-undo commands."""
    p = sub.add_parser("import", help=t("import.cli.help"), description=t("import.cli.help"))
    p.add_argument("file", metavar="FILE", help=t("import.cli.file_help"))
    p.add_argument("--dry-run", action="store_true", help=t("import.cli.dry_run_help"))
    p.add_argument("--sheet", default=None, help=t("import.cli.sheet_help"))
    p.add_argument(
        "--map", action="append", default=[], metavar="HEADER=KEY", help=t("import.cli.map_help")
    )
    p.add_argument("--mapping", metavar="NAME|FILE", help=t("import.cli.mapping_help"))
    p.add_argument("--save-mapping", metavar="NAME", help=t("import.cli.save_mapping_help"))
    p.add_argument("--values", metavar="FILE", help=t("import.cli.values_help"))
    p.add_argument(
        "--accept-uncertain", action="store_true", help=t("import.cli.accept_uncertain_help")
    )
    p.set_defaults(func=_cmd_import)
    u = sub.add_parser("import-undo", help=t("import.cli.undo_help"))
    u.set_defaults(func=_cmd_undo)
