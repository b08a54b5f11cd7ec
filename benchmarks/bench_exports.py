"""Benchmark: each data export (csv, json, ftm, xlsx) against a raw dump of the same rows.

Not a test. Usage::

    python benchmarks/bench_exports.py --scale M [--db /tmp/bench_M.db] [--rounds 1]
    python benchmarks/bench_exports.py --scale L --db /tmp/bench_L.db --formats csv,json,ftm
    TRACKER_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        python benchmarks/bench_exports.py --scale M --url-from-env

A SQLite ``--db`` that does not exist is built first (``python -m tracker init``, ``seed``
and ``seed --demo --scale``, each in a child process; scale M takes about a minute, L much
longer). With ``--url-from-env`` the database of TRACKER_DATABASE_URL is used as it is.

Every measurement runs in a child process of its own, so each has its own peak memory:

- export: ``tracker.exports.exporter(fmt)`` as the command line calls it (``csv`` into a
  folder of files, ``csv.zip`` into one zip; as a viewer:
  pseudonyms, restricted records out; every table, ``charge_rows`` and ``about`` for the
  table formats), timed around the call (the imports of the process are not counted);
- raw: the same tables the table exports write, every column of every row read with
  sqlite3 (or psycopg, a server-side cursor) and written with ``csv.writer`` to one file,
  timed the same way: the least any export of these rows can cost.

It prints seconds, the ratio export / raw (target at most 3), the process's peak RSS
(target under 1,024 MB at L) and the file size, best of ``--rounds`` for times (the peak is
the largest seen).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# csv: a folder of files (no compression, like the raw dump); csv.zip: the zip the page offers.
FORMATS = ("csv", "csv.zip", "json", "ftm", "xlsx", "ics")
SUFFIX = {
    "csv": "",
    "csv.zip": ".zip",
    "json": ".json",
    "ftm": ".ftm.json",
    "xlsx": ".xlsx",
    "ics": ".ics",
}
RATIO_TARGET = 3.0
PEAK_TARGET_MB = 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _child_export(url: str, fmt: str, out: Path) -> dict[str, Any]:
    from tracker import db
    from tracker.errors import TrackerError
    from tracker.exports import ExportOptions, exporter

    engine = db.make_engine(url)
    run = exporter(fmt.removesuffix(".zip"))
    started, cpu = time.perf_counter(), time.process_time()
    try:
        records = run(engine, out, ExportOptions(lang="en"))
        refused = None
    except TrackerError as exc:  # an XLSX sheet longer than Excel allows, at L
        records, refused = 0, exc.message("en")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    files = [out] if out.is_file() else list(out.glob("*")) if out.exists() else []
    size = sum(f.stat().st_size for f in files)
    return {"seconds": seconds, "cpu": cpu, "records": records, "bytes": size, "refused": refused}


def _child_raw(url: str, out: Path) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    from tracker.exports.rows import TABLES

    parsed = make_url(url)
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        conn: Any = sqlite3.connect(parsed.database or "")
    else:
        import psycopg

        conn = psycopg.connect(parsed.set(drivername="postgresql").render_as_string(False))
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for table in TABLES:
            if parsed.get_backend_name() == "sqlite":
                cursor = conn.execute(f"SELECT * FROM {table}")
            else:
                cursor = conn.cursor(name=f"raw_{table}")  # server-side: one batch at a time
                cursor.execute(f"SELECT * FROM {table}")
            while batch := cursor.fetchmany(5000):
                writer.writerows(batch)
                rows += len(batch)
            cursor.close()
    conn.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = out.stat().st_size
    return {"seconds": seconds, "cpu": cpu, "records": rows, "bytes": size, "refused": None}


def _measure(url: str, what: str) -> dict[str, Any]:
    """Run one measurement in a child process; its result with the child's peak memory."""
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        out = Path(folder) / f"out{SUFFIX.get(what, '.csv')}"
        done = subprocess.run(
            [sys.executable, __file__, "--child", what, "--url", url, "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "TRACKER_LANG": "en"},
        )
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _build(path: Path, scale: str) -> None:
    url = f"sqlite:///{path}"
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    for args in (["init"], ["seed"], ["seed", "--demo", "--scale", scale]):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tracker", *args], env=env, check=True, cwd=ROOT)
        print(f"tracker {' '.join(args)}: {time.perf_counter() - started:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Measure the exports; print a table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", type=Path, help="SQLite file (built when missing)")
    parser.add_argument("--url-from-env", action="store_true", help="use TRACKER_DATABASE_URL")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "raw":
            result = _child_raw(args.url, args.out)
        else:
            result = _child_export(args.url, args.child, args.out)
        print(json.dumps(result | {"peak_mb": round(_peak_mb(), 1)}))
        return 0

    if args.url_from_env:
        url = os.environ["TRACKER_DATABASE_URL"]
    else:
        path = args.db or Path(tempfile.gettempdir()) / f"bench_exports_{args.scale}.db"
        if not path.exists():
            _build(path, args.scale)
        url = f"sqlite:///{path}"
    formats = [f for f in args.formats.split(",") if f]
    results: dict[str, dict[str, Any]] = {}
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    for _ in range(args.rounds):
        # Raw and exports interleaved, so a change in the machine's load touches both.
        for what in ("raw", *formats):
            got = _measure(url, what)
            best = results.get(what)
            if best is None:
                results[what] = got
            else:
                best["peak_mb"] = max(best["peak_mb"], got["peak_mb"])
                if got["seconds"] < best["seconds"]:
                    best.update({k: v for k, v in got.items() if k != "peak_mb"})
    raw, raw_cpu = results["raw"]["seconds"], results["raw"]["cpu"]
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\nscale {args.scale}, {url.split('://')[0]}, best of {args.rounds}")
    print(f"load average before: {' '.join(load_before)}; after: {' '.join(load_after)}")
    print(
        f"raw dump: {raw:.2f} s ({raw_cpu:.2f} s CPU), {results['raw']['records']:,} rows, "
        f"peak {results['raw']['peak_mb']:.0f} MB, {results['raw']['bytes'] / 1e6:.0f} MB file"
    )
    print(
        f"{'format':8} {'seconds':>8} {'CPU s':>7} {'ratio':>6} {'CPU rt':>6} {'peak MB':>8} "
        f"{'file MB':>8} {'records':>10}  verdict"
    )
    for fmt in formats:
        r = results[fmt]
        r["ratio"] = round(r["seconds"] / raw, 2)
        r["cpu_ratio"] = round(r["cpu"] / raw_cpu, 2)
        if r["refused"]:
            verdict = f"refused: {r['refused']}"
        else:
            # Judged on wall time; on a shared machine the CPU-time ratio is the steadier one.
            fast = r["ratio"] <= RATIO_TARGET
            small = r["peak_mb"] < PEAK_TARGET_MB
            verdict = ("ok" if fast and small else "SLOW" if small else "MEMORY") + (
                ""
                if fast and small
                else f" (targets: ratio <= {RATIO_TARGET:g}, peak < {PEAK_TARGET_MB} MB)"
            )
        print(
            f"{fmt:8} {r['seconds']:8.2f} {r['cpu']:7.2f} {r['ratio']:6.2f} {r['cpu_ratio']:6.2f} "
            f"{r['peak_mb']:8.0f} {r['bytes'] / 1e6:8.1f} {r['records']:>10,}  {verdict}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"scale": args.scale, "load": [load_before, load_after], "results": results},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
