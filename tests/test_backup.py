"""Backup and restore: round trips on SQLite and PostgreSQL, newer schemas refused, the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tests.test_export_tables import build_sample
from tracker import db, revision
from tracker.backup import BackupError, backup, inspect_backup, restore
from tracker.cli import main
from tracker.i18n import set_language
from tracker.stats import row_counts


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _everything(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the data revision (a restore raises it on purpose)."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "data_revision":
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            out[table.name] = [dict(r) for r in rows]
    return out


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_backup_and_restore_round_trip(vocab_engine: Engine, tmp_path: Path, fmt: str) -> None:
    build_sample(vocab_engine)
    before = _everything(vocab_engine)
    seen = revision.current(vocab_engine)
    path = tmp_path / "backup.bin"
    info = backup(vocab_engine, path, fmt)
    expected = "sqlite" if fmt == "auto" and vocab_engine.dialect.name == "sqlite" else "jsonl"
    assert (info.format, info.revision) == (expected, db.head_revision())
    assert info.tables["charge"] == 4 and info.tables["audit_log"] > 0
    # Damage the database after the backup, then restore.
    with vocab_engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM citation")
    restore(vocab_engine, path)
    assert _everything(vocab_engine) == before
    assert db.current_revision(vocab_engine) == db.head_revision()
    # Caches keyed on the data revision must not take the restored data for the old.
    assert revision.current(vocab_engine) > seen


def test_portable_backup_moves_between_databases(vocab_engine: Engine, tmp_path: Path) -> None:
    build_sample(vocab_engine)
    path = tmp_path / "portable.jsonl.gz"
    backup(vocab_engine, path, "jsonl")
    target = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    restore(target, path)
    # Every table alike but the data revision, which a restore raises on purpose: it also
    # makes the privacy revision's row (no stand-in may outlive a restore).
    moved = {"data_revision"}
    assert {k: v for k, v in row_counts(target).items() if k not in moved} == {
        k: v for k, v in row_counts(vocab_engine).items() if k not in moved
    }
    assert revision.current_pair(target)[1] > 0
    target.dispose()


def _rewrite_header(path: Path, **changes: Any) -> Path:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header = json.loads(lines[0]) | changes
    out = path.with_name("changed.jsonl.gz")
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        fh.write("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    return out


def test_restore_refuses_a_newer_schema_and_changes_nothing(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    build_sample(vocab_engine)
    path = tmp_path / "b.jsonl.gz"
    backup(vocab_engine, path, "jsonl")
    newer = _rewrite_header(path, revision="9999_from_the_future")
    before = row_counts(vocab_engine)
    with pytest.raises(BackupError) as info:
        restore(vocab_engine, newer)
    assert str(info.value) == (
        "The backup comes from a newer version of the tracker (schema 9999_from_the_future; "
        f"this one knows up to {db.head_revision()}). Update the tracker first; nothing was "
        "changed."
    )
    assert row_counts(vocab_engine) == before


def test_restore_migrates_an_older_schema(
    vocab_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are loaded at the file's revision, then Alembic upgrades to the latest."""
    build_sample(vocab_engine)
    path = tmp_path / "b.jsonl.gz"
    backup(vocab_engine, path, "jsonl")
    upgrades: list[str] = []
    real_upgrade = db.upgrade

    def recording_upgrade(engine: Engine) -> None:
        upgrades.append(str(db.current_revision(engine)))
        real_upgrade(engine)

    monkeypatch.setattr(db, "upgrade", recording_upgrade)
    restore(vocab_engine, path)
    assert upgrades == [db.head_revision()]  # at the file's revision when the upgrade to head starts
    assert row_counts(vocab_engine)["charge"] == 4


@pytest.mark.parametrize("content", [b"", b"not a backup", b"SQLite format 3\x00garbage"])
def test_unreadable_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(BackupError) as info:
        inspect_backup(path)
    assert str(info.value) == "This file is not a tracker backup."


def test_cli_backup_and_restore(
    vocab_engine: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRACKER_LANG", "en")
    build_sample(vocab_engine)
    path = tmp_path / "cli.backup"
    assert main(["backup", str(path), "--format", "jsonl"]) == 0
    head = db.head_revision()
    assert capsys.readouterr().out.startswith(f"Backup written to {path} (jsonl, schema {head}, ")
    assert main(["restore", str(path)]) == 2
    assert "run again with --yes" in capsys.readouterr().err
    assert main(["restore", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "The current database was saved first to" in out
    assert out.endswith(f"Restored; the database is at schema {head}.\n")
    assert len(list((tmp_path / "data" / "backups").iterdir())) == 1
    assert main(["restore", str(tmp_path / "missing")]) == 1
