"""One search box over cases, people, organisations, courts, sources and attached files.

:func:`search` takes the words typed, folds accents and case ("maxima acuna" finds "Máxima
Acuña"), matches every word (the longer ones as prefixes) and ranks the records found: BM25 of
SQLite's FTS5, ``ts_rank`` on PostgreSQL, over the index of :mod:`tracker.search_index`.

Privacy, for anyone who may not see confidential people (:mod:`tracker.privacy`):

- a confidential person is matched only by their pseudonym, and shown only under it;
- restricted people and cases, and files of restricted records, are never found;
- a query holding a word (or the start of one) of a confidential person's real name, aliases
  or id number, and not of their pseudonym, finds people only: a case, source or file whose text names that person would otherwise
  reveal who is behind the pseudonym.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session

from .models import Actor, Case, Court, Document, Source
from .privacy import may_see_confidential, name_column, redactor
from .search_index import PG_EXPRESSIONS
from .search_terms import term_hits

__all__ = ["Hit", "fold", "search", "tokens"]

MAX_TOKENS = 8
_PREFIX_FROM = 3  # shorter words match whole words only ("de" must not match "derecho")


@dataclass(frozen=True)
class Hit:
    """One record found: what it is, how to name it, where it opens, and its rank.

    Attributes:
        kind: actor, case, court, source or document.
        subtype: the actor's kind (person, organization...) or the document's record table.
        page: the page that opens the record (None for courts, which have no page).
        params: the query parameters that select the record on that page.
    """

    kind: str
    id: uuid.UUID
    label: str
    detail: str
    score: float
    subtype: str = ""
    page: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def fold(value: str) -> str:
    """Lower case without accents: "Máxima ACUÑA" -> "maxima acuna"."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(value: str) -> list[str]:
    """The words of ``value`` as the index holds them (folded; punctuation splits)."""
    return re.findall(r"[^\W_]+", fold(value))


def search(
    session: Session, query: str, *, role: str, limit: int = 50, lang: str = "en"
) -> list[Hit]:
    """The records matching every word of ``query``, best first, as ``role`` may see them;
    first the stages and charge types it names (by label or by an import's alias), each
    opening the Cases page filtered by it (labels in ``lang``)."""
    words = list(dict.fromkeys(tokens(query)))[:MAX_TOKENS]
    if not words:
        return []
    show = may_see_confidential(role)
    terms = term_hits(session, words, lang=lang, show_restricted=show)
    if terms:
        # An alias is text typed in a spreadsheet: shown like every other free text.
        redact = redactor(session, show_confidential=show)
        terms = [{**f, "label": redact(f["label"]), "detail": redact(f["detail"])} for f in terms]
    return [Hit(**found) for found in terms] + _records(session, words, show=show, limit=limit)


def _records(session: Session, words: list[str], *, show: bool, limit: int) -> list[Hit]:
    dialect = session.get_bind().dialect.name
    people_only = not show and _names_hidden(session, words, dialect)
    if dialect == "sqlite":
        ranked = _sqlite_ranked(session, words, show=show, people_only=people_only, limit=limit)
    else:
        ranked = _pg_ranked(session, words, show=show, people_only=people_only, limit=limit)
    return _described(session, ranked, show=show)


def _names_hidden(session: Session, words: list[str], dialect: str) -> bool:
    """True when a word matches a confidential person's real name (aliases, id number) and
    not their pseudonym: the same rule, by index, as the one the search itself applies."""
    for word in words:
        if dialect == "sqlite":
            term = _fts_term(word)
            found = session.execute(
                text("SELECT 1 FROM search_fts WHERE search_fts MATCH :m LIMIT 1"),
                {"m": f"private : {term} NOT public : {term}"},
            ).first()
        else:
            found = session.execute(
                text(
                    f"SELECT 1 FROM actor WHERE confidentiality = 'confidential' "
                    f"AND {PG_EXPRESSIONS[('actor', 'all')]} @@ to_tsquery('simple', :q) "
                    "AND tracker_tsv(name, id_number, aliases::text) @@ to_tsquery('simple', :q) "
                    "AND NOT tracker_tsv(pseudonym) @@ to_tsquery('simple', :q) LIMIT 1"
                ),
                {"q": _pg_term(word)},
            ).first()
        if found is not None:
            return True
    return False


def _fts_term(word: str) -> str:
    return f'"{word}"*' if len(word) >= _PREFIX_FROM else f'"{word}"'


