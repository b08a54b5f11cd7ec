"""The scale benchmark: build demo data at a scale, then time every page and the heavy paths.

Usage::

    python -m benchmarks.run --scale S|M|L [--repeat 3] [--out FILE.json]
    python -m benchmarks.run --scale M --database /tmp/scale/M.db      # a copy of a built file
    python -m benchmarks.run --scale M --database postgresql+psycopg://...  # an existing database
    python -m benchmarks.run --scale S --only pages,graphs             # some parts only
    TRACKER_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m benchmarks.run

Everything is measured in the same run, each beside its raw baseline: app.py and each page
(AppTest, as an editor and as a viewer; less an empty page's time, against hand-written SQL
giving the same numbers, checked against the tracker's own figures), the graph and indicator
build, one chart export and an import of 10,000 rows. The database is built by the command
line in child processes, and every page (and every other part) runs in a child process of
its own, so each peak memory reported is that of serving that page, not of generating data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
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
CHART = "charges_over_time"  # the chart exported (the Reports page's default)
PARTS = ("check", "pages", "graphs", "charts", "import")
RATIO_TARGET = 2.0  # at M (and S): (page - empty page) / raw baseline
QUERY_TARGET = 15  # "a handful of aggregate queries per page", per run
NOISE_S = 0.05  # a page's own work under this is within a rerun's noise: no ratio judged
SECONDS_TARGET = 5.0  # at L: every page, cold and warm
MEMORY_TARGET_MB = 1536  # at L: 1.5 GiB peak RSS of the process serving a page


def _peak_mb() -> int:
    """This process's peak resident memory in MB.

    Linux's VmHWM, not ``ru_maxrss``: a child started by a large parent (the parent runs the
    raw baselines, 2.4 GB at scale L) inherits the parent's ``ru_maxrss`` across exec, so
    every later page would report the parent's peak as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# ---------------------------------------------------------------- databases


def _pg_schema(url: str, schema: str) -> tuple[str, tuple[str, str]]:
    """A fresh schema on the PostgreSQL of ``url``; the URL that uses it, and the cleanup."""
    import psycopg

    base = make_url(url).set(drivername="postgresql", query={})
    plain = base.render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    target = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return target.render_as_string(hide_password=False), (plain, schema)


def _drop_schema(cleanup: tuple[str, str]) -> None:
    import psycopg

    plain, schema = cleanup
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _fresh_database(scale: str) -> tuple[str, Any]:
    """A new empty database: a temporary SQLite file, or a fresh schema on PostgreSQL."""
    url = os.environ.get("TRACKER_DATABASE_URL")
    if not url or url.startswith("sqlite"):
        folder = tempfile.mkdtemp(prefix=f"bench-{scale}-")
        return f"sqlite:///{folder}/bench.db", None
    return _pg_schema(url, f"bench_{os.getpid()}")


def _copied_database(path: str) -> str:
    """A copy of a built SQLite file (and its WAL) in a temporary folder: never write to it."""
    source = Path(path)
    if not source.exists():
        raise SystemExit(f"no database at {source}")
    folder = Path(tempfile.mkdtemp(prefix="bench-copy-"))
    for suffix in ("", "-wal"):
        part = Path(f"{source}{suffix}")
        if part.exists():
            shutil.copyfile(part, folder / f"bench.db{suffix}")
    return f"sqlite:///{folder}/bench.db"


