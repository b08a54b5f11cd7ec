"""``indicators``: every indicator of INDICATORS.md, overall and per complainant, as JSON."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

import orjson

from .. import analysis, db, privacy
from ..analysis import Aggregates, Filters
from ..i18n import get_language, t
from . import day
from .filter_args import add_filter_arguments, applied, filters_from


def report(
    engine: Any,
    *,
    today: date,
    lang: str,
    show_confidential: bool = False,
    include_synthetic: bool = True,
    with_rows: bool = False,
    filters: Filters | None = None,
    redact: privacy.Redactor | None = None,
) -> dict[str, Any]:
    """The whole report as plain data: each indicator with its definition, overall figure and
    figures per complainant (the same numbers the Indicators page shows with the same
    ``filters``; their ``include_synthetic`` wins over the argument when given), and the
    filters applied (under "filters").

    The numbers come from the SQL aggregates of tracker.analysis, as on the page; with
    ``with_rows`` the ids behind each number are read too (one statement per figure, with
    the same filter: tracker.analysis.records). ``redact``: the caller's redactor, if it
    has one already (default: the one for ``show_confidential``).
    """
    if filters is None:
        filters = Filters(include_synthetic=include_synthetic)
    include_synthetic = filters.include_synthetic
    agg = Aggregates(engine, filters, show_confidential=show_confidential, today=today)
    # The redactor (Python, seconds at scale L) is made on the other core while the database
    # computes the numbers; the labels below wait for it.
    with privacy.redactor_beside(engine, show_confidential=show_confidential) as made:
        agg.prepare(("overall", "complainant"))
        redact = redact or made()
    figures = agg.figures_page("overall", lang)[0]
    per_complainant = agg.figures_page("complainant", lang)[0]
    if with_rows:
        figures, per_complainant = (
            [
                analysis.with_records(
                    engine, filters, f, show_confidential=show_confidential, today=today
                )
                for f in found
            ]
            for found in (figures, per_complainant)
        )
    overall = {f.indicator: f for f in figures}
    per: dict[str, list[dict[str, Any]]] = {}
    for f in per_complainant:
        per.setdefault(f.indicator, []).append(f.as_dict(with_rows=with_rows))
    out = {
        "today": today.isoformat(),
        "include_synthetic": include_synthetic,
        "filters": applied(filters, engine, lang),
        "indicators": [
            {
                "code": i.code,
                "name": i.name(lang),
                "definition": i.definition(lang),
                "unit": i.unit,
                "kind": i.kind,
                "overall": overall[i.code].as_dict(with_rows=with_rows),
                "per_complainant": per.get(i.code, []),
            }
            for i in analysis.INDICATORS
        ],
    }
    # Labels of complainants and rows: the same redaction as every other path out.
    return _redacted(out, redact)


def _redacted(data: Any, redact: privacy.Redactor) -> Any:
    """``redact.value(data)`` for the report's plain data (dicts, lists, strings, numbers),
    each distinct string passed to the redactor once: at scale L the 120,000 figures of
    10,000 complainants repeat the same few thousand strings a million times, and redacting
    every occurrence took longer than computing the numbers."""
    if not redact:
        return data
    seen: dict[str, str] = {}

    def text(value: str) -> str:
        found = seen.get(value)
        if found is None:
            found = seen[value] = redact(value)
        return found

    # Numbers and None are passed over without a call each: the report holds 1.7 million
    # values at scale L, and a call per value was most of this walk's time.
    plain = (int, float, type(None))  # bool is an int

    def walk(obj: Any) -> Any:
        if isinstance(obj, str):
            return text(obj)
        if isinstance(obj, dict):
            # The keys are the same few strings every time: found in ``seen`` without a call.
            return {
                (seen.get(k) or text(k)) if isinstance(k, str) else walk(k): (
                    v if isinstance(v, plain) else text(v) if isinstance(v, str) else walk(v)
                )
                for k, v in obj.items()
            }
        if isinstance(obj, list):
            return [v if isinstance(v, plain) else walk(v) for v in obj]
        if isinstance(obj, plain):
            return obj
        return redact.value(obj)

    return walk(data)


def _cmd_indicators(args: argparse.Namespace) -> int:
    if not args.json:
        print(t("indicators.cli.text_hint"))
        return 2
    today = args.today or date.today()
    engine = db.make_engine()
    # One redactor for the check of a region or context and for the output: building one
    # reads every withheld person (nothing to build for an administrator who asks for names).
    redact = None
    if args.region or args.context:
        redact = privacy.redactor(engine, show_confidential=args.include_confidential)
    # Checked before anything is computed: a bad filter prints a message and no JSON.
    filters = filters_from(
        args,
        engine,
        show_confidential=args.include_confidential,
        include_synthetic=not args.no_synthetic,
        redact=redact,
    )
    data = report(
        engine,
        today=today,
        lang=get_language(),
        show_confidential=args.include_confidential,
        with_rows=args.rows,
        filters=filters,
        redact=redact,
    )
    # orjson writes the same bytes as json.dumps(indent=2, ensure_ascii=False), whose
    # indented output is Python's pure-Python encoder: 0.96 s against 0.04 s at scale L.
    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the indicators command."""
    p = sub.add_parser(
        "indicators", help=t("indicators.cli.help"), description=t("indicators.cli.help")
    )
    p.add_argument("--json", action="store_true", help=t("indicators.cli.json_help"))
    p.add_argument("--rows", action="store_true", help=t("indicators.cli.rows_help"))
    p.add_argument("--today", type=day, help=t("indicators.cli.today_help"))
    p.add_argument(
        "--include-confidential", action="store_true", help=t("indicators.cli.confidential_help")
    )
    p.add_argument("--no-synthetic", action="store_true", help=t("indicators.cli.synthetic_help"))
    add_filter_arguments(p)
    p.set_defaults(func=_cmd_indicators)
