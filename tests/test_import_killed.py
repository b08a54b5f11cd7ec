"""An import process killed in the middle of its commit leaves the database as it was.

A subprocess imports a file into a SQLite file database and SIGKILLs itself from a hook after
half the charges were written (flushed into the transaction); the database must then hold
exactly what it held before, and pass SQLite's integrity check.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tracker import db, seed
from tracker.permissions import SYSTEM
from tracker.stats import row_counts

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from tracker import db
    from tracker import services as sv
    from tracker.imports import run_import
    from tracker.permissions import SYSTEM

    url, path, kill_at = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    add, calls = sv.Batch.add, []

    def dying_add(batch, service, data):
        if service is sv.charges:
            calls.append(1)
            if len(calls) == kill_at:
                batch.flush()  # what came before is in the database file's journal
                os.kill(os.getpid(), signal.SIGKILL)
        return add(batch, service, data)

    sv.Batch.add = dying_add
    report = run_import(db.make_engine(url), SYSTEM, path.read_bytes(), path.name)
    print("committed" if report.committed else "refused")
    """
)


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.unit_of_work(engine, SYSTEM) as session:
        seed.load_vocabularies(session)
    engine.dispose()
    return url


def _run(url: str, csv_path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, url, str(csv_path), str(kill_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_killed_import_leaves_the_database_as_it_was(sqlite_file: str, tmp_path: Path) -> None:
    rows = "\n".join(f"{i:03d}-2019,Caso {i},Persona {i},riot,2019" for i in range(40))
    csv_path = tmp_path / "charges.csv"
    csv_path.write_text("Case number,Case title,Defendant,Charge,Charge filed on\n" + rows)
    engine = db.make_engine(sqlite_file)
    before = row_counts(engine)
    engine.dispose()

    killed = _run(sqlite_file, csv_path, kill_at=20)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    engine = db.make_engine(sqlite_file)
    assert row_counts(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()

    # The same import, not killed, goes through: the kill, not the file, stopped it.
    finished = _run(sqlite_file, csv_path, kill_at=0)
    assert (finished.returncode, finished.stdout) == (0, "committed\n")
    engine = db.make_engine(sqlite_file)
    assert row_counts(engine)["charge"] == 40
    engine.dispose()
