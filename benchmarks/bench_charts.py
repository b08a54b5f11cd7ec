"""Benchmark: publication charts at demo scale, built and exported, warm and cold.

Not a test. Usage::

    python benchmarks/bench_charts.py [--db /tmp/m.db] [--scale M] [--rounds 3] [--json out.json]

It generates the demo data set of ``--scale`` into ``--db`` when that file does not exist
(scale M takes about a minute), then measures in one run:

- read: ``charts.read`` (every row the charts draw, as the public sees them);
- per chart: building the figure and its table (best of ``--rounds``); exporting it with the
  export server warm, as PNG at print scale (3), SVG and PDF (best of ``--rounds``); and cold,
  a PNG through a browser started for that file alone (what an export costs without the
  server);
- the server's start, and the whole report pack (10 charts as PNG and SVG, CSV, methodology).

Target (issue 6): with the server warm, one chart exports in under 1 s at scale M.
``benchmarks/run.py`` calls :func:`measure` beside the page benchmarks.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import charts, db, demo
from tracker.exports import report_pack, static

TARGET_SECONDS = 1.0
FORMATS = ("png", "svg", "pdf")


def _best(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    """Best wall time of ``rounds`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(max(1, rounds)):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def prepare(path: Path, scale: str) -> None:
    """Generate the demo data set into ``path`` unless it is there."""
    if path.exists():
        return
    print(f"generating scale {scale} into {path} (about a minute for M)...", flush=True)
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    demo.generate(engine, scale=scale)
    engine.dispose()


def measure(
    url: str, repeat: int = 3, codes: tuple[str, ...] | None = None, pack: bool = True
) -> dict[str, Any]:
    """Time reading, building and exporting the charts ``codes`` (default every chart) on the
    database at ``url``, and (``pack``) the whole report pack."""
    engine = db.make_engine(url)
    started = time.perf_counter()
    source = charts.read(engine, as_of=demo.REFERENCE_DATE)
    out: dict[str, Any] = {
        "read_cold_s": round(time.perf_counter() - started, 3),
        "records": source.counts(),
        "charts": {},
    }
    out["read_warm_s"] = round(
        _best(lambda: charts.read(engine, as_of=demo.REFERENCE_DATE), 1)[0], 3
    )
    made: dict[str, charts.Chart] = {}
    for code in codes or charts.CHARTS:
        seconds, chart = _best(lambda code=code: charts.build(code, source, "en"), repeat)
        made[code] = chart
        out["charts"][code] = {"build_s": round(seconds, 3), "rows": len(chart.table.rows)}
    if static.find_browser() is None:
        out["export"] = "skipped: no Chrome or Chromium to draw PNG, SVG and PDF"
        engine.dispose()
        return out
    for code, chart in made.items():
        seconds, data = _best(lambda chart=chart: static.to_bytes(chart.figure, "png"), 1)
        out["charts"][code]["png_cold_s"] = round(seconds, 3)
    started = time.perf_counter()
    with static.ExportServer() as server:
        out["server_start_s"] = round(time.perf_counter() - started, 3)
        # The first export after start loads plotly.js into the tab: report it apart.
        first = time.perf_counter()
        server.export(next(iter(made.values())).figure, "png")
        out["first_export_after_start_s"] = round(time.perf_counter() - first, 3)
        for code, chart in made.items():
            entry = out["charts"][code]
            for fmt in FORMATS:
                seconds, data = _best(
                    lambda fmt=fmt, chart=chart: server.export(chart.figure, fmt), repeat
                )
                entry[f"{fmt}_warm_s"] = round(seconds, 3)
                entry[f"{fmt}_bytes"] = len(data)
            entry["under_target"] = max(entry[f"{f}_warm_s"] for f in FORMATS) < TARGET_SECONDS
        if pack:
            seconds, packed = _best(lambda: report_pack.build(source, "en", server=server), 1)
            out["pack_s"] = round(seconds, 3)
            out["pack_bytes"] = len(packed)
    engine.dispose()
    return out


def _print(result: dict[str, Any]) -> None:
    print(f"records: {result['records']}")
    print(f"read: cold {result['read_cold_s']:.2f} s, warm {result['read_warm_s']:.2f} s")
    print(
        f"export server: start {result['server_start_s']:.2f} s, first export "
        f"{result['first_export_after_start_s']:.2f} s"
    )
    header = f"{'chart':<34}{'rows':>6}{'build':>8}{'png':>8}{'svg':>8}{'pdf':>8}{'cold png':>10}"
    print(header + "   (seconds; png/svg/pdf warm, best of rounds)")
    for code, e in result["charts"].items():
        flag = "" if e["under_target"] else f"  OVER {TARGET_SECONDS:.0f} s"
        print(
            f"{code:<34}{e['rows']:>6}{e['build_s']:>8.2f}{e['png_warm_s']:>8.2f}"
            f"{e['svg_warm_s']:>8.2f}{e['pdf_warm_s']:>8.2f}{e['png_cold_s']:>10.2f}{flag}"
        )
    print(f"report pack: {result['pack_s']:.2f} s, {result['pack_bytes'] / 1e6:.1f} MB")


def main() -> None:
    """Parse the arguments, prepare the data, measure, print (and write JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="/tmp/m.db", help="SQLite file (generated if missing)")
    parser.add_argument("--scale", default="M", choices=("S", "M", "L"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    path = Path(args.db)
    prepare(path, args.scale)
    result = measure(f"sqlite:///{path}", args.rounds)
    _print(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