def _cli(url: str, *args: str, stdin: str | None = None, check: bool = True) -> float:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_LANG": "en"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
    )
    if check and done.returncode:
        raise SystemExit(f"python -m tracker {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def _accounts(url: str) -> None:
    """The benchmark's accounts (an existing one is left as it is)."""
    for role in (*ROLES, "admin"):
        _cli(
            url, "users", "add", f"bench_{role}", "--role", role, stdin=PASSWORD + "\n", check=False
        )


def build(url: str, scale: str) -> dict[str, float]:
    """Create the schema, the documented seed, the demo data and the accounts; time each."""
    times = {"init_s": _cli(url, "init"), "seed_s": _cli(url, "seed")}
    times["demo_s"] = _cli(url, "seed", "--demo", "--scale", scale)
    _accounts(url)
    return {k: round(v, 2) for k, v in times.items()}


def raw_connection(url: str) -> Any:
    """A bare DB-API connection (sqlite3 or psycopg) to the database of a SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(parsed.database or "")
    import psycopg

    options = parsed.query.get("options")
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        autocommit=True,
        **({"options": options} if options else {}),
    )


def _row_counts(url: str) -> dict[str, int]:
    conn = raw_connection(url)
    cur = conn.cursor()
    out = {}
    for table in ("court_case", "actor", "charge", "hearing"):
        cur.execute(f"SELECT count(*) FROM {table}")
        out[table] = int(cur.fetchone()[0])
    conn.close()
    return out


# ---------------------------------------------------------------- children


def _child(part: str, url: str, repeat: int) -> dict[str, Any]:
    """Run one part in a child process; its JSON result (with the child's peak memory)."""
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_LANG": "en"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--child",
            part,
            "--url",
            url,
            "--repeat",
            str(repeat),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr or done.stdout)[-600:]}
    return json.loads(lines[-1])


def _run_child(part: str, url: str, repeat: int) -> dict[str, Any]:
    """In the child: measure ``part`` and return its result and this process's peak memory."""
    os.environ["TRACKER_DATABASE_URL"] = url
    os.environ["TRACKER_LANG"] = "en"
    if part == "empty":
        from benchmarks import pages

        out: dict[str, Any] = pages.time_empty_page(repeat)
    elif part.startswith("page:"):
        from benchmarks import pages

        path = part.removeprefix("page:")
        out = {}
        for role in ROLES:
            who = "admin" if path.endswith("Admin.py") and role == "editor" else role
            out[role] = pages.time_page(path, f"bench_{who}", repeat)
    elif part == "graphs":
        out = measure_graphs(url, repeat)
    elif part == "charts":
        from benchmarks import bench_charts

        try:
            out = bench_charts.measure(url, repeat, codes=(CHART,), pack=False)
        except Exception as exc:  # noqa: BLE001  # no Chrome/Chromium for kaleido, reported
            out = {"skipped": str(exc)[:200]}
    elif part == "import-file":
        out = write_import_file(url, Path(os.environ["BENCH_IMPORT_CSV"]))
    elif part == "import":
        out = measure_import(url, Path(os.environ["BENCH_IMPORT_CSV"]))
    else:
        raise SystemExit(f"unknown part {part!r}")
    out["peak_rss_mb"] = _peak_mb()
    return out


# ---------------------------------------------------------------- parts


def _best(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return round(min(runs), 3)


def measure_graphs(url: str, repeat: int) -> dict[str, Any]:
    """The complainant -> defender graph, and the graph + every indicator, against raw SQL +
    networkx + plain Python computing the same (as a viewer sees them)."""
    from datetime import date

    from benchmarks import baselines_analysis as ba
    from benchmarks.bench_graphs import ours_all, ours_graph
    from tracker import db

    engine = db.make_engine(url)
    conn = raw_connection(url)

    def base_graph() -> Any:
        charges = ba._charges(conn, False, graph=True)
        return ba._graph(charges, ba._links(conn, False), ba._actors(conn, False))

    def base_all() -> Any:
        rows = ba._Rows(conn, False, date.today())
        ba.indicator_figures(rows)
        return ba._graph(rows.charges, rows.links, rows.actors)

    g, b = ours_graph(engine), base_graph()
    out: dict[str, Any] = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "same_graph": (g.number_of_nodes(), g.number_of_edges())
        == (b.number_of_nodes(), b.number_of_edges()),
        "graph_s": _best(lambda: ours_graph(engine), repeat),
        "graph_baseline_s": _best(base_graph, repeat),
        "all_s": _best(lambda: ours_all(engine), repeat),
        "all_baseline_s": _best(base_all, repeat),
    }
    out["graph_ratio"] = round(out["graph_s"] / out["graph_baseline_s"], 2)
    out["all_ratio"] = round(out["all_s"] / out["all_baseline_s"], 2)
    conn.close()
    engine.dispose()
    return out