def _pg_term(word: str) -> str:
    return f"{word}:*" if len(word) >= _PREFIX_FROM else word


# -- SQLite: one FTS5 table, ranked by bm25 ------------------------------------------------
_SQLITE_VISIBLE = """
  AND coalesce(a.confidentiality, '') != 'restricted'
  AND coalesce(c.confidentiality, '') != 'restricted'
  AND NOT coalesce(s.restricted, 0)
  AND (d.id IS NULL OR (
       (d.table_name != 'source' OR d.row_id NOT IN (SELECT id FROM source WHERE restricted))
   AND
       (d.case_id IS NULL OR d.case_id NOT IN
            (SELECT id FROM court_case WHERE confidentiality = 'restricted'))
   AND (d.actor_id IS NULL OR d.actor_id NOT IN
            (SELECT id FROM actor WHERE confidentiality = 'restricted'))))
"""


def _sqlite_ranked(
    session: Session, words: list[str], *, show: bool, people_only: bool, limit: int
) -> list[tuple[str, uuid.UUID, float]]:
    terms = " AND ".join(_fts_term(w) for w in words)
    match = terms if show else f"public : ({terms})"
    sql = f"""
        SELECT k.kind, k.row_id, bm25(search_fts) AS score
        FROM search_fts
        JOIN search_key k ON k.id = search_fts.rowid
        LEFT JOIN actor a ON k.kind = 'actor' AND a.id = k.row_id
        LEFT JOIN court_case c ON k.kind = 'case' AND c.id = k.row_id
        LEFT JOIN source s ON k.kind = 'source' AND s.id = k.row_id
        LEFT JOIN document d ON k.kind = 'document' AND d.id = k.row_id
        WHERE search_fts MATCH :match
        {"" if show else _SQLITE_VISIBLE}
        {"AND k.kind = 'actor'" if people_only else ""}
        ORDER BY score
        LIMIT :limit
    """
    rows = session.execute(text(sql), {"match": match, "limit": limit}).all()
    # bm25 is lower for better matches; flip it so every dialect ranks "higher is better".
    return [(kind, uuid.UUID(str(row_id)), -float(score)) for kind, row_id, score in rows]


# -- PostgreSQL: the GIN expression indexes, ranked by ts_rank ------------------------------
def _pg_ranked(
    session: Session, words: list[str], *, show: bool, people_only: bool, limit: int
) -> list[tuple[str, uuid.UUID, float]]:
    tsq = "to_tsquery('simple', :tsq)"
    actor = PG_EXPRESSIONS[("actor", "all" if show else "public")]
    restricted = "" if show else "AND confidentiality != 'restricted'"
    parts = [
        f"SELECT 'actor' AS kind, id, ts_rank({actor}, {tsq}) AS score FROM actor "
        f"WHERE {actor} @@ {tsq} {restricted}"
    ]
    if not people_only:
        case = PG_EXPRESSIONS[("court_case", "all")]
        court = PG_EXPRESSIONS[("court", "all")]
        source = PG_EXPRESSIONS[("source", "all")]
        doc = PG_EXPRESSIONS[("document", "all")]
        blob = PG_EXPRESSIONS[("document_blob", "all")]
        hidden = (
            ""
            if show
            else (
                "AND (document.case_id IS NULL OR document.case_id NOT IN "
                "(SELECT id FROM court_case WHERE confidentiality = 'restricted')) "
                "AND (document.actor_id IS NULL OR document.actor_id NOT IN "
                "(SELECT id FROM actor WHERE confidentiality = 'restricted')) "
                "AND (document.table_name != 'source' OR document.row_id NOT IN "
                "(SELECT id FROM source WHERE restricted))"
            )
        )
        # A restricted source's title, address and notes are not searched for a viewer.
        source_hidden = "" if show else "AND NOT restricted"
        parts += [
            f"SELECT 'case', id, ts_rank({case}, {tsq}) FROM court_case "
            f"WHERE {case} @@ {tsq} {restricted}",
            f"SELECT 'court', id, ts_rank({court}, {tsq}) FROM court WHERE {court} @@ {tsq}",
            f"SELECT 'source', id, ts_rank({source}, {tsq}) FROM source "
            f"WHERE {source} @@ {tsq} {source_hidden}",
            f"SELECT 'document', document.id, ts_rank({doc} || {blob}, {tsq}) FROM document "
            f"JOIN document_blob ON document_blob.sha256 = document.sha256 "
            f"WHERE ({doc} @@ {tsq} OR {blob} @@ {tsq}) {hidden}",
        ]
    sql = " UNION ALL ".join(parts) + " ORDER BY score DESC LIMIT :limit"
    query = " & ".join(_pg_term(w) for w in words)
    rows = session.execute(text(sql), {"tsq": query, "limit": limit}).all()
    return [(kind, row_id, float(score)) for kind, row_id, score in rows]


