"""Restore records from the tracker's own table export (XLSX, zip of CSV, or JSON).

Each sheet is one table; headers and vocabulary labels (English or Spanish) are turned back
into columns and codes, and every row is created with its id under its service's rules (one
:class:`~tracker.services.Batch`), tables in dependency order, all in one transaction. A row
whose id is already in the database is skipped with a warning, so importing the same export
twice adds nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Boolean, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

from .. import db
from ..errors import ValidationError
from ..gc_pause import without_gc
from ..i18n import LANGUAGES, t
from ..permissions import Principal
from ..services import SERVICES, Batch
from ..tabular import MANAGED, TABLES
from .cells import split_list, text
from .lookups import Vocabulary, parse_bool
from .reader import Sheet
from .report import Problem, Report
from .template import normalize

__all__ = ["is_table_export", "run_restore"]

MARKER = "tracker-export"
_LIST_COLUMNS = frozenset({"aliases", "rights_defended"})


def _about(sheets: list[Sheet]) -> dict[str, Any]:
    for sheet in sheets:
        if _table_of(sheet.name) == "about":
            return {
                str(cells[0]): cells[1] if len(cells) > 1 else None
                for _, cells in sheet.rows
                if cells
            }
    return {}


def is_table_export(sheets: list[Sheet]) -> bool:
    """True when the sheets are the tracker's own export of tables."""
    return _about(sheets).get("format") == MARKER


def _table_of(sheet_name: str) -> str | None:
    """The table a sheet holds, from its raw or translated name."""
    wanted = normalize(sheet_name)
    for name in ("about", "charge_rows", *TABLES):
        # Also the key itself: exports made before the sentence requests' sheet had a title
        # in the catalogs named that sheet "export.sheet.sentence_request".
        names = {
            name,
            f"export.sheet.{name}"[:31],
            *(t(f"export.sheet.{name}", lang=lang)[:31] for lang in LANGUAGES),
        }
        if wanted in {normalize(n) for n in names}:
            return name
    return None


def _column_names(table: str) -> dict[str, str]:
    """normalized header -> column, for the raw names and both languages' labels."""
    out: dict[str, str] = {}
    columns = [c.name for c in SQLModel.metadata.tables[table].columns]
    for column in columns:
        for lang in LANGUAGES:
            label = t(f"field.{column}", lang=lang)
            out.setdefault(normalize(f"{label} ({column})"), column)
            out.setdefault(normalize(label), column)
        out[normalize(column)] = column
    return out


def _vocabulary(session: Session, sheets: dict[str, Sheet]) -> Vocabulary:
    """Terms of the database and of the file's own vocabulary sheet."""
    terms = [(v, c, e, s) for (v, c), (e, s) in Vocabulary.load(session).labels.items()]
    sheet = sheets.get("vocabulary_term")
    if sheet is not None:
        names = _column_names("vocabulary_term")
        for _, cells in sheet.records():
            row = {names.get(normalize(h)): v for h, v in cells.items()}
            if all(row.get(k) for k in ("vocabulary", "code", "label_en", "label_es")):
                terms.append(
                    (
                        str(row["vocabulary"]),
                        str(row["code"]),
                        str(row["label_en"]),
                        str(row["label_es"]),
                    )
                )
    return Vocabulary(terms)


def _value(table: str, column: str, raw: Any, vocab: Vocabulary) -> tuple[Any, str | None]:
    """A cell as the service expects it; (value, problem key)."""
    if isinstance(raw, str):
        raw = text(raw)
    if column in _LIST_COLUMNS:
        if raw is None or raw == "":
            return [], None
        items = raw if isinstance(raw, list) else split_list(raw)
        vocabulary = SERVICES[table].spec.vocab.get(column)
        if vocabulary:
            items = [vocab.find(vocabulary, i)[0] or i for i in items]
        return list(items), None
    if raw is None or raw == "":
        return None, None
    sa_type = SQLModel.metadata.tables[table].c[column].type
    if isinstance(getattr(sa_type, "impl", sa_type), Boolean):
        flag = parse_bool(raw)
        return (flag, None) if flag is not None else (None, "import.cell.not_yes_no")
    vocabulary = SERVICES[table].spec.vocab.get(column) if table != "vocabulary_term" else None
    if vocabulary:
        code, _ = vocab.find(vocabulary, raw)
        return code or raw, None  # an unknown label reaches the service, which says so
    return raw, None


def _existing_ids(session: Session, table: str) -> set[uuid.UUID]:
    model = SQLModel.metadata.tables[table]
    return set(session.execute(select(model.c.id)).scalars())


def _restore_table(
    batch: Batch,
    table: str,
    sheet: Sheet,
    vocab: Vocabulary,
    report: Report,
    created: Counter[str],
    known_terms: set[tuple[str, str]],
) -> None:
    service = SERVICES[table]
    names = _column_names(table)
    existing = _existing_ids(batch.session, table)
    records = sheet.records()
    if table == "vocabulary_term":
        # Parents first: the service checks that a term's parent exists.
        records.sort(
            key=lambda r: bool(
                r[1].get(next((h for h in r[1] if names.get(normalize(h)) == "parent_code"), ""))
            )
        )
    for number, cells in records:
        report.rows += 1
        data: dict[str, Any] = {}
        for header, raw in cells.items():
            column = names.get(normalize(header))
            if column is None or column in MANAGED:
                continue
            value, problem = _value(table, column, raw, vocab)
            if problem:
                report.problems.append(
                    Problem(number, f"{sheet.name}: {header}", problem, {"value": str(raw)[:80]})
                )
                data = {}
                break
            data[column] = value
        if not data:
            continue
        try:
            row_id = uuid.UUID(str(data.get("id")))
        except ValueError:
            report.problems.append(
                Problem(
                    number,
                    f"{sheet.name}: id",
                    "import.cell.not_an_id",
                    {"value": str(data.get("id"))[:80]},
                )
            )
            continue
        in_db = (
            table == "vocabulary_term" and (data.get("vocabulary"), data.get("code")) in known_terms
        )
        if row_id in existing or in_db:
            continue
        try:
            batch.add(service, {**data, "id": row_id})
        except ValidationError as exc:
            for err in exc.errors:
                report.problems.append(
                    Problem(
                        number,
                        f"{sheet.name}: {t(f'field.{err.field}')}",
                        err.key,
                        dict(err.params),
                    )
                )
            continue
        created[table] += 1


class _Rollback(Exception):
    pass


@without_gc
def run_restore(
    engine: Engine, principal: Principal, sheets: list[Sheet], *, dry_run: bool = False
) -> Report:
    """Create every record of a table export, with its id, in one transaction."""
    report = Report(problems=[p for s in sheets for p in s.problems])
    by_table = {name: s for s in sheets if (name := _table_of(s.name)) in TABLES}
    if parse_bool(_about(sheets).get("pseudonymized") or "no"):
        report.problems.append(Problem(0, "", "import.restore.pseudonymized", severity="warning"))
    created: Counter[str] = Counter()
    try:
        with db.unit_of_work(engine, principal) as session:
            known_terms = set(Vocabulary.load(session).labels)
            vocab = _vocabulary(session, by_table)
            batch = Batch(session)
            with db.bulk_write_cache(session.connection()):
                for table in TABLES:
                    if table in by_table:
                        _restore_table(
                            batch, table, by_table[table], vocab, report, created, known_terms
                        )
                batch.write()
            report.created = report.to_create = dict(created)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        return report
    except SQLAlchemyError as exc:
        report.problems.append(Problem(0, "", "import.file.database", {"reason": str(exc)[:200]}))
        return report
    report.committed = True
    return report
