"""The page's filters on the command line: ``--from --to --region --charge-type
--complainant-category --context``, shared by ``indicators``, ``charts`` and ``export`` so that
the three take the same options, checked the same way, as the Network and Indicators pages.

A value is matched the way a person types it: regions and contexts ignoring case, accents and
separators ("cajamarca", "CAJAMARCA"), charge types and complainant categories by code or by
label in English or Spanish ("riot", "Disturbios", "mining company"). Each is turned into the
value the page's widget would hold, so the numbers are those of the page. A value that matches
nothing is refused with a message naming the option, the value, the closest known values and
what exists; the values listed are those this caller may see, redacted as everywhere else.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .. import privacy
from ..analysis import Filters
from ..errors import TrackerError
from ..i18n import get_language, t
from ..models import VocabularyTerm
from ..network_data import filter_options

__all__ = ["add_filter_arguments", "applied", "filters_from", "year"]

# How many known values an error message lists (a scale-M database has 527 contexts).
KNOWN_LISTED = 15
FIRST_YEAR, LAST_YEAR = 1000, 9999


def year(text: str) -> int:
    """An argparse type: a year of four digits, refused with a message in the user's language
    (argparse puts the option's name before it)."""
    value = text.strip()
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    raise argparse.ArgumentTypeError(t("cli.filters.bad_year", value=text))


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """Add the page's filter options to a command (each list option may be repeated)."""
    g = p.add_argument_group(t("cli.filters.group"), t("cli.filters.group_help"))
    g.add_argument(
        "--from",
        dest="from_year",
        type=year,
        metavar=t("cli.filters.meta.year"),
        help=t("cli.filters.from"),
    )
    g.add_argument(
        "--to",
        dest="to_year",
        type=year,
        metavar=t("cli.filters.meta.year"),
        help=t("cli.filters.to"),
    )
    g.add_argument(
        "--region",
        action="append",
        default=[],
        metavar=t("cli.filters.meta.region"),
        help=t("cli.filters.region"),
    )
    g.add_argument(
        "--charge-type",
        action="append",
        default=[],
        metavar=t("cli.filters.meta.type"),
        help=t("cli.filters.charge"),
    )
    g.add_argument(
        "--complainant-category",
        action="append",
        default=[],
        metavar=t("cli.filters.meta.category"),
        help=t("cli.filters.category"),
    )
    g.add_argument(
        "--context",
        action="append",
        default=[],
        metavar=t("cli.filters.meta.context"),
        help=t("cli.filters.context"),
    )


def _vocabulary(engine: Engine) -> dict[str, dict[str, tuple[str, str]]]:
    """vocabulary -> code -> (English label, Spanish label) of the active charge types and
    complainant categories (what the page's widgets offer), in the page's order."""
    v = VocabularyTerm.__table__.c  # type: ignore[attr-defined]
    stmt = (
        select(v.vocabulary, v.code, v.label_en, v.label_es)
        .where(v.vocabulary.in_(("charge_type", "complainant_category")), v.active)
        .order_by(v.vocabulary, v.sort_order, v.code)
    )
    out: dict[str, dict[str, tuple[str, str]]] = {"charge_type": {}, "complainant_category": {}}
    with engine.connect() as conn:
        for vocabulary, code, en, es in conn.execute(stmt):
            out[vocabulary][code] = (en, es)
    return out


def _quoted(text: str) -> str:
    """A value in a message, quoted: a context may hold commas itself."""
    return f'"{text}"'


class _Choices:
    """The values of one option and the spellings each is known by."""

    def __init__(self, option: str, names: dict[str, Sequence[str]], shown: dict[str, str]):
        self.option = option
        self.names = names  # value -> every spelling it is known by
        self.shown = shown  # value -> how it is listed in a message (redacted)

    def match(self, typed: str) -> list[str]:
        """The values ``typed`` names: one spelled exactly so, else every value one of
        whose spellings folds to the same text (case, accents and separators aside)."""
        exact = [v for v, spellings in self.names.items() if typed in spellings]
        if exact:
            return exact
        key = privacy.fold(typed)
        if not key:
            return []
        return [v for v, spellings in self.names.items() if key in map(privacy.fold, spellings)]

    def refuse(self, typed: str) -> TrackerError:
        """The error for a value that names nothing: the closest values, then the known."""
        key = privacy.fold(typed)
        folded = {privacy.fold(s): v for v, spellings in self.names.items() for s in spellings}
        # Near spellings ("Cusko"), then values holding the text typed (a word of a long
        # context): suggested, never chosen, so a filter is always what was asked for.
        close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.7)
        if key:
            close += [f for f in folded if key in f]
        suggestions = list(dict.fromkeys(_quoted(self.shown[folded[c]]) for c in close))[:3]
        known = [_quoted(self.shown[v]) for v in self.names]
        listed = ", ".join(known[:KNOWN_LISTED]) or "-"
        if len(known) > KNOWN_LISTED:
            listed += " " + t("cli.filters.more", n=len(known) - KNOWN_LISTED)
        hint = t("cli.filters.did_you_mean", values=", ".join(suggestions)) if suggestions else ""
        return TrackerError(
            "cli.filters.unknown", option=self.option, value=typed, known=listed, hint=hint
        )

    def resolve(self, typed: Iterable[str]) -> tuple[str, ...]:
        """The values of every typed text, once each, in the order typed."""
        found: list[str] = []
        for text in typed:
            matched = self.match(text)
            if not matched:
                raise self.refuse(text)
            found += matched
        return tuple(dict.fromkeys(found))


