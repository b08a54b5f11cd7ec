"""What a fact sheet says: plain sections of one-line entries, read from the same functions as
the case page (tracker.casework.case_detail) and the person's page (tracker.profiles.profile),
so a sheet never shows what the page would not show its reader.

Every text of the finished sheet, labels and free text alike (titles, notes, court names,
source titles and addresses), goes through tracker.privacy's redactor once more: a
confidential person's real name written anywhere reads as their pseudonym for a viewer.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from .. import casework, privacy, profiles
from ..i18n import t
from ..services.vocabulary import labels

__all__ = ["Entry", "Section", "Sheet", "case_content", "defender_content"]

_VOCABULARIES = (
    "stage",
    "charge_type",
    "outcome",
    "hearing_type",
    "hearing_result",
    "measure_kind",
    "court_event",
    "defender_role",
)


@dataclass(frozen=True)
class Entry:
    """One line of a section, and an optional second, smaller line (a source's address)."""

    text: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    """A heading and its entries, in the order they are printed."""

    heading: str
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Sheet:
    """A fact sheet's content, ready to print on one page."""

    title: str
    facts: list[str]
    summary: str
    sections: list[Section]
    footer: list[str]
    synthetic: bool = False


class _Words:
    """Labels of codes in one language (vocabularies read once per sheet)."""

    def __init__(self, session: Session, lang: str) -> None:
        self.lang = lang
        self.vocab = {v: labels(session, v, lang) for v in _VOCABULARIES}

    def __call__(self, vocabulary: str, code: str | None) -> str:
        if not code:
            return ""
        return self.vocab[vocabulary].get(code, code)

    def t(self, key: str, **params: Any) -> str:
        return t(f"factsheet.{key}", self.lang, **params)


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _joined(*parts: str, sep: str = " · ") -> str:
    """The non-empty parts, each once (a closed case's stage and status both read "Closed")."""
    return sep.join(dict.fromkeys(p for p in parts if p))


def _charge_result(c: dict[str, Any], w: _Words) -> str:
    """The outcome with its date and sentence, or the charge's status while pending."""
    if c["outcome"]:
        result = _joined(w("outcome", c["outcome"]), c["outcome_date"], sep=", ")
        if c.get("sentence_imposed_months"):
            result += " " + w.t("sentence", months=c["sentence_imposed_months"])
        return result
    return w.t(f"charge_status.{c['status']}")


def _complainants(c: dict[str, Any], w: _Words) -> str:
    if not c["complainants"]:
        return ""
    return w.t("complainants", names=", ".join(c["complainants"]))


def _outcomes(charges: list[dict[str, Any]], measures: int, w: _Words) -> Section:
    """Charges per outcome (pending ones counted apart) and restrictive measures."""
    counts = Counter(w("outcome", c["outcome"]) for c in charges if c["outcome"])
    pending = sum(1 for c in charges if not c["outcome"])
    entries = [Entry(f"{label}: {n}") for label, n in counts.most_common()]
    if pending:
        entries.append(Entry(w.t("pending_charges", n=pending)))
    if measures:
        entries.append(Entry(w.t("measures", n=measures)))
    if not entries:
        entries.append(Entry(w.t("none")))
    return Section(w.t("heading.outcomes"), entries)


def _sources(citations: dict[Any, list[dict[str, Any]]], w: _Words) -> Section:
    """Every source cited by the records on the sheet, once, newest first."""
    seen: dict[Any, dict[str, Any]] = {}
    for cited in citations.values():
        for c in cited:
            seen.setdefault(c["source_id"], c)
    rows = sorted(seen.values(), key=lambda c: (c["published"] or "", c["title"] or ""))
    entries = [
        Entry(_joined(c["title"] or "", c["publisher"], c["published"], sep=" — "), c["url"])
        for c in reversed(rows)
    ]
    return Section(w.t("heading.sources"), entries or [Entry(w.t("none"))])


def _timeline(events: list[tuple[date | None, str]], w: _Words) -> Section:
    """Dated lines, oldest first; undated ones last, marked so."""
    ordered = sorted(events, key=lambda e: (e[0] is None, e[0] or date.min))
    return Section(
        w.t("heading.timeline"), [Entry(text) for _, text in ordered] or [Entry(w.t("none"))]
    )


def _footer(w: _Words, today: date, show_confidential: bool) -> list[str]:
    return [
        w.t("footer.made", date=today.isoformat()),
        w.t("footer.confidential" if show_confidential else "footer.pseudonyms"),
    ]


def case_content(
    session: Session, case_id: uuid.UUID, *, lang: str, show_confidential: bool, today: date
) -> Sheet | None:
    """The fact sheet of one case, or None when it does not exist or the reader may not see
    it (a restricted case for a viewer)."""
    detail = casework.case_detail(session, case_id, show_confidential=show_confidential)
    if detail is None:
        return None
    w = _Words(session, lang)
    case = detail["case"]
    events: list[tuple[date | None, str]] = []
    if case["opened_on"] is not None:
        events.append((case["opened_on"], _joined(case["opened"], w.t("event.opened"))))
    for e in detail["events"]:
        what = w("court_event", e["event"])
        if e["to_stage"]:
            what += " → " + w("stage", e["to_stage"])
        events.append((e["on_date"], _joined(e["date"] or w.t("undated"), what)))
    for h in detail["hearings"]:
        what = _joined(w("hearing_type", h["hearing_type"]), w("hearing_result", h["result"]))
        events.append(
            (_day(h["scheduled_at"]), _joined(h["when"], w.t("event.hearing", what=what)))
        )
    for c in detail["charges"]:
        if c["outcome"]:
            events.append(
                (
                    c["outcome_on"],
                    _joined(
                        c["outcome_date"] or w.t("undated"),
                        w.t(
                            "event.outcome",
                            outcome=w("outcome", c["outcome"]),
                            name=c["defendant"],
                            charge=w("charge_type", c["charge_type"]),
                        ),
                    ),
                )
            )
    charges = [
        Entry(
            _joined(
                f"{c['defendant']}: {w('charge_type', c['charge_type'])}"
                + (f" ({c['legal_reference']})" if c["legal_reference"] else ""),
                w.t("filed", date=c["filed"]) if c["filed"] else "",
                _complainants(c, w),
                _charge_result(c, w),
            )
        )
        for c in detail["charges"]
    ]
    defendants = sorted({p["name"] for p in detail["parties"] if p["role"] == "defendant"})
    sheet = Sheet(
        title=case["title"],
        facts=[
            _joined(
                case["case_number"] or "",
                w("stage", case["stage"]),
                t(f"status.{case['status']}", lang),
                case["court"],
                case["region"] or "",
            ),
            _joined(
                w.t("opened", date=case["opened"]) if case["opened"] else "",
                w.t("closed", date=case["closed"]) if case["closed"] else "",
                w.t("defendants", names=", ".join(defendants)) if defendants else "",
            ),
        ],
        summary=case["summary"] or "",
        sections=[
            _timeline(events, w),
            Section(w.t("heading.charges"), charges or [Entry(w.t("none"))]),
            _outcomes(detail["charges"], len(detail["measures"]), w),
            _sources(detail["citations"], w),
        ],
        footer=_footer(w, today, show_confidential),
        synthetic=bool(case["is_synthetic"]),
    )
    return privacy.redactor(session, show_confidential=show_confidential).value(sheet)


_KIND_VOCABULARY = {
    "charge": "charge_type",
    "outcome": "outcome",
    "measure": "measure_kind",
    "hearing": "hearing_type",
}


def _defender_event(e: dict[str, Any], w: _Words) -> str:
    if e["kind"] == "opened":
        what = w.t("event.opened")
    elif e["kind"] == "event":
        what = (
            w("stage", e["what"]) if e["what"] in w.vocab["stage"] else w("court_event", e["what"])
        )
    else:
        what = w.t(f"event.{e['kind']}", what=w(_KIND_VOCABULARY[e["kind"]], e["what"]))
    return _joined(e["shown"], what, e["case_title"], sep=" · ")


def defender_content(
    session: Session, actor_id: uuid.UUID, *, lang: str, show_confidential: bool, today: date
) -> Sheet | None:
    """The fact sheet of one person (a defender, usually), or None when they do not exist or
    the reader may not see them (a restricted person for a viewer)."""
    detail = profiles.profile(session, actor_id, show_confidential=show_confidential)
    if detail is None:
        return None
    w = _Words(session, lang)
    actor = detail["actor"]
    timeline = [e for e in profiles.timeline(detail, today=today) if e["kind"] != "today"]
    charges = [
        Entry(
            _joined(
                f"{c['case_title']}: {w('charge_type', c['charge_type'])}",
                w.t("filed", date=c["filed"]) if c["filed"] else "",
                _complainants(c, w),
                _charge_result(c, w),
            )
        )
        for c in detail["charges"]
    ]
    organizations = sorted({m["other"] for m in detail["memberships"]})
    cases = [c["title"] for c in detail["cases"]]
    sheet = Sheet(
        title=actor["shown_name"],
        facts=[
            _joined(
                w("defender_role", actor.get("defender_role")),
                actor.get("region") or "",
                w.t("organizations", names=", ".join(organizations)) if organizations else "",
            ),
            w.t("counts", cases=len(cases), charges=len(detail["charges"])),
        ],
        summary="",
        sections=[
            _timeline(
                [(e["date"], _defender_event(e, w)) for e in timeline],
                w,
            ),
            Section(w.t("heading.charges"), charges or [Entry(w.t("none"))]),
            _outcomes(detail["charges"], len(detail["measures"]), w),
            _sources(detail["citations"], w),
        ],
        footer=_footer(w, today, show_confidential),
        synthetic=bool(actor.get("is_synthetic")),
    )
    return privacy.redactor(session, show_confidential=show_confidential).value(sheet)
