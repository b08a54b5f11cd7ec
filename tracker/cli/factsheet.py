"""``factsheet``: write the one-page PDF fact sheet of a case or a defender.

The same function as the download buttons of the case page and the person's page
(tracker.factsheets). Read as the public may see the data unless ``--include-confidential``
is given (an administrator's choice; the sheet then says it is confidential).
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from .. import db
from ..i18n import LANGUAGES, get_language, t
from . import day


def _record_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("factsheet.cli.bad_id", value=text)) from None


def _cmd_factsheet(args: argparse.Namespace) -> int:
    # Imported here: fpdf took 0.26 s of every command line start, not only this one's.
    from .. import factsheets

    lang = args.lang or get_language()
    engine = db.make_engine()
    make = factsheets.case_sheet if args.case else factsheets.defender_sheet
    data = make(
        engine,
        args.case or args.defender,
        lang=lang,
        show_confidential=args.include_confidential,
        today=args.today,
    )
    out = Path(args.out)
    # Written whole once made: a failure above leaves no half-written file behind.
    out.write_bytes(data)
    print(t("factsheet.cli.wrote", lang, path=str(out)))
    if args.include_confidential:
        print(t("cli.export.confidential_warning", lang))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the factsheet command."""
    p = sub.add_parser(
        "factsheet", help=t("factsheet.cli.help"), description=t("factsheet.cli.help")
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=_record_id, help=t("factsheet.cli.case_help"))
    which.add_argument("--defender", type=_record_id, help=t("factsheet.cli.defender_help"))
    p.add_argument("--lang", choices=LANGUAGES, help=t("factsheet.cli.lang_help"))
    p.add_argument("-o", "--out", required=True, help=t("factsheet.cli.out_help"))
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help=t("factsheet.cli.confidential_help"),
    )
    p.add_argument("--today", type=day, help=t("reports.cli.today_help"))
    p.set_defaults(func=_cmd_factsheet)