def _typed_choices(option: str, values: list[str], redact: Any) -> _Choices:
    """Regions or contexts: free text, known by what this caller is shown, as the page's
    list offers it. A context naming a withheld person reads with the pseudonym, and only
    so: typing the real name must not confirm that such a context exists."""
    shown = {v: str(redact(v)) for v in values}
    return _Choices(option, {v: (shown[v],) for v in values}, shown)


def _coded_choices(option: str, terms: dict[str, tuple[str, str]], lang: str) -> _Choices:
    """Charge types or categories: by code or by either label, listed as "code (label)"."""
    label = 1 if lang == "es" else 0
    return _Choices(
        option,
        {code: (code, *labels) for code, labels in terms.items()},
        {code: f"{code} ({labels[label]})" for code, labels in terms.items()},
    )


def filters_from(
    args: Any,
    engine: Engine,
    *,
    show_confidential: bool = False,
    include_synthetic: bool = True,
    redact: privacy.Redactor | None = None,
) -> Filters:
    """The :class:`Filters` the options select; an unknown region, context, code or label,
    or a period that ends before it starts, is refused with a message naming the option.

    Args:
        args: the parsed options (:func:`add_filter_arguments`).
        engine: the database.
        show_confidential: whether regions and contexts of confidential cases count as known
            (they are not for a viewer, as on the page) and are listed unredacted.
        include_synthetic: whether demo rows count.
        redact: the caller's redactor, when it has one already (building one reads every
            withheld person: seconds at scale M); made here only for a region or context.
    """
    start, end = args.from_year, args.to_year
    if start is not None and end is not None and end < start:
        raise TrackerError("cli.filters.bad_period", start=start, end=end)
    regions: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    if args.region or args.context:
        # Regions and contexts are checked against the cases this caller may see.
        opts = filter_options(engine, show_confidential=show_confidential, lang=get_language())
        if redact is None:
            redact = privacy.redactor(engine, show_confidential=show_confidential)
        regions = _typed_choices("--region", opts["regions"], redact).resolve(args.region)
        contexts = _typed_choices("--context", opts["contexts"], redact).resolve(args.context)
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    if args.charge_type or args.complainant_category:
        vocab, lang = _vocabulary(engine), get_language()
        types = _coded_choices("--charge-type", vocab["charge_type"], lang).resolve(
            args.charge_type
        )
        categories = _coded_choices(
            "--complainant-category", vocab["complainant_category"], lang
        ).resolve(args.complainant_category)
    return Filters(
        start_year=start,
        end_year=end,
        regions=regions,
        charge_types=types,
        complainant_categories=categories,
        contexts=contexts,
        include_synthetic=include_synthetic,
    )


def applied(filters: Filters, engine: Engine, lang: str) -> dict[str, Any]:
    """The filters as plain data for JSON output: each value, and the whole in words as a
    chart's subtitle says it ("Region: Cajamarca · Charge type: Riot / civil disturbance").

    Regions and contexts are given as matched in the data; the caller redacts the output.
    """
    from ..charts.style import filters_text

    labels: dict[str, str] = {}
    if filters.charge_types or filters.complainant_categories:
        label = 1 if lang == "es" else 0
        for terms in _vocabulary(engine).values():
            labels |= {code: names[label] for code, names in terms.items()}
    return {
        "from": filters.start_year,
        "to": filters.end_year,
        "regions": list(filters.regions),
        "charge_types": list(filters.charge_types),
        "complainant_categories": list(filters.complainant_categories),
        "contexts": list(filters.contexts),
        "include_synthetic": filters.include_synthetic,
        "text": filters_text(filters, lang, labels),
    }
