"""``charts``: write every publication chart (PNG, SVG, PDF) with the CSV of its numbers."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .. import db
from ..i18n import LANGUAGES, get_language, t
from . import day
from .filter_args import add_filter_arguments, filters_from


def _formats(text: str) -> tuple[str, ...]:
    from ..exports.static import FORMATS

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            t("reports.cli.bad_format", formats=", ".join(unknown) or "-", known=", ".join(FORMATS))
        )
    return chosen


def _cmd_charts(args: argparse.Namespace) -> int:
    from .. import charts
    from ..exports import report_pack
    from ..exports.static import ExportServer

    lang = args.lang or get_language()
    today = args.today or date.today()
    engine = db.make_engine()
    # Charts are for publication: the filters are checked against what the public may see,
    # before the folder is made, so a bad filter leaves nothing behind.
    filters = filters_from(
        args, engine, show_confidential=False, include_synthetic=not args.no_synthetic
    )
    source = charts.read(engine, filters, as_of=today)
    # Which filters apply, as every chart's subtitle and the methodology text say it.
    print(t("reports.pack.filters", lang, filters=source.filters_text(lang)))
    options = charts.Options(
        period=args.period, measure=args.measure, top=args.top, defender=args.defender
    )
    out = Path(args.out)
    written = 0
    # One browser for the whole run: each file then takes a fraction of a second. The
    # folder is made once the browser runs: without one, nothing is left behind.
    with ExportServer() as server:
        out.mkdir(parents=True, exist_ok=True)
        made = charts.build_all(source, lang, options)
        for i, chart in enumerate(made, start=1):
            stem = report_pack.file_stem(i, chart)
            for fmt in args.format:
                (out / f"{stem}.{fmt}").write_bytes(server.export(chart.figure, fmt))
                written += 1
            (out / f"{stem}.csv").write_bytes(chart.csv(lang))
            written += 1
            print(t("reports.cli.wrote", lang, chart=chart.caption.title, stem=stem))
        (out / "methodology.txt").write_text(
            report_pack.methodology(source, made, lang, args.format), encoding="utf-8"
        )
    print(t("reports.cli.done", lang, files=written + 1, out=str(out)))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the charts command."""
    p = sub.add_parser("charts", help=t("reports.cli.help"), description=t("reports.cli.help"))
    p.add_argument("--out", required=True, help=t("reports.cli.out_help"))
    p.add_argument(
        "--format", type=_formats, default=("png", "svg", "pdf"), help=t("reports.cli.format_help")
    )
    p.add_argument("--lang", choices=LANGUAGES, help=t("reports.cli.lang_help"))
    p.add_argument(
        "--period", choices=("year", "month"), default="year", help=t("reports.cli.period_help")
    )
    p.add_argument(
        "--measure", choices=("count", "share"), default="count", help=t("reports.cli.measure_help")
    )
    p.add_argument("--top", type=int, default=15, help=t("reports.cli.top_help"))
    p.add_argument("--defender", help=t("reports.cli.defender_help"))
    p.add_argument("--today", type=day, help=t("reports.cli.today_help"))
    p.add_argument("--no-synthetic", action="store_true", help=t("reports.cli.synthetic_help"))
    add_filter_arguments(p)
    p.set_defaults(func=_cmd_charts)
