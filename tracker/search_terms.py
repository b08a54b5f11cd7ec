"""The search box's list values: a stage or charge type found by its label (English or
Spanish) or by an alias an import kept for it ("Casación", "Usurpación"), opening the Cases
page filtered by it.

The vocabularies are small (tens of terms, plus their aliases), so they are read whole and
matched here with the search's own folding: every word typed must be a word of the label or
alias, or (from five letters) the start of one.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from .i18n import t
from .models import Case, Charge, TermAlias, VocabularyTerm

__all__ = ["FILTERED", "term_hits"]

# Vocabulary -> the Cases page's query parameter that filters by it.
FILTERED = {"stage": "stage", "charge_type": "charge_type"}
# Stricter than the records' 3: a list value is offered only for what is clearly its name
# ("acu" must not offer "control de acusación" above Máxima Acuña).
_PREFIX_FROM = 5


def _matches(words: list[str], text_words: list[str]) -> bool:
    return all(
        any(w == tw or (len(w) >= _PREFIX_FROM and tw.startswith(w)) for tw in text_words)
        for w in words
    )


def term_hits(
    session: Session, words: list[str], *, lang: str, show_restricted: bool
) -> list[dict[str, Any]]:
    """The stages and charge types whose label or alias every folded word in ``words``
    matches, each as the fields of a tracker.search.Hit (kind "term"), with the number of
    cases it would list (restricted cases only for those who may see them). The caller
    redacts the label and detail (an alias is typed text)."""
    from .search import tokens  # tracker.search imports this module

    if not words:
        return []
    vt, ta = VocabularyTerm.__table__.c, TermAlias.__table__.c  # type: ignore[attr-defined]
    terms = session.execute(
        select(vt.id, vt.vocabulary, vt.code, vt.label_en, vt.label_es).where(
            vt.vocabulary.in_(list(FILTERED)), vt.active.is_(True)
        )
    ).all()
    aliases: dict[tuple[str, str], list[str]] = {}
    for vocabulary, code, alias in session.execute(
        select(ta.vocabulary, ta.code, ta.alias).where(ta.vocabulary.in_(list(FILTERED)))
    ):
        aliases.setdefault((vocabulary, code), []).append(alias)
    found: list[tuple[uuid.UUID, str, str, str, str | None]] = []
    for term_id, vocabulary, code, label_en, label_es in terms:
        label = label_es if lang == "es" else label_en
        if _matches(words, tokens(label_en)) or _matches(words, tokens(label_es)):
            found.append((term_id, vocabulary, code, label, None))
            continue
        alias = next(
            (a for a in aliases.get((vocabulary, code), []) if _matches(words, tokens(a))), None
        )
        if alias is not None:
            found.append((term_id, vocabulary, code, label, alias))
    if not found:
        return []
    counts = _case_counts(session, {(v, c) for _i, v, c, _l, _a in found}, show_restricted)
    return [
        {
            "kind": "term",
            "id": term_id,
            "label": label,
            "detail": " · ".join(
                part
                for part in (
                    t(f"search.term.{vocabulary}", lang),
                    t("search.term.alias", lang, alias=alias) if alias else "",
                    t("search.term.cases", lang, n=counts.get((vocabulary, code), 0)),
                )
                if part
            ),
            "score": 1_000_000.0,  # listed before the records: it names what was typed
            "page": "pages/1_Cases.py",
            "params": {FILTERED[vocabulary]: code},
        }
        for term_id, vocabulary, code, label, alias in found
    ]


def _case_counts(
    session: Session, wanted: set[tuple[str, str]], show_restricted: bool
) -> dict[tuple[str, str], int]:
    """Cases at each stage and cases with a charge of each type, among ``wanted``, counted
    in SQL as the Cases page would list them for this reader."""
    case, charge = Case.__table__.c, Charge.__table__.c  # type: ignore[attr-defined]
    seen = [] if show_restricted else [case.confidentiality != "restricted"]
    stages = [code for vocabulary, code in wanted if vocabulary == "stage"]
    types = [code for vocabulary, code in wanted if vocabulary == "charge_type"]
    counts: dict[tuple[str, str], int] = {}
    if stages:
        for code, n in session.execute(
            select(case.stage, func.count())
            .where(case.stage.in_(stages), *seen)
            .group_by(case.stage)
        ):
            counts[("stage", code)] = int(n)
    if types:
        rows = session.execute(
            select(charge.charge_type, func.count(func.distinct(charge.case_id)))
            .join_from(Charge.__table__, Case.__table__, case.id == charge.case_id)
            .where(charge.charge_type.in_(types), *seen)
            .group_by(charge.charge_type)
        )
        for code, n in rows:
            counts[("charge_type", code)] = int(n)
    return counts