def _empty_target(url: str, name: str, folder: Path) -> tuple[Any, Any]:
    """An empty database with the vocabularies, of the same kind as ``url``; and its cleanup."""
    from tracker import db, seed
    from tracker.permissions import SYSTEM

    cleanup = None
    if make_url(url).get_backend_name() == "sqlite":
        target = f"sqlite:///{folder / name}.db"
    else:
        target, cleanup = _pg_schema(url, f"bench_{name}_{os.getpid()}")
    engine = db.make_engine(target)
    db.upgrade(engine)
    with db.unit_of_work(engine, SYSTEM) as session:
        seed.load_vocabularies(session)
    return engine, cleanup


def write_import_file(url: str, path: Path) -> dict[str, Any]:
    """Write the 10,000 charge rows to import (the charge-row export of this database) to
    ``path``. A child of its own, so that reading the source is not counted in the import's
    memory; only the tables the charge rows are made of are read."""
    from benchmarks import bench_import as bi
    from tracker import db

    payload, rows = bi._csv(db.make_engine(url), IMPORT_ROWS)
    path.write_bytes(payload)
    return {"rows": rows, "mb": round(len(payload) / 1e6, 1)}


def measure_import(url: str, path: Path) -> dict[str, Any]:
    """Import the charge rows of ``path`` into an empty database of the same kind as ``url``;
    the baseline writes the very records the import wrote (read back from it, without their
    audit rows) into another empty database with Core executemany."""
    from benchmarks import bench_import as bi
    from tracker.imports import run_import
    from tracker.permissions import SYSTEM

    payload = path.read_bytes()
    rows = payload.count(b"\n") - 1  # the CSV's header line; cells hold no line breaks
    with tempfile.TemporaryDirectory() as tmp:
        target, clean_a = _empty_target(url, "import", Path(tmp))
        raw, clean_b = _empty_target(url, "raw", Path(tmp))
        try:
            started = time.perf_counter()
            report = run_import(target, SYSTEM, payload, "charges.csv")  # type: ignore[arg-type]
            seconds = time.perf_counter() - started
            base_seconds, _base_cpu, base_records = bi._baseline(target, raw)
        finally:
            target.dispose()
            raw.dispose()
            for clean in (clean_a, clean_b):
                if clean:
                    _drop_schema(clean)
    written = sum(report.created.values())
    return {
        "rows": rows,
        "committed": report.committed,
        "import_s": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "records_per_s": round(written / seconds),
        "baseline_records": base_records,
        "baseline_records_per_s": round(base_records / base_seconds),
    }


def measure_pages(url: str, repeat: int, only: str | None) -> dict[str, Any]:
    """Every page (a child process each) as editor and viewer, the empty page, the baselines."""
    from benchmarks import baselines, pages

    empty = _child("empty", url, repeat)
    raw = raw_connection(url)
    registry = baselines.registry()
    results: dict[str, Any] = {"empty_page": empty, "pages": {}}
    for path in pages.page_paths():
        if only and not any(part and part in path for part in only.split(",")):
            continue
        entry = _child(f"page:{path}", url, repeat)
        fn = registry[path]
        who = "bench_admin" if path.endswith("Admin.py") else "bench_editor"
        base = pages.time_baseline(lambda fn=fn, who=who: fn(raw, True, who), repeat)
        entry["baseline_s"] = base
        editor = entry.get("editor", {})
        if "warm_s" in editor and "warm_s" in empty:
            entry["adjusted_s"] = round(max(editor["warm_s"] - empty["warm_s"], 0.0), 4)
            entry["ratio"] = round(entry["adjusted_s"] / base, 2) if base > 0 else None
            # Until the results show: a page may answer before they are computed.
            fresh = max(editor["uncached_s"] - empty["warm_s"], 0.0)
            entry["ratio_uncached"] = round(fresh / base, 2) if base > 0 else None
        results["pages"][path] = entry
        print(f"  measured {path}", file=sys.stderr, flush=True)
    raw.close()
    return results


