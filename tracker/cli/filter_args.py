"""The page's filters on the command line: ``--from --to --region --charge-type
--complainant-category --context``, shared by ``indicators``, ``charts`` and ``export`` so that
the three take the same options, checked the same way, as the Network and Indicators pages."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.engine import Engine

from ..analysis import Filters
from ..errors import TrackerError
from ..i18n import get_language, t
from ..network_data import filter_options

__all__ = ["add_filter_arguments", "filters_from"]


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """Add the page's filter options to a command (each list option may be repeated)."""
    g = p.add_argument_group(t("cli.filters.group"))
    g.add_argument("--from", dest="from_year", type=int, metavar="YEAR", help=t("cli.filters.from"))
    g.add_argument("--to", dest="to_year", type=int, metavar="YEAR", help=t("cli.filters.to"))
    g.add_argument("--region", action="append", default=[], help=t("cli.filters.region"))
    g.add_argument(
        "--charge-type", action="append", default=[], metavar="CODE", help=t("cli.filters.charge")
    )
    g.add_argument(
        "--complainant-category",
        action="append",
        default=[],
        metavar="CODE",
        help=t("cli.filters.category"),
    )
    g.add_argument("--context", action="append", default=[], help=t("cli.filters.context"))


def _checked(values: list[str], known: list[str], option: str) -> tuple[str, ...]:
    """The values as given, or an error naming the option, the value and what exists."""
    for value in values:
        if value not in known:
            raise TrackerError(
                "cli.filters.unknown", option=option, value=value, known=", ".join(known) or "-"
            )
    return tuple(values)


def filters_from(
    args: Any, engine: Engine, *, show_confidential: bool = False, include_synthetic: bool = True
) -> Filters:
    """The :class:`Filters` the options select; an unknown region, context or code, or a
    period that ends before it starts, is refused with a message naming the option."""
    start, end = args.from_year, args.to_year
    if start is not None and end is not None and end < start:
        raise TrackerError("cli.filters.bad_period", start=start, end=end)
    wanted = (args.region, args.context, args.charge_type, args.complainant_category)
    opts: dict[str, Any] = {}
    if any(wanted):
        # Regions and contexts are checked against the cases this caller may see.
        opts = filter_options(engine, show_confidential=show_confidential, lang=get_language())
    return Filters(
        start_year=start,
        end_year=end,
        regions=_checked(args.region, opts.get("regions", []), "--region"),
        charge_types=_checked(args.charge_type, opts.get("charge_types", []), "--charge-type"),
        complainant_categories=_checked(
            args.complainant_category,
            opts.get("complainant_categories", []),
            "--complainant-category",
        ),
        contexts=_checked(args.context, opts.get("contexts", []), "--context"),
        include_synthetic=include_synthetic,
    )
