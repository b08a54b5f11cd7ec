"""Backups and restores of the whole database, accounts and audit log included.

Two formats, both a consistent snapshot taken while the app keeps running:

- **sqlite**: a SQLite database file made with SQLite's online backup API (the default for a
  SQLite database; restore copies it back with the same API);
- **jsonl**: gzip-compressed JSON lines, portable between SQLite and PostgreSQL (the default
  for PostgreSQL, read in one REPEATABLE READ transaction): a header line
  ``{"format": "tracker-backup", "version": 1, "revision": ..., "tables": {...}}``, then one
  ``{"table": name, "row": {...}}`` line per row, parents before children.

Restore refuses a file whose schema revision this code does not know (it comes from a newer
version of the tracker), and migrates an older one: the database is rebuilt at the file's
revision, the rows loaded, then Alembic upgrades it to the latest schema.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    create_engine,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from . import db, revision, search_index
from . import models as _models  # noqa: F401  (registers every table on the metadata)
from .errors import TrackerError
from .models.analysis import ANALYSIS_TABLES

# (done, total, what): how far a long operation is, for a progress bar.
Progress = Callable[[int, int, str], None]

__all__ = ["BackupError", "BackupInfo", "backup", "inspect_backup", "restore"]

FORMAT = "tracker-backup"
VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BATCH = 5000
# Not backed up: Alembic's own row (the header says the revision), the stored results of
# versions before migration 0009 (derived data, dropped since), should a file have them, and
# the analysis sums of migration 0013 (derived, made again after a restore raises the data
# revision).
_SKIPPED = frozenset({"alembic_version", "stored_result", *ANALYSIS_TABLES})


_DERIVED = _SKIPPED - {"alembic_version"}


class BackupError(TrackerError):
    """A backup file that cannot be restored here; the message says why."""

    key = "backup.error.generic"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: its format, schema revision, time and rows per table."""

    format: str
    revision: str | None
    created_at: str
    tables: dict[str, int]


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(db.alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def backup(
    engine: Engine,
    path: Path,
    fmt: str = "auto",
    progress: Progress | None = None,
) -> BackupInfo:
    """Write a consistent snapshot of the database to ``path``.

    Args:
        fmt: "sqlite", "jsonl" or "auto" (sqlite for a SQLite database, else jsonl).
        progress: called with (done, total, what) as the backup goes: database pages copied
            of the file's pages ("pages") for SQLite, tables written of all tables (the
            table's name) for JSONL; the last call has done == total.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "auto":
        fmt = "sqlite" if engine.dialect.name == "sqlite" else "jsonl"
    if fmt == "sqlite":
        if engine.dialect.name != "sqlite":
            raise BackupError("backup.error.sqlite_only")
        return _backup_sqlite(engine, path, progress)
    return _backup_jsonl(engine, path, progress)


# Pages copied per step of SQLite's online backup (4 MiB at the default 4 KiB page): small
# enough for a progress bar to move on a large file, large enough to cost nothing.
_PAGES_PER_STEP = 1024


def _backup_sqlite(engine: Engine, path: Path, progress: Progress | None = None) -> BackupInfo:
    # Write next to the target and rename, so a crash never leaves half a backup behind.
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    with engine.connect() as conn:
        source = conn.connection.dbapi_connection
        target = sqlite3.connect(tmp)
        try:
            if progress is None:
                source.backup(target)  # type: ignore[union-attr]
            else:
                source.backup(  # type: ignore[union-attr]
                    target,
                    pages=_PAGES_PER_STEP,
                    progress=lambda _status, left, total: progress(total - left, total, "pages"),
                )
            # A backup is one self-contained file, not a WAL database with side files.
            target.execute("PRAGMA journal_mode=DELETE")
            # Derived tables are not backed up: stored results (before migration 0009) and the
            # analysis sums (tracker.models.analysis).
            for name in sorted(_DERIVED):
                if target.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = ?", (name,)
                ).fetchone():
                    target.execute(f'DELETE FROM "{name}"')
            target.commit()
        finally:
            target.close()
    tmp.replace(path)
    return inspect_backup(path)


def _reflect(conn: Connection) -> MetaData:
    """The database's tables, without the search index (its triggers refill it on restore)."""
    meta = MetaData()
    meta.reflect(conn, only=lambda name, _meta: not search_index.is_search_object(name))
    return meta


def _table_order(conn: Connection) -> list[Table]:
    return [_typed_table(t) for t in _reflect(conn).sorted_tables]


def _typed_table(reflected: Table) -> Table:
    """The database's own table (whatever its revision), with the models' column types where
    the models know the column: UUIDs, UTC timestamps and JSON then read and write the same
    way on SQLite and PostgreSQL."""
    model = SQLModel.metadata.tables.get(reflected.name)
    columns = [
        Column(
            c.name,
            model.c[c.name].type if model is not None and c.name in model.c else c.type,
            primary_key=c.primary_key,
        )
        for c in reflected.columns
    ]
    return Table(reflected.name, MetaData(), *columns)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):  # attached files
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _backup_jsonl(engine: Engine, path: Path, progress: Progress | None = None) -> BackupInfo:
    tmp = path.with_name(path.name + ".part")
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        else:
            conn.exec_driver_sql("BEGIN")  # one read transaction: a consistent snapshot
        revision = _revision(conn)
        tables = [t for t in _table_order(conn) if t.name not in _SKIPPED]
        header = {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "dialect": conn.dialect.name,
            "tables": [t.name for t in tables],
        }
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            fh.write(json.dumps(header) + "\n")
            for done, table in enumerate(tables):
                if progress is not None:
                    progress(done, len(tables), table.name)
                counts[table.name] = 0
                for row in conn.execute(select(table)).mappings():
                    record = {k: _jsonable(v) for k, v in row.items()}
                    fh.write(
                        json.dumps({"table": table.name, "row": record}, ensure_ascii=False) + "\n"
                    )
                    counts[table.name] += 1
            fh.write(json.dumps({"end": counts}) + "\n")
        if progress is not None:
            progress(len(tables), len(tables), "")
        conn.rollback()
    tmp.replace(path)
    return BackupInfo("jsonl", revision, str(header["created_at"]), counts)


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def inspect_backup(path: Path) -> BackupInfo:
    """Read a backup's format, revision and row counts without restoring it."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise BackupError("backup.error.unreadable", reason=str(exc)) from exc
    if magic == _SQLITE_MAGIC:
        return _inspect_sqlite(path)
    header, counts = _read_jsonl_header(path)
    return BackupInfo("jsonl", header.get("revision"), str(header.get("created_at", "")), counts)


def _inspect_sqlite(path: Path) -> BackupInfo:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        revision = None
        if "alembic_version" in names:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
            for n in names
            if n != "alembic_version"
        }
    except sqlite3.DatabaseError as exc:
        raise BackupError("backup.error.not_a_backup") from exc
    finally:
        conn.close()
    created = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    return BackupInfo("sqlite", revision, created, counts)


def _read_jsonl_header(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            counts: dict[str, int] = {}
            for line in fh:
                record = json.loads(line)
                if "end" in record:
                    counts = record["end"]
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise BackupError("backup.error.not_a_backup") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("backup.error.not_a_backup")
    if header.get("version") != VERSION or not counts:
        raise BackupError("backup.error.incomplete")
    return header, counts


def _check_revision(info: BackupInfo) -> None:
    if info.revision is None:
        raise BackupError("backup.error.no_revision")
    if info.revision not in _known_revisions():
        raise BackupError(
            "backup.error.newer", revision=info.revision, head=db.head_revision() or "-"
        )


def restore(engine: Engine, path: Path) -> BackupInfo:
    """Replace the whole database with the backup at ``path``, then migrate it to the latest
    schema. Refuses (BackupError, nothing changed) a file from an unknown, newer schema."""
    path = Path(path)
    info = inspect_backup(path)
    _check_revision(info)
    if info.format == "sqlite" and engine.dialect.name == "sqlite":
        _restore_sqlite_file(engine, path)
    else:
        _restore_rows(engine, info.revision or "", _rows(path, info))
    db.upgrade(engine)
    # The restored revision is the backup's, older than what caches have seen: raise it past
    # every earlier state (revision.bump never goes below the clock).
    with engine.begin() as conn:
        revision.bump(conn)
    return info


def _restore_sqlite_file(engine: Engine, path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "restore.db"
        shutil.copyfile(path, copy)  # the backup file itself stays untouched
        source = sqlite3.connect(copy)
        try:
            with engine.connect() as conn:
                target = conn.connection.dbapi_connection
                source.backup(target)  # type: ignore[arg-type]
        finally:
            source.close()
    engine.dispose()  # connections opened before the restore may cache the old schema


def _rows(path: Path, info: BackupInfo) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a backup, table by table, parents before children."""
    if info.format == "sqlite":
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            reader = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
            with reader.connect() as rconn:
                meta = _reflect(rconn)
            reader.dispose()
            for table in meta.sorted_tables:
                for row in conn.execute(f'SELECT * FROM "{table.name}"'):
                    yield table.name, dict(row)
        finally:
            conn.close()
        return
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        fh.readline()
        for line in fh:
            record = json.loads(line)
            if "table" in record:
                yield record["table"], record["row"]