def verdict(entry: dict[str, Any], scale: str) -> str:
    """Pass or fail of one page against the target of ``scale``."""
    ed, vi = entry.get("editor", {}), entry.get("viewer", {})
    if "error" in entry or "error" in ed or "error" in vi:
        return "ERROR"
    failed = []
    if scale == "L":
        if max(ed["warm_s"], vi["warm_s"], ed["edited_s"], vi["edited_s"]) >= SECONDS_TARGET:
            failed.append(f">{SECONDS_TARGET:.0f}s")
        if max(ed["uncached_s"], vi["uncached_s"]) >= SECONDS_TARGET:
            failed.append(f"first view of a new filter set >{SECONDS_TARGET:.0f}s")
        if entry.get("peak_rss_mb", 0) >= MEMORY_TARGET_MB:
            failed.append("memory")
    else:
        small = entry.get("adjusted_s", 1.0) <= NOISE_S
        if entry.get("ratio") is not None and entry["ratio"] > RATIO_TARGET and not small:
            failed.append("ratio")
        if max(ed["queries_uncached"], vi["queries_uncached"]) > QUERY_TARGET:
            failed.append("queries")
    if failed:
        return "FAIL " + ",".join(failed)
    return "pass" if scale == "L" or not small else f"pass (adj < {NOISE_S * 1000:.0f} ms)"


