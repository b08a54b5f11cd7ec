"""What the database already holds, indexed the way spreadsheet text refers to it.

Vocabulary terms by code or English or Spanish label; fixed choices by code or label; people
and bodies by ID number and by name (case-, accent- and spacing-insensitive); cases by number
or title; courts by name. One query per table, so a large file costs no per-row queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlmodel import Session

from ..i18n import get_language, t
from ..models import Actor, Case, CaseParty, Charge, Court, VocabularyTerm
from ..models.enums import ACTOR_KINDS, CASE_STATUSES, CHARGE_STATUSES, CONFIDENTIALITY
from .match import case_core, name_words
from .template import normalize

__all__ = ["CHOICES", "Index", "Vocabulary", "kind_for_category"]

# Core columns of each table (typed loosely: select() of several columns is plain SQL here).
_t: Any = VocabularyTerm.__table__.c  # type: ignore[attr-defined]
_a: Any = Actor.__table__.c  # type: ignore[attr-defined]
_k: Any = Case.__table__.c  # type: ignore[attr-defined]
_co: Any = Court.__table__.c  # type: ignore[attr-defined]
_p: Any = CaseParty.__table__.c  # type: ignore[attr-defined]
_ch: Any = Charge.__table__.c  # type: ignore[attr-defined]
_CHUNK = 900  # ids per IN (...) list: under SQLite's variable limit on old versions

# Fixed value sets of the template; labels come from the catalogs (import.choice.*).
CHOICES: dict[str, tuple[str, ...]] = {
    "case_status": CASE_STATUSES,
    "charge_status": CHARGE_STATUSES,
    "confidentiality": CONFIDENTIALITY,
    "kind": ACTOR_KINDS,
}
_TRUE = {"yes", "y", "si", "s", "true", "verdadero", "1", "x"}
_FALSE = {"no", "n", "false", "falso", "0"}


def parse_bool(value: Any) -> bool | None:
    """yes/no, sí/no, true/false, 1/0 or x; None when the text is none of those."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalize(str(value))
    return True if text in _TRUE else False if text in _FALSE else None


# Words of Peruvian sheets that name a term without sharing its label's words.
_HINTS: dict[str, dict[str, str]] = {
    "complainant_category": {
        "fiscal": "public_prosecutor",
        "ministerio publico": "public_prosecutor",
        "pnp": "police",
        "policia": "police",
        "minera": "company_mining",
        "mining": "company_mining",
        "municipalidad": "local_authority",
        "alcalde": "local_authority",
        "gobernador": "local_authority",
        "procuradur": "state_attorney",
        "ministerio": "state_attorney",
    },
    "stage": {"casacion": "cassation", "apelacion": "appeal", "archiv": "archived"},
    "outcome": {"absuel": "acquitted", "conden": "convicted", "archiv": "archived"},
}


