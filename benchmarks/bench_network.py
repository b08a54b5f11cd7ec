"""Benchmark: the Network page's first view of a filter set never seen (issue 18).

Not a test. Usage::

    python -m benchmarks.bench_network --database /work/scale/M.db [--rounds 3]
    python -m benchmarks.bench_network --database postgresql+psycopg://...  [--rounds 3]

The page opens in mode "top": the complainants of widest reach (20) with their defenders
drawn, the 25 defenders facing the most charges and the 25 pairs in the most cases
(tracker.analysis.ego.overview, which tracker.ui.ego_reads caches per filter set), the
vocabulary (``an.need()``) and the figure. Each round runs in a child process of its own,
as a viewer, with a filter set of its own (start year 1980, 1981, ...: never seen by that
process), and prints:

- ``view``: the first view of the filter set with the redactor already built (it is kept
  per data revision, not per filter set): overview + vocabulary, then the figure
  (``figure``, reported apart). The process did one warm-up view of another filter set
  first, so the imports, the statement compilation and the file's pages in the OS cache
  are not counted (a running server has them);
- ``cold``: a fresh process's first view, with what the page reads once per data revision
  too: the filter options (``network_data.filter_options``) and the redactor;
- wall and CPU seconds (CPU counts SQLite, which runs in the process; for PostgreSQL it
  leaves out the server's work), the process's peak RSS, and the load average.

The best round of each is reported (least disturbed by other work on the machine). Targets:
``view`` at most 1 s at scale M, 5 s and 1.5 GB peak at scale L. On a tree from before
``overview`` the child calls top_reach, most_charged and repeat_pairs instead (the
before/after comparison of benchmarks/results/2026-12-04-network.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, os, resource, sys, time
t0w, t0c = time.perf_counter(), time.process_time()
from tracker import db, privacy
from tracker.analysis import Filters
from tracker.analysis import ego as egos
from tracker.graphs.ego_figures import top_figure
from tracker.network_data import filter_options
from tracker.network_data.read import load

mode, year = sys.argv[1], int(sys.argv[2])
engine = db.make_engine()
out = {}


def first_view(f, redact):
    if hasattr(egos, "overview"):
        top = egos.overview(engine, f, 20, 25, show_confidential=False, redact=redact).top
    else:  # before the one-statement overview: the three reads of the page
        top = egos.top_reach(engine, f, 20, show_confidential=False, redact=redact)
        egos.most_charged(engine, f, 25, show_confidential=False, redact=redact)
        egos.repeat_pairs(engine, f, 25, show_confidential=False, redact=redact)
    load(engine, f, show_confidential=False, parts=())  # an.need(): the vocabulary
    return top


def clock():
    return time.perf_counter(), time.process_time()


if mode == "cold":
    imports = clock()
    filter_options(engine, show_confidential=False, lang="en")
    redact = privacy.redactor(engine, show_confidential=False)
    per_revision = clock()
    top = first_view(Filters(start_year=year), redact)
    done = clock()
    out["imports"] = [imports[0] - t0w, imports[1] - t0c]
    out["per_revision"] = [per_revision[0] - imports[0], per_revision[1] - imports[1]]
    out["view"] = [done[0] - per_revision[0], done[1] - per_revision[1]]
    out["total"] = [done[0] - t0w, done[1] - t0c]
else:
    redact = privacy.redactor(engine, show_confidential=False)
    first_view(Filters(start_year=1900 + year % 50), redact)  # warm-up: another filter set
    start = clock()
    top = first_view(Filters(start_year=year), redact)
    viewed = clock()
    top_figure(top, "en")
    drawn = clock()
    out["view"] = [viewed[0] - start[0], viewed[1] - start[1]]
    out["figure"] = [drawn[0] - viewed[0], drawn[1] - viewed[1]]
out["complainants"] = len(top.complainants)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["load"] = os.getloadavg()[0]
print(json.dumps(out))
"""


def _url(database: str) -> str:
    return database if "://" in database else f"sqlite:///{Path(database).resolve()}"


def _child(url: str, mode: str, year: int) -> dict[str, object]:
    """One round in a fresh process; what it measured."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(year)], cwd=ROOT, capture_output=True,
        text=True, check=True,
        env=os.environ | {"TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _best(rounds: list[dict[str, object]]) -> dict[str, object]:
    return min(rounds, key=lambda r: r["view"][0])  # type: ignore[index]


def _line(name: str, r: dict[str, object]) -> str:
    parts = []
    for key in ("view", "figure", "imports", "per_revision", "total"):
        if key in r:
            wall, cpu = r[key]  # type: ignore[misc]
            parts.append(f"{key} {wall:.2f} s wall / {cpu:.2f} s CPU")
    return (
        f"{name}: " + ", ".join(parts) + f"; peak {r['peak_mb']:.0f} MB; "
        f"{r['complainants']} complainants; load {r['load']:.1f}"
    )


def main() -> None:
    """Print the first view's times (best round) and the raw rounds as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a SQLite file or a database URL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("view", "cold"), default=None)
    args = parser.parse_args()
    url = _url(args.database)
    report: dict[str, list[dict[str, object]]] = {}
    for mode in ("view", "cold"):
        if args.only and mode != args.only:
            continue
        # A start year of its own per round and mode: a filter set that process never saw.
        report[mode] = [
            _child(url, mode, 1980 + i + (10 if mode == "cold" else 0)) for i in range(args.rounds)
        ]
        print(_line(mode, _best(report[mode])), flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
