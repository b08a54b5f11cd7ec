"""The command line: ``python -m tracker COMMAND``.

Each module of this package that defines ``register(subparsers)`` adds its commands, so a new
capability adds a module instead of editing a central list. Commands are thin: they call the
library and turn its domain errors into clean messages and a non-zero exit code, never a
traceback.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from datetime import date

from .. import config
from ..errors import TrackerError
from ..i18n import set_language, t
from ..permissions import Principal


def cli_principal() -> Principal:
    """Who acts from the command line: the shell user, with the administrator's role.

    Whoever can run commands on the server can read its database file anyway; the audit log
    still records which shell account made each change.
    """
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Principal(f"cli:{name}", "admin")


def day(text: str) -> date:
    """An argparse type: a day as YYYY-MM-DD, refused with a message in the user's language."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_day", value=text)) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command, with help in the current language."""
    parser = argparse.ArgumentParser(prog="python -m tracker", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    set_language(config.default_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except TrackerError as exc:
        print(t("cli.error", message=str(exc)), file=sys.stderr)
        return 1