def _drop_everything(engine: Engine) -> None:
    with engine.begin() as conn:
        search_index.uninstall(conn)
        _reflect(conn).drop_all(conn)


def _restore_rows(
    engine: Engine, revision: str, rows: Iterator[tuple[str, dict[str, Any]]]
) -> None:
    """Rebuild the schema at ``revision`` and load the rows into it, in one transaction."""
    _drop_everything(engine)
    command.upgrade(db.alembic_config(engine), revision)
    with engine.begin() as conn:
        meta = _reflect(conn)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        current, batch = "", cast(list[dict[str, Any]], [])
        for name, row in rows:
            if name in _SKIPPED or name not in meta.tables:
                continue
            # Rows come table by table, parents first: write a table's last rows before the
            # next table starts, so foreign keys always find their parent.
            if (name != current or len(batch) >= _BATCH) and batch:
                conn.execute(_typed_table(meta.tables[current]).insert(), batch)
                batch = []
            current = name
            batch.append(_typed(name, row))
        if batch:
            conn.execute(_typed_table(meta.tables[current]).insert(), batch)


def _typed(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to Python values, by the type of each column of the current models."""
    model = SQLModel.metadata.tables.get(table)
    if model is None:
        return row
    out = dict(row)
    for column in model.columns:
        value = out.get(column.name)
        if value is None:
            continue
        kind = getattr(column.type, "impl", column.type)  # through TypeDecorators
        if isinstance(kind, Uuid) and not isinstance(value, uuid.UUID):
            out[column.name] = uuid.UUID(str(value))
        elif isinstance(kind, DateTime) and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if isinstance(column.type, UTCDateTime) and moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)  # stored as UTC without an offset
            out[column.name] = moment
        elif isinstance(kind, Date) and isinstance(value, str):
            out[column.name] = date.fromisoformat(value[:10])
        elif isinstance(kind, JSON) and isinstance(value, str):
            out[column.name] = json.loads(value)
        elif isinstance(kind, LargeBinary) and isinstance(value, str):
            out[column.name] = base64.b64decode(value)
        elif _is_bool(column) and isinstance(value, int):
            out[column.name] = bool(value)
    return out


def _is_bool(column: Any) -> bool:
    try:
        return column.type.python_type is bool
    except NotImplementedError:
        return False