class Vocabulary:
    """Terms of every vocabulary, found by code, English label or Spanish label."""

    def __init__(self, terms: Iterable[tuple[str, str, str, str]]) -> None:
        self._names: dict[str, dict[str, set[str]]] = {}
        self.labels: dict[tuple[str, str], tuple[str, str]] = {}
        for vocabulary, code, label_en, label_es in terms:
            names = self._names.setdefault(vocabulary, {})
            self.labels[vocabulary, code] = (label_en, label_es)
            for text in (code, label_en, label_es):
                names.setdefault(normalize(text), set()).add(code)

        self.aliases: dict[tuple[str, str], str] = {}

    @classmethod
    def load(cls, session: Session) -> Vocabulary:
        """Every active term of the database, and the aliases users gave them."""
        from ..models import TermAlias

        rows = session.execute(
            select(_t.vocabulary, _t.code, _t.label_en, _t.label_es).where(
                _t.active == True  # noqa: E712  (SQL comparison)
            )
        ).all()
        vocab = cls((str(a), str(b), str(c), str(d)) for a, b, c, d in rows)
        _al: Any = TermAlias.__table__.c  # type: ignore[attr-defined]
        for vocabulary, code, alias in session.execute(select(_al.vocabulary, _al.code, _al.alias)):
            vocab.add_alias(str(vocabulary), str(alias), str(code))
        return vocab

    def add_alias(self, vocabulary: str, text: str, code: str) -> bool:
        """Read ``text`` as term ``code`` from now on (an alias, or a value mapped in the
        preview); an alias never hides a term's own code or label. False for unknown codes."""
        if (vocabulary, code) not in self.labels:
            return False
        key = normalize(text)
        names = self._names.setdefault(vocabulary, {})
        if key not in names:
            names[key] = {code}
            self.aliases[vocabulary, key] = code
        return True

    def find(self, vocabulary: str, text: Any) -> tuple[str | None, str | None]:
        """(code, None) for a known term; (None, error key) when unknown or ambiguous."""
        codes = self._names.get(vocabulary, {}).get(normalize(str(text)), set())
        if len(codes) == 1:
            return next(iter(codes)), None
        return None, "import.term.ambiguous" if codes else "import.term.unknown"

    def suggest(self, vocabulary: str, text: str, limit: int = 3) -> list[str]:
        """Codes whose code, labels (English and Spanish) or aliases look like ``text``.

        Accent- and case-insensitive; a label containing the text's words, or one close to it
        (difflib's ratio), comes first. Used to offer terms for a value the sheet uses.
        """
        from difflib import SequenceMatcher

        wanted = normalize(text)
        words = set(wanted.split())
        scores: dict[str, float] = {}
        for word, code in _HINTS.get(vocabulary, {}).items():
            if word in wanted and (vocabulary, code) in self.labels:
                scores[code] = 0.95
        for name, codes in self._names.get(vocabulary, {}).items():
            ratio = SequenceMatcher(None, wanted, name).ratio()
            shared = words & set(name.split())
            if shared:
                ratio = max(ratio, 0.6 + 0.4 * len(shared) / max(len(words), 1))
            if name.startswith(wanted) or wanted.startswith(name):
                ratio = max(ratio, 0.8)
            for code in codes:
                scores[code] = max(scores.get(code, 0.0), ratio)
        ranked = sorted((c for c, r in scores.items() if r >= 0.5), key=lambda c: (-scores[c], c))
        return ranked[:limit]

    def choices(self, vocabulary: str, lang: str | None = None) -> str:
        """Some labels of ``vocabulary`` for a message (the first ten)."""
        index = 1 if (lang or get_language()) == "es" else 0
        items = [v[index] for (voc, _), v in self.labels.items() if voc == vocabulary]
        return "; ".join(items[:10]) + ("; …" if len(items) > 10 else "")


def find_choice(group: str, text: Any) -> str | None:
    """The code of a fixed choice written as its code or its English or Spanish label."""
    return _choice_names(group).get(normalize(str(text)))


@cache
def _choice_names(group: str) -> dict[str, str]:
    """Normalized code and labels (each part of "a / b") -> code; the first code wins."""
    found: dict[str, str] = {}
    for code in CHOICES[group]:
        names = {
            code,
            t(f"import.choice.{group}.{code}", lang="en"),
            t(f"import.choice.{group}.{code}", lang="es"),
        }
        for name in names:
            for part in name.split("/"):
                found.setdefault(normalize(part), code)
    return found


def kind_for_category(category: str | None) -> str:
    """The kind of actor a complainant category implies (a mining company is a company)."""
    if (category and category.startswith("company")) or category == "private_security":
        return "company"
    if category == "private_individual":
        return "person"
    if category in (
        "police",
        "public_prosecutor",
        "state_attorney",
        "local_authority",
        "national_authority",
    ):
        return "public_body"
    return "organization"


