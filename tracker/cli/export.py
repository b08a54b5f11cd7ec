"""``export``: write data, graphs or calendars in one of the formats of tracker.exports.

The data exports take the page's filters (``--from --to --region --charge-type
--complainant-category --context``, tracker.cli.filter_args): only the cases and charges the
Network and Indicators pages keep under them go out, with what belongs to those."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import db
from ..analysis import Filters
from ..errors import TrackerError
from ..exports import GRAPHS, ExportOptions, available_formats, exporter
from ..exports.filtered import filter_rows
from ..i18n import t
from .filter_args import add_filter_arguments, filters_from

# The formats whose rows follow the filters (tracker.exports.filtered).
FILTERED_FORMATS = ("csv", "xlsx", "json", "ftm", "ics")


def _cmd_export(args: argparse.Namespace) -> int:
    engine = db.make_engine()
    include_synthetic = not args.no_synthetic
    # Checked before anything is written: an unknown value names its option.
    filters = filters_from(
        args,
        engine,
        show_confidential=args.include_confidential,
        include_synthetic=include_synthetic,
    )
    chosen = filters != Filters(include_synthetic=include_synthetic)
    if chosen and args.format not in FILTERED_FORMATS:
        raise TrackerError("cli.export.filters_not_applied", format=args.format)
    options = ExportOptions(
        lang=args.lang,
        show_confidential=args.include_confidential,
        include_synthetic=include_synthetic,
        graph=args.graph,
        filters=filters if chosen else None,
    )
    count = exporter(args.format)(engine, Path(args.out), options)
    print(t("cli.export.done", count=count, path=args.out, format=args.format))
    if options.filters is not None:
        # Said here too: FtM and calendar files have no ``about`` table to hold it.
        chosen_text = "; ".join(
            f"{key.removeprefix('filter_').replace('_', '-')} {value}"
            for key, value in filter_rows(options.filters, args.lang)
        )
        print(t("cli.export.filters_applied", filters=chosen_text))
    if args.include_confidential:
        print(t("cli.export.confidential_warning"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the export command."""
    p = sub.add_parser("export", help=t("cli.export.help"), description=t("cli.export.help"))
    p.add_argument("--format", required=True, choices=available_formats())
    p.add_argument("--out", required=True, help=t("cli.export.out_help"))
    p.add_argument("--graph", choices=GRAPHS, default=GRAPHS[0], help=t("cli.export.graph_help"))
    p.add_argument("--lang", choices=("en", "es"), default="en", help=t("cli.export.lang_help"))
    p.add_argument(
        "--include-confidential", action="store_true", help=t("cli.export.confidential_help")
    )
    p.add_argument("--no-synthetic", action="store_true", help=t("cli.export.synthetic_help"))
    add_filter_arguments(p)
    p.set_defaults(func=_cmd_export)