def _num(value: Any, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def _print(report: dict[str, Any]) -> None:
    print(f"scale {report['scale']} on {report['database']} — {report['machine']}")
    print(f"build: {report['build']}  rows: {report.get('rows')}")
    for path, roles in report.get("check", {}).items():
        bad = {r: d for r, d in roles.items() if d}
        if bad:
            print(f"baseline check {path}: {bad}")
    if "check" in report:
        ok = all(not d for roles in report["check"].values() for d in roles.values())
        print(
            f"baseline check (each baseline = the tracker's figures, editor and viewer): {'ok' if ok else 'DIFFERS'}"
        )
    pages = report.get("pages")
    if pages:
        empty = pages["empty_page"]
        print(
            f"empty page: warm {empty.get('warm_s', float('nan')):.3f} s, cold "
            f"{empty.get('cold_s', float('nan')):.2f} s, peak {empty.get('peak_rss_mb')} MB"
        )
        target = (
            f"editor and viewer, warm, uncached and after an edit, < {SECONDS_TARGET:.0f} s;"
            f" peak < "
            f"{MEMORY_TARGET_MB} MB"
            if report["scale"] == "L"
            else f"ratio (warm) <= {RATIO_TARGET:.0f}; SQL statements per uncached run <= "
            f"{QUERY_TARGET}"
        )
        print(f"target at {report['scale']}: {target}")
        print(
            "seconds; adj = editor warm - empty page warm; ratio = adj / raw; unc = the same for"
            " an uncached run;\nunc = the editor's first view of a filter set never seen"
            " (caches cleared); edit = editor's first run after an edit;\nqueries = SQL"
            " statements per editor run, warm/uncached; peak = max RSS of the page's process"
        )
        head = (
            "page",
            "ed warm",
            "ed cold",
            "ed unc",
            "ed edit",
            "vi warm",
            "adj",
            "raw",
            "ratio",
            "unc",
            "queries",
            "peak MB",
            "verdict",
        )
        widths = (20, 8, 8, 8, 8, 8, 8, 8, 7, 7, 8, 8, 0)
        print(
            "".join(
                f"{h:<{w}}" if i == 0 else f"{h:>{w}}" if w else f"  {h}"
                for i, (h, w) in enumerate(zip(head, widths, strict=True))
            )
        )
        for path, e in pages["pages"].items():
            name = path.removeprefix("pages/")
            ed, vi = e.get("editor", {}), e.get("viewer", {})
            if "error" in e or "error" in ed or "error" in vi:
                error = e.get("error") or ed.get("error") or vi.get("error")
                print(f"{name:<20} ERROR {error[:300]}")
                continue
            print(
                f"{name:<20}{ed['warm_s']:>8.3f}{ed['cold_s']:>8.2f}{ed['uncached_s']:>8.3f}"
                f"{_num(ed.get('edited_s'), '.3f'):>8}"
                f"{vi['warm_s']:>8.3f}{_num(e.get('adjusted_s'), '.3f'):>8}"
                f"{e['baseline_s']:>8.4f}{_num(e.get('ratio'), '.2f'):>7}"
                f"{_num(e.get('ratio_uncached'), '.2f'):>7}"
                f"{ed['queries']:>4}/{ed['queries_uncached']:<3}{e.get('peak_rss_mb', 0):>8}"
                f"  {e['verdict']}"
            )
    for name in ("graphs", "charts", "import_file", "import"):
        if name in report:
            print(f"{name}: {json.dumps(report[name], default=str)[:1200]}")
    print(
        f"peak memory: largest process {report['peak_rss_mb']} MB (per part: {report['peak_by_part']})"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON report."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", choices=("S", "M", "L"), default="S")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per page (median)")
    parser.add_argument("--out", help="JSON report (default benchmarks/results/<scale>-<db>.json)")
    parser.add_argument(
        "--database",
        help="reuse a built database: a SQLite file (copied first) "
        "or a SQLAlchemy URL (used as it is); else a fresh one is built",
    )
    parser.add_argument("--only", help=f"comma-separated parts of {','.join(PARTS)} (default all)")
    parser.add_argument(
        "--page",
        help="only the pages whose path contains this text (or one of these, comma-separated)",
    )
    parser.add_argument(
        "--check",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="check each baseline against the tracker's figures (default: at S)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file built or copied")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run_child(args.child, args.url, args.repeat), default=str))
        return 0
    parts = set(args.only.split(",")) if args.only else set(PARTS)
    if parts - set(PARTS):
        parser.error(f"unknown part(s) {', '.join(sorted(parts - set(PARTS)))}; expected {PARTS}")
    if args.check is not None:
        parts = parts | {"check"} if args.check else parts - {"check"}
    elif not args.only and args.scale != "S":
        parts.discard("check")  # the tracker's figures at M or L take minutes: ask for them
    cleanup = None
    if args.database and "://" in args.database:
        url, built = args.database, {"reused": args.database.split("@")[-1]}
        _accounts(url)
    elif args.database:
        url, built = _copied_database(args.database), {"copied": args.database}
        _accounts(url)
    else:
        url, cleanup = _fresh_database(args.scale)
        built = build(url, args.scale)
    kind = make_url(url).get_backend_name()
    report: dict[str, Any] = {
        "scale": args.scale,
        "database": kind,
        "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "build": built,
        "rows": _row_counts(url),
        "parts": sorted(parts),
    }
    try:
        if "check" in parts:
            from benchmarks import checks

            raw = raw_connection(url)
            report["check"] = checks.check_all(url, raw)
            raw.close()
        if "pages" in parts:
            report["pages"] = measure_pages(url, args.repeat, args.page)
            for entry in report["pages"]["pages"].values():
                entry["verdict"] = verdict(entry, args.scale)
        for name in ("graphs", "charts", "import"):
            if name not in parts:
                continue
            if name == "import":
                with tempfile.TemporaryDirectory() as tmp:
                    os.environ["BENCH_IMPORT_CSV"] = str(Path(tmp) / "charges.csv")
                    report["import_file"] = _child("import-file", url, 1)
                    report[name] = _child(name, url, args.repeat)
            else:
                report[name] = _child(name, url, args.repeat)
    finally:
        if cleanup:
            _drop_schema(cleanup)
        folder = Path(make_url(url).database or "").parent
        if kind == "sqlite" and folder.name.startswith("bench-") and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)  # the fresh or copied database
    peaks = {"parent": _peak_mb()}
    if "pages" in report:
        peaks["empty"] = report["pages"]["empty_page"].get("peak_rss_mb", 0)
        for path, e in report["pages"]["pages"].items():
            peaks[path] = e.get("peak_rss_mb", 0)
    for name in ("graphs", "charts", "import"):
        if name in report:
            peaks[name] = report[name].get("peak_rss_mb", 0)
    report["peak_by_part"] = peaks
    report["peak_rss_mb"] = (
        max(v for k, v in peaks.items() if k != "parent") if len(peaks) > 1 else peaks["parent"]
    )
    report["peak_pages_mb"] = max(
        (e.get("peak_rss_mb", 0) for e in report.get("pages", {}).get("pages", {}).values()),
        default=None,
    )
    _print(report)
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"{args.scale}-{kind}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
