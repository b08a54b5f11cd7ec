"""The scale benchmark: build demo data at a scale, then time every page and the heavy paths.

Usage::

    python -m benchmarks.run --scale M [--repeat 3] [--out benchmarks/results/M-sqlite.json]
    TRACKER_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m benchmarks.run --scale M

Everything is measured in the same run, each beside its raw baseline: app.py and each page
(AppTest, as an editor and as a viewer; less an empty page's time, against hand-written SQL
giving the same numbers), and, where their modules are present, the graph and indicator
build, one chart export and an import of 10,000 rows. It prints a table and writes JSON.
The database is built by the command line in a child process, so the peak memory reported is
that of serving pages, not of generating data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("editor", "viewer")
PASSWORD = "benchmark passphrase"
IMPORT_ROWS = 10_000


def _fresh_database(scale: str) -> tuple[str, Any]:
    """A new empty database: a temporary SQLite file, or a fresh schema on PostgreSQL."""
    url = os.environ.get("TRACKER_DATABASE_URL")
    if not url or url.startswith("sqlite"):
        folder = tempfile.mkdtemp(prefix=f"bench-{scale}-")
        return f"sqlite:///{folder}/bench.db", None
    import psycopg

    schema = f"bench_{os.getpid()}"
    base = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", (base, schema)


def _cli(url: str, *args: str, stdin: str | None = None) -> float:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_LANG": "en"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, input=stdin, text=True, check=True,
        capture_output=True, cwd=ROOT,
    )
    return time.perf_counter() - started


def build(url: str, scale: str) -> dict[str, float]:
    """Create the schema, the documented seed, the demo data and the accounts; time each."""
    times = {"init_s": _cli(url, "init"), "seed_s": _cli(url, "seed")}
    times["demo_s"] = _cli(url, "seed", "--demo", "--scale", scale)
    for role in (*ROLES, "admin"):
        _cli(url, "users", "add", f"bench_{role}", "--role", role, stdin=PASSWORD + "\n")
    return {k: round(v, 2) for k, v in times.items()}


def _raw_connection(url: str) -> Any:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return sqlite3.connect(parsed.database or "")
    import psycopg

    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False).replace("options=-csearch_path%3D", "options=-csearch_path="))


def measure_pages(url: str, repeat: int) -> dict[str, Any]:
    """Every page as editor and viewer, the empty page, and the raw baselines."""
    from benchmarks import baselines, pages

    os.environ["TRACKER_DATABASE_URL"] = url
    os.environ["TRACKER_LANG"] = "en"
    empty = pages.time_empty_page(repeat)
    raw = _raw_connection(url)
    results: dict[str, Any] = {"empty_page": empty, "pages": {}}
    for path in pages.page_paths():
        entry: dict[str, Any] = {}
        for role in ROLES:
            who = "admin" if path.endswith("Admin.py") and role == "editor" else role
            entry[role] = pages.time_page(path, f"bench_{who}", repeat)
        fn = baselines.BASELINES.get(path)
        if fn is not None:
            base = pages.time_baseline(lambda fn=fn: fn(raw), repeat)
            entry["baseline_s"] = base
            work = entry["editor"].get("warm_s", 0) - empty["warm_s"]
            entry["ratio"] = round(work / base, 2) if base > 0 else None
        results["pages"][path] = entry
    raw.close()
    return results


def _best(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return round(min(runs), 3)


def measure_graphs(url: str, repeat: int) -> dict[str, Any]:
    """The complainant -> defender graph and every indicator, against raw SQL + networkx."""
    from benchmarks import bench_graphs as bg
    from tracker import db

    if not url.startswith("sqlite"):
        return {"skipped": "the raw baseline is written for sqlite3"}
    engine = db.make_engine(url)
    conn = sqlite3.connect(make_url(url).database or "")
    out = {
        "graph_s": _best(lambda: bg.ours_graph(engine), repeat),
        "graph_baseline_s": _best(lambda: bg.baseline_graph(conn), repeat),
        "all_s": _best(lambda: bg.ours_all(engine), repeat),
        "all_baseline_s": _best(lambda: bg.baseline_all(conn), repeat),
    }
    out["graph_ratio"] = round(out["graph_s"] / out["graph_baseline_s"], 2)
    out["all_ratio"] = round(out["all_s"] / out["all_baseline_s"], 2)
    conn.close()
    return out


def measure_import(url: str) -> dict[str, Any]:
    """Import 10,000 charge rows (exported from this database) into an empty one."""
    from benchmarks import bench_import as bi
    from tracker import db
    from tracker.imports import run_import
    from tracker.permissions import SYSTEM

    source = db.make_engine(url)
    payload, rows = bi._csv(source, IMPORT_ROWS)
    with tempfile.TemporaryDirectory() as folder:
        target = bi._empty(Path(folder) / "import.db")
        started = time.perf_counter()
        report = run_import(target, SYSTEM, payload, "charges.csv")  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        base_seconds, base_records = bi._baseline(source, bi._empty(Path(folder) / "raw.db"))
    written = sum(report.created.values())
    return {
        "rows": rows,
        "committed": report.committed,
        "import_s": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "records_per_s": round(written / seconds),
        "baseline_records_per_s": round(base_records / base_seconds),
    }


def measure_extra(url: str, repeat: int) -> dict[str, Any]:
    """The graph and indicator build, one chart export, and an import of 10,000 rows."""
    from benchmarks import bench_charts

    out: dict[str, Any] = {"graphs": measure_graphs(url, repeat)}
    try:
        out["charts"] = bench_charts.measure(url, repeat)
    except RuntimeError as exc:  # no Chrome/Chromium for kaleido
        out["charts"] = {"skipped": str(exc)[:200]}
    out["import"] = measure_import(url)
    return out


def _print(report: dict[str, Any]) -> None:
    print(f"scale {report['scale']} on {report['database']} — {report['machine']}")
    print(f"build: {report['build']}")
    empty = report["pages"]["empty_page"]
    print(f"empty page: warm {empty['warm_s']:.3f} s")
    print(f"{'page':<28}{'editor warm s':>14}{'viewer warm s':>14}{'cold s':>9}{'queries':>9}{'raw s':>9}{'ratio':>7}")
    for path, entry in report["pages"]["pages"].items():
        ed, vi = entry["editor"], entry["viewer"]
        if "error" in ed or "error" in vi:
            print(f"{path:<28} ERROR {ed.get('error') or vi.get('error')}")
            continue
        print(
            f"{path:<28}{ed['warm_s']:>14.3f}{vi['warm_s']:>14.3f}{ed['cold_s']:>9.2f}{ed['queries']:>9}"
            f"{entry.get('baseline_s', float('nan')):>9.4f}{entry.get('ratio') or float('nan'):>7.2f}"
        )
    for name, values in report["extra"].items():
        print(f"{name}: {values}")
    print(f"peak memory of the page process: {report['peak_rss_mb']} MB")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--scale", choices=("S", "M", "L"), default="S")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="JSON report path (default benchmarks/results/<scale>-<db>.json)")
    args = parser.parse_args(argv)
    url, cleanup = _fresh_database(args.scale)
    kind = make_url(url).get_backend_name()
    report: dict[str, Any] = {
        "scale": args.scale,
        "database": kind,
        "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "build": build(url, args.scale),
    }
    report["pages"] = measure_pages(url, args.repeat)
    report["extra"] = measure_extra(url, args.repeat)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    _print(report)
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"{args.scale}-{kind}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    if cleanup:
        import psycopg

        base, schema = cleanup
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
