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
- ``raw``: the hand-written aggregate statements of tests/indicator_oracle.py (one per
  indicator and grouping, plain SQL through the driver) in a fresh process, timed inside it;
- ``network``: what the Network page computes on its first view of a filter set never seen
  (tracker.ui.analysis_reads' graph summary, without Streamlit: the SQL edges, the graph,
  what is drawn, Louvain when the graph is small enough to get it at once, the plotly
  figure with its layout, reach, repeated pairs, yearly counts), timed inside a warm
  process (wall and CPU time, and the process's peak memory), for a filter set of its own
  each round. ``--network-only`` measures only this (scale L).

Ratio = (cli - start) / raw; targets: ratio <= 1.5 and network <= 1 s at scale M.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-28"


def _url(database: str) -> str:
    return database if "://" in database else f"sqlite:///{Path(database).resolve()}"


def _timed(args: list[str], url: str) -> float:
    env = {"TRACKER_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    import os

    env = os.environ | env
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def _child(code: str, url: str) -> float:
    """Run ``code`` in a fresh process; it prints the seconds it measured."""
    import os

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env=os.environ | {"TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


RAW = f"""
import time
from datetime import date
from sqlalchemy import create_engine
from tests.indicator_oracle import oracle
import os
engine = create_engine(os.environ["TRACKER_DATABASE_URL"])
with engine.connect() as conn:
    t = time.perf_counter()
    oracle(conn, trusted=False, today=date.fromisoformat("{TODAY}"))
    print(time.perf_counter() - t)
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
    import os

    done = subprocess.run(
        [sys.executable, "-c", NETWORK.replace("{year}", str(year))], cwd=ROOT,
        capture_output=True, text=True, check=True,
        env=os.environ | {"TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    wall, cpu, peak = (float(x) for x in done.stdout.strip().splitlines()[-1].split())
    return wall, cpu, peak


def main(argv: list[str] | None = None) -> int:
    """Measure and print the ratios; write them as JSON with ``--out``."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database", required=True, help="SQLite file or database URL")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", help="JSON file for the numbers")
    p.add_argument("--network-only", action="store_true", help="only the Network first view")
    args = p.parse_args(argv)
    url = _url(args.database)
    py = sys.executable
    rounds = range(args.rounds)
    # A filter set never seen: a start year of its own each round (the first year of data
    # or earlier keeps every dated case, so each view has the whole graph to build).
    views = [_network(url, 1990 - i) for i in rounds]
    wall, cpu, peak = min(v[0] for v in views), min(v[1] for v in views), max(v[2] for v in views)
    network = {"network_first_view_s": round(wall, 3), "network_first_view_cpu_s": round(cpu, 3),
               "network_peak_mb": round(peak)}  # fmt: skip
    if args.network_only:
        print(json.dumps(network, indent=2))
        return 0
    start = min(_timed([py, "-m", "tracker", "indicators"], url) for _ in rounds)
    cli = min(
        _timed([py, "-m", "tracker", "indicators", "--json", "--today", TODAY], url) for _ in rounds
    )
    raw = min(_child(RAW, url) for _ in rounds)
    report = {
        "date": date.today().isoformat(),
        "database": url.split("://")[0],
        "start_s": round(start, 3),
        "cli_s": round(cli, 3),
        "raw_s": round(raw, 3),
        "ratio": round((cli - start) / raw, 2),
    } | network
    print(json.dumps(report, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
