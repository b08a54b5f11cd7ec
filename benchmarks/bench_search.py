"""Benchmark: the search box at demo scale M, against a naive LIKE scan of the same tables.

Usage::

    python -m tracker seed --demo --scale M   # with TRACKER_DATABASE_URL set, once
    python benchmarks/bench_search.py --url sqlite:////tmp/m.db [--repeat 20]

The database is upgraded to the latest schema first (a database made before the search index
gets it filled by the migration; the time is printed). Each query runs ``--repeat`` times as
an editor and as a viewer through :func:`tracker.search.search` (ranked, privacy applied,
labels read); the baseline, same run, is ``lower(name) LIKE '%word%'`` over actors, case
titles, courts and sources (no accents folded, no ranking). Target: under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker import db, search  # noqa: E402

QUERIES = (
    "maria",  # a common first name: thousands of matches to rank
    "quispe mamani",
    "juzgado penal",
    "cajamarca",
    "2015",
    "maxima acuna",
    "disturbios",
)
_BASELINE = """
SELECT count(*) FROM (
  SELECT id FROM actor WHERE lower(name) LIKE :w
  UNION ALL SELECT id FROM court_case WHERE lower(title) LIKE :w
  UNION ALL SELECT id FROM court WHERE lower(name) LIKE :w
  UNION ALL SELECT id FROM source WHERE lower(title) LIKE :w) AS found
"""


def _timed(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    """Upgrade, then time every query for both roles and the LIKE baseline."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    engine = db.make_engine(args.url)
    start = time.perf_counter()
    db.upgrade(engine)
    print(f"upgrade to head (fills the index if new): {time.perf_counter() - start:.1f} s")
    print(f"{'query':<16}{'role':<8}{'hits':>6}{'median ms':>11}{'p95 ms':>9}{'LIKE ms':>9}")
    worst = 0.0
    with Session(engine) as session:
        for query in QUERIES:
            like = f"%{query.split()[0]}%"
            base, _ = _timed(
                lambda w=like: session.execute(text(_BASELINE), {"w": w}).scalar(),
                args.repeat,
            )
            for role in ("editor", "viewer"):
                hits = len(search.search(session, query, role=role))
                median, p95 = _timed(
                    lambda q=query, r=role: search.search(session, q, role=r), args.repeat
                )
                worst = max(worst, p95)
                print(f"{query:<16}{role:<8}{hits:>6}{median:>11.1f}{p95:>9.1f}{base:>9.1f}")
    print(f"worst p95: {worst:.1f} ms (target < 300 ms)")
    engine.dispose()


if __name__ == "__main__":
    main()