# -- naming what was found, one query per kind -----------------------------------------------
def _described(
    session: Session, ranked: list[tuple[str, uuid.UUID, float]], *, show: bool
) -> list[Hit]:
    by_kind: dict[str, list[uuid.UUID]] = {}
    for kind, row_id, _score in ranked:
        by_kind.setdefault(kind, []).append(row_id)
    described: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    # Titles, file names and details are free text: a confidential person's real name in them
    # is replaced by the pseudonym for a viewer (tracker.privacy's one redactor).
    redact = redactor(session, show_confidential=show)
    for kind, ids in by_kind.items():
        for row_id, info in _DESCRIBERS[kind](session, ids, show).items():
            described[(kind, row_id)] = {
                **info,
                "label": redact(info["label"]),
                "detail": redact(info["detail"]),
            }
    hits = []
    for kind, row_id, score in ranked:
        found = described.get((kind, row_id))
        if found is not None:  # None: deleted between the two reads
            hits.append(Hit(kind=kind, id=row_id, score=score, **found))
    return hits


def _actors(session: Session, ids: Iterable[uuid.UUID], show: bool) -> dict[uuid.UUID, dict]:
    a = Actor.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(a.id, name_column(show_confidential=show), a.kind, a.is_defender, a.region).where(
            a.id.in_(list(ids))
        )
    ).all()
    return {
        row_id: {
            "label": name,
            "detail": region or "",
            "subtype": kind,
            "page": "pages/2_Defenders.py" if defender else "pages/7_Actors.py",
            "params": {"actor": str(row_id)},
        }
        for row_id, name, kind, defender, region in rows
    }


def _cases(session: Session, ids: Iterable[uuid.UUID], _show: bool) -> dict[uuid.UUID, dict]:
    c = Case.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(c.id, c.title, c.case_number, c.region).where(c.id.in_(list(ids)))
    ).all()
    return {
        row_id: {
            "label": title,
            "detail": " · ".join(p for p in (number, region) if p),
            "page": "pages/1_Cases.py",
            "params": {"case": str(row_id)},
        }
        for row_id, title, number, region in rows
    }


def _courts(session: Session, ids: Iterable[uuid.UUID], _show: bool) -> dict[uuid.UUID, dict]:
    c = Court.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(c.id, c.name, c.judicial_district).where(c.id.in_(list(ids)))
    ).all()
    return {
        row_id: {"label": name, "detail": district or "", "subtype": "court"}
        for row_id, name, district in rows
    }


def _sources(session: Session, ids: Iterable[uuid.UUID], _show: bool) -> dict[uuid.UUID, dict]:
    c = Source.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(c.id, c.title, c.publisher, c.key).where(c.id.in_(list(ids)))
    ).all()
    return {
        row_id: {
            "label": title,
            "detail": " · ".join(p for p in (key, publisher) if p),
            "page": "pages/8_Sources.py",
            "params": {"source": str(row_id)},
        }
        for row_id, title, publisher, key in rows
    }


def _documents(session: Session, ids: Iterable[uuid.UUID], _show: bool) -> dict[uuid.UUID, dict]:
    d = Document.__table__.c  # type: ignore[attr-defined]
    c = Case.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(d.id, d.filename, d.table_name, d.row_id, d.case_id, c.title)
        .outerjoin(Case.__table__, c.id == d.case_id)  # type: ignore[attr-defined]
        .where(d.id.in_(list(ids)))
    ).all()
    out: dict[uuid.UUID, dict] = {}
    for row_id, filename, table_name, record_id, case_id, case_title in rows:
        if case_id is not None:
            page, params = "pages/1_Cases.py", {"case": str(case_id)}
        else:
            page, params = "pages/8_Sources.py", {"source": str(record_id)}
        out[row_id] = {
            "label": filename,
            "detail": case_title or "",
            "subtype": table_name,
            "page": page,
            "params": params,
        }
    return out


_DESCRIBERS = {
    "actor": _actors,
    "case": _cases,
    "court": _courts,
    "source": _sources,
    "document": _documents,
}
