"""``export``: write data, graphs or calendars in one of the formats of tracker.exports."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import db
from ..exports import GRAPHS, ExportOptions, available_formats, exporter
from ..i18n import t


def _cmd_export(args: argparse.Namespace) -> int:
    options = ExportOptions(
        lang=args.lang,
        show_confidential=args.include_confidential,
        include_synthetic=not args.no_synthetic,
        graph=args.graph,
    )
    count = exporter(args.format)(db.make_engine(), Path(args.out), options)
    print(t("cli.export.done", count=count, path=args.out, format=args.format))
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
    p.set_defaults(func=_cmd_export)
