"""Benchmark: import charge rows (an export of demo scale M) against a raw executemany baseline.

Usage::

    python benchmarks/bench_import.py [--rows 100000] [--source data.db] [--keep DIR]

1. A source SQLite database holds the vocabularies and demo scale M (made unless --source).
2. Its ``charge_rows`` export (one row per charge, the import template's shape, real names,
   record ids) is written as CSV; rows are repeated under new case numbers up to --rows
   (scale M has about 58,000 charges; the issue asks for 100,000).
3. Import: ``tracker.imports.run_import`` into an empty database with the vocabularies, one
   transaction through the services (validation, audit, permissions), timed.
4. Baseline, same run: the same kinds of rows (actors, cases, parties, charges, complainant
   links) copied from the source with Core executemany into another empty database, timed.

It prints rows per second of both and their ratio. The target is under 60 s for 100,000 rows.

With ``--preview N`` it measures instead the preview of a re-import with reconciliation: N
rows of the export, without record ids, with names written otherwise (upper case, words in
another order) and changed outcomes (the charge then resolved, as a sheet kept up to date
says), previewed against a copy of the scale M database (every case, person and charge
matched, every change listed and validated). The target is under 10 s for 10,000. Its raw
baseline, same run: the file read with the csv module and the rows a reconciliation must
compare (every actor's and case's keys, every column of the matched cases' charges) read
with sqlite3.

The machine may be shared: every timing is printed with the process's CPU time and the load
average (``/proc/loadavg``) before and after.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from tracker import db, seed  # noqa: E402
from tracker.exports import ExportOptions  # noqa: E402
from tracker.exports.labels import Labels, charge_rows  # noqa: E402
from tracker.exports.rows import read_rows  # noqa: E402
from tracker.imports import run_import  # noqa: E402
from tracker.permissions import SYSTEM  # noqa: E402

BASELINE_TABLES = ("court", "actor", "court_case", "case_party", "charge", "charge_complainant")
# What the charge-row export is made of (not hearings, measures, stage changes, citations:
# at scale L those are millions of rows the file does not need).
CSV_TABLES = ("court", "actor", "court_case", "charge", "charge_complainant")


def _empty(path: Path) -> object:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with db.unit_of_work(engine, SYSTEM) as session:
        seed.load_vocabularies(session)
    return engine


def _source(path: Path | None, folder: Path) -> object:
    if path is not None:
        return db.make_engine(f"sqlite:///{path}")
    from tracker import demo

    engine = _empty(folder / "source.db")
    started = time.perf_counter()
    demo.generate(engine, scale="M")  # type: ignore[arg-type]
    print(f"demo scale M generated in {time.perf_counter() - started:.1f} s")
    return engine


def _csv(engine: object, rows: int) -> tuple[bytes, int]:
    options = ExportOptions(lang="en", show_confidential=True)
    data = read_rows(engine, options, CSV_TABLES)  # type: ignore[arg-type]
    headers, body = charge_rows(data, Labels.load(engine, "en"))  # type: ignore[arg-type]
    number, ids = (
        headers.index("Case number"),
        [headers.index(h) for h in ("Case record id", "Defendant record id", "Charge record id")],
    )
    out: list[list[object]] = []
    copy = 0
    while len(out) < rows and body:
        renamed: dict[object, str] = {}  # a repeat gets new cases, people and charges
        for row in body[: rows - len(out)]:
            if copy:
                row = list(row)
                row[number] = f"{row[number]}-r{copy}"
                for i in ids:
                    row[i] = (
                        renamed.setdefault(row[i], str(uuid.uuid4()))
                        if i != ids[2]
                        else str(uuid.uuid4())
                    )
            out.append(row)
        copy += 1
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in out:
        writer.writerow(
            ["; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else v for v in row]
        )
    return buffer.getvalue().encode("utf-8"), len(out)


def _baseline(source: object, target: object) -> tuple[float, float, int]:
    """Copy the same kinds of rows with Core executemany; return (seconds, CPU, rows)."""
    tables = [SQLModel.metadata.tables[name] for name in BASELINE_TABLES]
    data = {}
    with source.connect() as conn:  # type: ignore[attr-defined]
        for table in tables:
            data[table.name] = [dict(r) for r in conn.execute(select(table)).mappings()]
    started, cpu = time.perf_counter(), time.process_time()
    with target.begin() as conn:  # type: ignore[attr-defined]
        for table in tables:
            rows = data[table.name]
            for i in range(0, len(rows), 5000):
                conn.execute(table.insert(), rows[i : i + 5000])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, sum(len(v) for v in data.values())


def _messy(payload: bytes, rows: int) -> bytes:
    """The first ``rows`` rows of the export as a returning NGO would send them back."""
    reader = csv.reader(io.StringIO(payload.decode("utf-8")))
    headers = next(reader)
    # Cases and charges are found by number and content; people keep their record id (the
    # demo has namesakes, which a sheet tells apart by ID number or by the id itself).
    drop = {headers.index(h) for h in ("Case record id", "Charge record id")}
    name, outcome = headers.index("Defendant"), headers.index("Outcome")
    status = headers.index("Charge status")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([h for i, h in enumerate(headers) if i not in drop])
    for n, row in enumerate(reader):
        if n >= rows:
            break
        if n % 4 == 0:
            row[name] = " ".join(reversed(row[name].split())).upper()
        if n % 3 == 0 and not row[outcome]:
            row[outcome], row[status] = "Acquitted", "Resolved"
        writer.writerow([v for i, v in enumerate(row) if i not in drop])
    return out.getvalue().encode("utf-8")


def _preview(source: object, folder: Path, rows: int) -> None:
    import shutil

    source.dispose()  # type: ignore[attr-defined]
    shutil.copy(folder / "source.db", folder / "preview.db")
    target = db.make_engine(f"sqlite:///{folder / 'preview.db'}")
    payload, _ = _csv(target, rows)
    messy = _messy(payload, rows)
    print(f"load average before: {_load()}")
    started, cpu = time.perf_counter(), time.process_time()
    report = run_import(target, SYSTEM, messy, "again.csv", dry_run=True)  # type: ignore[arg-type]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"load average after: {_load()}")
    base_seconds, base_cpu = _preview_baseline(folder / "preview.db", messy)
    matched = sum(1 for p in report.people if p.status == "matched")
    print(
        f"raw baseline (csv + sqlite3 reads): {base_seconds:.2f} s, CPU {base_cpu:.2f} s; "
        f"ratio {seconds / base_seconds:.1f}x"
    )
    print(
        f"preview of {report.rows:,} rows against scale M: {seconds:.1f} s, CPU {cpu:.1f} s "
        f"({report.rows / seconds:,.0f} rows/s); people matched {matched:,} of "
        f"{len(report.people):,}; changes {len(report.changes):,}; unchanged rows "
        f"{report.unchanged:,}; uncertain {len(report.uncertain):,}; errors "
        f"{len(report.errors):,}; target 10,000 rows < 10 s: "
        f"{'met' if seconds * 10_000 / max(report.rows, 1) < 10 else 'NOT met'}"
    )
    for problem in report.errors[:5]:
        print("   ", problem.line("en"))


def _load() -> str:
    """The load average (1, 5, 15 minutes) of a shared machine, for the record."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _preview_baseline(path: Path, messy: bytes) -> tuple[float, float]:
    """The least a reconciliation reads, by hand: (seconds, CPU seconds).

    The file with the csv module; with sqlite3, every actor's and case's keys and every
    column of the charges of the cases the file names (found by case number).
    """
    import sqlite3

    started, cpu = time.perf_counter(), time.process_time()
    reader = csv.reader(io.StringIO(messy.decode("utf-8")), delimiter=";")
    headers = next(reader)
    rows = list(reader)
    number = headers.index("Case number")
    wanted = {row[number] for row in rows}
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT id, name, id_number, aliases FROM actor").fetchall()
        cases = conn.execute("SELECT id, case_number, title FROM court_case").fetchall()
        ids = [c[0] for c in cases if c[1] in wanted]
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"SELECT * FROM charge WHERE case_id IN ({marks})", chunk).fetchall()
    finally:
        conn.close()
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--source", type=Path, default=None, help="a database with scale M")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases here")
    parser.add_argument("--preview", type=int, default=0, help="preview N rows against M")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.source is not None:
            import shutil

            # A copy: opening a database sets its journal mode and leaves -wal and -shm files
            # beside it, and the shared scale databases are read-only.
            shutil.copy(args.source, folder / "source.db")
        source = _source(folder / "source.db" if args.source else None, folder)
        if args.preview:
            _preview(source, folder, args.preview)
            return
        payload, rows = _csv(source, args.rows)
        print(f"{rows} charge rows, {len(payload) / 1e6:.1f} MB of CSV")
        target = _empty(folder / "import.db")
        print(f"load average before: {_load()}")
        started, cpu = time.perf_counter(), time.process_time()
        report = run_import(target, SYSTEM, payload, "charges.csv")  # type: ignore[arg-type]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"load average after: {_load()}")
        assert report.committed, [p.line("en") for p in report.errors[:10]]
        written = sum(report.created.values())
        print(
            f"import: {seconds:.1f} s, CPU {cpu:.1f} s, {rows / seconds:,.0f} charge rows/s, "
            f"{written:,} records written ({written / seconds:,.0f} records/s)"
        )
        print(f"   created: {report.created}")
        base_seconds, base_cpu, base_rows = _baseline(source, _empty(folder / "baseline.db"))
        print(
            f"baseline executemany: {base_seconds:.1f} s, CPU {base_cpu:.1f} s, for "
            f"{base_rows:,} records "
            f"({base_rows / base_seconds:,.0f} records/s)"
        )
        print(
            f"ratio: the import writes records {base_rows / base_seconds / (written / seconds):.0f}"
            f"x slower than raw executemany; target 100,000 rows < 60 s: "
            f"{'met' if seconds * 100_000 / rows < 60 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