@dataclass
class Index:
    """Actors, cases, courts, parties and charges already in the database, by their keys."""

    actors_by_id_number: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    actors_by_name: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    actor_id_numbers: dict[uuid.UUID, str] = field(default_factory=dict)
    actor_names: dict[uuid.UUID, str] = field(default_factory=dict)
    actor_ids: set[uuid.UUID] = field(default_factory=set)
    _by_key: dict[str, list[uuid.UUID]] | None = None
    _by_word: dict[str, list[uuid.UUID]] | None = None
    cases_by_core: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    case_numbers: dict[uuid.UUID, str] = field(default_factory=dict)
    cases_by_number: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    cases_by_title: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    case_ids: set[uuid.UUID] = field(default_factory=set)
    courts_by_name: dict[str, uuid.UUID] = field(default_factory=dict)
    parties: set[tuple[uuid.UUID, uuid.UUID, str]] = field(default_factory=set)
    charges: dict[tuple[uuid.UUID, uuid.UUID, str], uuid.UUID] = field(default_factory=dict)
    charge_ids: set[uuid.UUID] = field(default_factory=set)
    _id_map: _Ids | None = None

    def _name_indexes(self) -> None:
        """Names by key (legal form and word order aside) and by word, made on first use:
        a file whose every name is found as written never needs them."""
        by_key: dict[str, list[uuid.UUID]] = {}
        by_word: dict[str, list[uuid.UUID]] = {}
        for folded, ids in self.actors_by_name.items():
            words = name_words(folded)
            key = " ".join(sorted(words))
            by_key.setdefault(key, []).extend(ids)
            for word in words:
                by_word.setdefault(word, []).extend(ids)
        self._by_key, self._by_word = by_key, by_word

    @property
    def actors_by_key(self) -> dict[str, list[uuid.UUID]]:
        """Actor ids by :func:`~tracker.imports.match.name_key` of their names and aliases."""
        if self._by_key is None:
            self._name_indexes()
        return self._by_key  # type: ignore[return-value]

    @property
    def actors_by_word(self) -> dict[str, list[uuid.UUID]]:
        """Actor ids by each word of their names and aliases."""
        if self._by_word is None:
            self._name_indexes()
        return self._by_word  # type: ignore[return-value]

    @classmethod
    def load(cls, session: Session) -> Index:
        """Read the keys of every actor, case and court (one query each); the parties and
        charges of the cases matched come later (:meth:`load_charges`, :meth:`load_parties`)."""
        index = cls()
        # .all(): one fetchall, where iterating the result fetches row by row.
        for actor_id, name, id_number, aliases in session.execute(
            select(_a.id, _a.name, _a.id_number, _a.aliases)
        ).all():
            index.actor_ids.add(actor_id)
            index.actor_names[actor_id] = name
            for alias in [name, *aliases] if aliases else (name,):
                index.actors_by_name.setdefault(normalize(alias), []).append(actor_id)
            if id_number:
                key = normalize(id_number)
                index.actor_id_numbers[actor_id] = key
                index.actors_by_id_number.setdefault(key, []).append(actor_id)
        cases = session.execute(select(_k.id, _k.case_number, _k.title)).all()
        for case_id, number, title in cases:
            index.case_ids.add(case_id)
            if number:
                index.cases_by_number.setdefault(normalize(number), []).append(case_id)
                index.case_numbers[case_id] = number
                core = case_core(number)
                if core:
                    index.cases_by_core.setdefault(core, []).append(case_id)
            index.cases_by_title.setdefault(normalize(title), []).append(case_id)
        for court_id, name in session.execute(select(_co.id, _co.name)).all():
            index.courts_by_name.setdefault(normalize(name), court_id)
        return index

    def _ids(self) -> _Ids:
        """The converter of uuid column values, knowing every case and actor read."""
        if self._id_map is None:
            self._id_map = _Ids(self.case_ids, self.actor_ids)
        return self._id_map

    def load_charges(
        self, session: Session, case_ids: Iterable[uuid.UUID], charge_ids: Iterable[uuid.UUID]
    ) -> None:
        """Read the charges of the cases a file matched, and which of the charge ids a file
        gives are recorded (one query per chunk of ids).

        Only the matched cases: a new case has no charges yet, and reading every charge of a
        large database (180,000 ids to convert) cost seconds.
        """
        cases = list(dict.fromkeys(case_ids))
        ids = self._ids()
        for chunk in _chunks(cases):
            for charge_id, case_id, defendant_id, charge_type in session.execute(
                select(_ch.id, _raw(_ch.case_id), _raw(_ch.defendant_id), _ch.charge_type).where(
                    _ch.case_id.in_(chunk)
                )
            ).all():
                self.charges.setdefault((ids(case_id), ids(defendant_id), charge_type), charge_id)
                self.charge_ids.add(charge_id)
        given = [i for i in dict.fromkeys(charge_ids) if i not in self.charge_ids]
        for chunk in _chunks(given):
            self.charge_ids.update(
                session.execute(select(_ch.id).where(_ch.id.in_(chunk))).scalars()
            )

    def load_parties(self, session: Session, case_ids: Iterable[uuid.UUID]) -> None:
        """Read the parties of some recorded cases (those a new charge is added to)."""
        cases = list(dict.fromkeys(case_ids))
        ids = self._ids()
        for chunk in _chunks(cases):
            for case_id, actor_id, role in session.execute(
                select(_raw(_p.case_id), _raw(_p.actor_id), _p.role).where(_p.case_id.in_(chunk))
            ).all():
                self.parties.add((ids(case_id), ids(actor_id), role))


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _raw(column: Any) -> Any:
    """A uuid column as the driver gives it (SQLite: its hex text; PostgreSQL: a UUID)."""
    return type_coerce(column, String)


class _Ids:
    """Driver values of uuid columns -> the UUIDs already in memory (made once otherwise).

    Foreign keys repeat the ids of cases and actors read before: looking them up is cheaper
    than making a new UUID of each, and the index then holds one object per id.
    """

    def __init__(self, *known: Iterable[uuid.UUID]) -> None:
        self._by_text: dict[Any, uuid.UUID] = {u.hex: u for ids in known for u in ids}

    def __call__(self, raw: Any) -> Any:
        if raw is None or isinstance(raw, uuid.UUID):
            return raw
        found = self._by_text.get(raw)
        if found is None:
            found = self._by_text[raw] = uuid.UUID(raw)
        return found
