"""Benchmark: every indicator, overall and per complainant, from a cold process, against
hand-written aggregates; and the Network page's first view of a filter set never seen.

Not a test. Usage::

    python -m benchmarks.bench_indicators --database /tmp/M.db [--rounds 3]
    python -m benchmarks.bench_indicators --database postgresql+psycopg://...  [--rounds 3]

Each measurement runs in a child process of its own, best of ``--rounds``, all in one run:

- ``start``: ``python -m tracker indicators`` without ``--json`` (imports, argument parsing,
  no database work): the process start that the target leaves out;
- ``cli``: ``python -m tracker indicators --json`` (every indicator overall and per
  complainant, with labels, as a viewer) from a cold process;
- ``cli_after_edit``: the same, each time right after a write raised the data revision, so
  the run makes the sums of tracker.analysis.revision_sums again (the first view after an
  edit);
- ``raw``: the hand-written aggregate statements of tests/indicator_oracle.py (one per
  indicator and grouping, plain SQL through the driver) in a fresh process, timed inside it;
- ``network``: what the Network page computes on its first view of a filter set never seen
  (tracker.ui.analysis_reads' graph summary, without Streamlit: the SQL edges, the graph,
  what is drawn, Louvain when the graph is small enough to get it at once, the plotly
  figure with its layout, reach, repeated pairs, yearly counts), timed inside a warm
  process (wall and CPU time, and the process's peak memory), for a filter set of its own
  each round. ``--network-only`` measures only this (scale L).

Ratio = (cli - start) / raw; targets: ratio <= 1.5 and network <= 1 s at scale M. Each
time is given as wall and CPU seconds (user + system of the process: on SQLite all of the
work; on PostgreSQL the server's share is left out), with the load average: on a shared
machine the CPU ratio is the steadier one. ``--indicators-only`` leaves the Network out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from tracker import db, revision

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-28"


def _url(database: str) -> str:
    return database if "://" in database else f"sqlite:///{Path(database).resolve()}"


def _timed(args: list[str], url: str) -> tuple[float, float]:
    """(wall s, CPU s: user + system) of a child process. On a shared machine the CPU time
    is the steadier figure; on PostgreSQL it leaves out the server's share."""
    import resource

    env = {"TRACKER_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    env = os.environ | env
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=False, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _child(code: str, url: str) -> tuple[float, float]:
    """Run ``code`` in a fresh process; it prints the (wall, CPU) seconds it measured."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env=os.environ | {"TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    wall, cpu = (float(x) for x in done.stdout.strip().splitlines()[-1].split())
    return wall, cpu


RAW = f"""
import time
from datetime import date
from sqlalchemy import create_engine
from tests.indicator_oracle import oracle
import os
engine = create_engine(os.environ["TRACKER_DATABASE_URL"])
with engine.connect() as conn:
    t, c = time.perf_counter(), time.process_time()
    oracle(conn, trusted=False, today=date.fromisoformat("{TODAY}"))
    print(time.perf_counter() - t, time.process_time() - c)
"""

NETWORK = """
import resource, time
from tracker import db
from tracker.analysis import Filters, network_sql
from tracker import graphs
from tracker.graphs import draw
engine = db.make_engine()
network_sql(engine, Filters(start_year=1900))  # warm: imports, first connection, redactor
t, c = time.perf_counter(), time.process_time()
g, slices = network_sql(engine, Filters(include_synthetic=True, start_year={year}))
shown, reduction = draw.reduce_for_drawing(g)
degree = dict(g.degree())
if g.number_of_nodes() <= graphs.COMMUNITIES_ON_REQUEST:
    of = graphs.community_of(graphs.communities(g))
    colour = {n: str(of.get(n, 0)) for n in shown}
else:
    colour = {n: str(shown.nodes[n].get("group", "")) for n in shown}
draw.figure(shown, colour, {k: k for k in set(colour.values())}, degree=degree)
graphs.reach(g); graphs.repeat_targeting(g)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(time.perf_counter() - t, time.process_time() - c, peak)
"""


def _network(url: str, year: int) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of the Network page's first view, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", NETWORK.replace("{year}", str(year))], cwd=ROOT,
        capture_output=True, text=True, check=True,
        env=os.environ | {"TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    wall, cpu, peak = (float(x) for x in done.stdout.strip().splitlines()[-1].split())
    return wall, cpu, peak


def _indicators(url: str, py: str, rounds: range) -> dict[str, Any]:
    """Wall and CPU seconds of the process start, the CLI and the oracle, best of
    ``rounds``, and the ratios (cli - start) / raw of each."""
    start = [_timed([py, "-m", "tracker", "indicators"], url) for _ in rounds]
    cli = [
        _timed([py, "-m", "tracker", "indicators", "--json", "--today", TODAY], url) for _ in rounds
    ]
    raw = [_child(RAW, url) for _ in rounds]
    # The first read after an edit makes the sums of the data revision again
    # (tracker.analysis.revision_sums): the same command, each time right after a write.
    edited = []
    for _ in rounds:
        _edit(url)
        edited.append(
            _timed([py, "-m", "tracker", "indicators", "--json", "--today", TODAY], url)
        )
    best = {name: (min(w for w, _ in found), min(c for _, c in found))
            for name, found in (("start", start), ("cli", cli), ("raw", raw),
                                ("edited", edited))}  # fmt: skip
    return {
        "date": date.today().isoformat(),
        "database": url.split("://")[0],
        "start_s": round(best["start"][0], 3),
        "cli_s": round(best["cli"][0], 3),
        "raw_s": round(best["raw"][0], 3),
        "ratio": round((best["cli"][0] - best["start"][0]) / best["raw"][0], 2),
        "start_cpu_s": round(best["start"][1], 3),
        "cli_cpu_s": round(best["cli"][1], 3),
        "raw_cpu_s": round(best["raw"][1], 3),
        "cpu_ratio": round((best["cli"][1] - best["start"][1]) / best["raw"][1], 2),
        "cli_after_edit_s": round(best["edited"][0], 3),
        "cli_after_edit_cpu_s": round(best["edited"][1], 3),
    }


def _edit(url: str) -> None:
    """Raise the data revision, as any saved edit does."""
    engine = db.make_engine(url)
    with engine.begin() as conn:
        revision.bump(conn)
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Measure and print the ratios; write them as JSON with ``--out``."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database", required=True, help="SQLite file or database URL")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", help="JSON file for the numbers")
    p.add_argument("--network-only", action="store_true", help="only the Network first view")
    p.add_argument("--indicators-only", action="store_true", help="no Network first view")
    args = p.parse_args(argv)
    url = _url(args.database)
    py = sys.executable
    rounds = range(args.rounds)
    load = os.getloadavg()[0]
    if args.indicators_only:
        print(json.dumps(_indicators(url, py, rounds) | {"load_1min": load}, indent=2))
        return 0
    # A filter set never seen: a start year of its own each round (the first year of data
    # or earlier keeps every dated case, so each view has the whole graph to build).
    views = [_network(url, 1990 - i) for i in rounds]
    wall, cpu, peak = min(v[0] for v in views), min(v[1] for v in views), max(v[2] for v in views)
    network = {"network_first_view_s": round(wall, 3), "network_first_view_cpu_s": round(cpu, 3),
               "network_peak_mb": round(peak)}  # fmt: skip
    if args.network_only:
        print(json.dumps(network, indent=2))
        return 0
    report = _indicators(url, py, rounds) | network | {"load_1min": load}
    print(json.dumps(report, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
