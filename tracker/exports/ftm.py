"""FollowTheMoney entities as JSON lines, for Aleph (mapping: DATA_MODEL.md).

One object per line, ``{"id", "schema", "properties": {name: [strings]}}``. Ids are stable:
"tracker-" + the row's UUID (a hearing's link adds "-case"), so a re-export updates the same
entities in Aleph. Mapping: case -> CourtCase (charge types in ``keywords``); case_party ->
CourtCaseParty (a defendant's charges summarised in ``description``); actor -> Person,
Organization, Company or PublicBody (a group -> Organization); membership -> Membership;
hearing -> Event, tied to its case by an UnknownLink with role "hearing"; source -> Document
and each citation -> Documentation (a citation of a charge, measure, court event or party
documents its case; of a membership, its member). A source with a stored file is a Document
named by that file (FtM requires ``fileName`` of a Document); one without is an Article. Only
properties of each schema are written, with values FtM accepts (a gender it does not know, such
as "non_binary", becomes "other"): a synthetic row's marker goes in ``notes`` where the schema
has it (things) and in ``summary`` where it does not (links and intervals). Privacy comes from
exports.rows. tests/test_ftm_valid.py checks every entity with the followthemoney package.

Written as it is read: tables stream through exports.rows.ExportReader; a case, its parties,
its charges and its hearings are read side by side in case order, so memory holds a batch of
each, not the database. The followthemoney package is not needed at run time (it pulls dozens
of dependencies); the tests use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from .. import dates
from ..gc_pause import without_gc
from ..i18n import t
from . import ExportOptions
from .fetch import STORED_SHOWN, read_cache
from .json_text import compact_encoder
from .labels import Labels
from .rows import ExportReader, as_read, uuid_texts
from .tables import dated_columns

__all__ = ["ENTITY_PROPERTIES", "entity_id", "export_ftm"]

SCHEMA_OF_KIND = {
    "person": "Person",
    "organization": "Organization",
    "company": "Company",
    "public_body": "PublicBody",
    "group": "Organization",
}
# Properties whose values are ids of other entities in the file, by schema.
ENTITY_PROPERTIES = {
    "CourtCaseParty": ("case", "party"),
    "UnknownLink": ("subject", "object"),
    "Documentation": ("document", "entity"),
    "Membership": ("member", "organization"),
    "Event": ("involved",),
}
# Citations of these tables document the row's case (or, for a membership, its member).
_OWNER_COLUMN = {
    "charge": "case_id",
    "measure": "case_id",
    "stage_change": "case_id",
    "case_party": "case_id",
    "membership": "member_id",
}
_THINGS = ("actor", "court_case", "hearing")
# The tables the export reads (for its progress).
_READS = (
    "court",
    "actor",
    "membership",
    "court_case",
    "case_party",
    "charge",
    "hearing",
    "source",
    "citation",
)
# FtM's gender values are male, female and other; other codes of the tracker become "other".
_GENDER = {"male": "male", "female": "female", "non_binary": "other", "other": "other"}


def entity_id(row_id: uuid.UUID | str, suffix: str = "") -> str:
    """The stable FtM id of a tracker row."""
    return f"tracker-{row_id}{suffix}"


def _entity(key: str, schema: str, /, **properties: Any) -> dict[str, Any]:
    """An FtM entity; empty values are dropped and every value becomes a list of strings."""
    props: dict[str, list[str]] = {}
    for name, value in properties.items():
        if value is None:
            continue
        cls = type(value)
        if cls is str:  # most values: one text (str(text) is the text)
            if value.strip():
                props[name] = [value]
            continue
        values = (
            value if cls is list or cls is tuple or isinstance(value, list | tuple) else [value]
        )
        strings = [str(v) for v in values if v is not None and str(v).strip()]
        if strings:
            props[name] = strings
    return {"id": key, "schema": schema, "properties": props}


def _date(row: dict[str, Any], column: str, precision: str | None = None) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    prec = row.get(precision or f"{column}_precision", "day")
    if type(value) is str:  # as SQLite stores it (_Mapper.rows): the same characters
        if prec == "time" and len(value) > 10:
            return f"{value[:10]}T{value[11:16]}"
        return None if prec == "unknown" else value[: STORED_SHOWN.get(prec, 10)]
    if isinstance(value, datetime) and prec == "time":
        return value.strftime("%Y-%m-%dT%H:%M")
    return dates.format_partial(value, prec) or None


class _Mapper:
    """Turns the rows an ExportReader gives into FtM entities, a batch at a time."""

    def __init__(self, reader: ExportReader, labels: Labels) -> None:
        self.reader, self.labels, self.lang = reader, labels, labels.lang
        self.marker = t("export.ftm.synthetic", lang=self.lang)
        self.hearing_role = t("export.ftm.hearing", lang=self.lang)
        self.courts = {r["id"]: r["name"] for r in self.rows("court")}

    def rows(self, table: str, order_by: Iterable[str] = ("id",)) -> Iterator[dict[str, Any]]:
        # Dates shown with their precision are read as the text SQLite stores (_date).
        dated = dated_columns(table, self.labels)
        for batch in self.reader.batches(
            table, ids_as_text=True, order_by=order_by, dates_as_stored=dated
        ):
            yield from batch

    def synthetic(self, row: dict[str, Any]) -> str | None:
        return self.marker if row.get("is_synthetic") else None

    def entities(self) -> Iterator[dict[str, Any]]:
        """Every entity: people and organizations, memberships, cases with what belongs to
        them, sources and citations."""
        yield from map(self.actor, self.rows("actor"))
        for m in self.rows("membership"):
            yield _entity(
                entity_id(m["id"]),
                "Membership",
                member=entity_id(m["member_id"]),
                organization=entity_id(m["organization_id"]),
                role=m["role"],
                startDate=_date(m, "start_date"),
                endDate=_date(m, "end_date"),
                summary=self.synthetic(m),
            )
        yield from self.cases()
        yield from self.documentation()

    def actor(self, actor: dict[str, Any]) -> dict[str, Any]:
        term = self.labels.term
        person = actor["kind"] == "person"
        return _entity(
            entity_id(actor["id"]),
            SCHEMA_OF_KIND.get(actor["kind"], "LegalEntity"),
            name=actor["name"],
            alias=actor.get("aliases") or [],
            idNumber=actor.get("id_number"),
            country=actor["country"].lower(),
            description=actor.get("description"),
            gender=_GENDER.get(actor.get("gender") or "") if person else None,
            birthDate=_date(actor, "birth_date") if person else None,
            address=", ".join(
                p for p in (actor.get("district"), actor.get("province"), actor.get("region")) if p
            )
            or None,
            keywords=[term("rights_defended", c) for c in actor.get("rights_defended") or []]
            + ([t("export.ftm.defender", lang=self.lang)] if actor["is_defender"] else []),
            notes=self.synthetic(actor),
        )

    def cases(self) -> Iterator[dict[str, Any]]:
        """Each case followed by its parties and hearings; the charges, read alongside in
        case order, give the case's keywords and each defendant's description."""
        by_case = ("case_id", "id")
        parties = _Grouped(self.rows("case_party", ("case_id", "actor_id", "id")), "case_id")
        charges = _Grouped(self.rows("charge", ("case_id", "defendant_id", "id")), "case_id")
        hearings = _Grouped(self.rows("hearing", by_case), "case_id")
        for case in self.rows("court_case"):
            key = case["id"]
            yield from self.case(case, parties.take(key), charges.take(key), hearings.take(key))

    def case(
        self,
        case: dict[str, Any],
        parties: list[dict[str, Any]],
        charges: list[dict[str, Any]],
        hearings: list[dict[str, Any]],
    ) -> Iterator[dict[str, Any]]:
        term = self.labels.term
        types: list[str] = []
        of_party: dict[Any, list[str]] = {}
        for charge in charges:
            label = term("charge_type", charge["charge_type"])
            outcome = term("outcome", charge["outcome"]) if charge["outcome"] else None
            when = _date(charge, "outcome_on")
            text = label + (f" ({outcome}{', ' + when if when else ''})" if outcome else "")
            of_party.setdefault(charge["defendant_id"], []).append(text)
            if label not in types:
                types.append(label)
        yield _entity(
            entity_id(case["id"]),
            "CourtCase",
            name=case["title"],
            caseNumber=case["case_number"],
            court=self.courts.get(case["court_id"]),
            type=term("case_type", case["case_type"]),
            status=t(f"status.{case['status']}", lang=self.lang),
            category=term("stage", case["stage"]),
            fileDate=_date(case, "opened_on"),
            closeDate=_date(case, "closed_on"),
            country=case["country"].lower(),
            summary=case.get("summary"),
            keywords=sorted(types),
            address=", ".join(p for p in (case.get("province"), case.get("region")) if p) or None,
            notes=[self.synthetic(case), case.get("context")],
        )
        for party in parties:
            # Each party of a case is one person in one role: the charges are theirs as
            # defendant only.
            charged = of_party.get(party["actor_id"], []) if party["role"] == "defendant" else []
            yield _entity(
                entity_id(party["id"]),
                "CourtCaseParty",
                case=entity_id(party["case_id"]),
                party=entity_id(party["actor_id"]),
                role=term("party_role", party["role"]),
                status=party.get("status"),
                startDate=_date(party, "start_date"),
                endDate=_date(party, "end_date"),
                description=t(
                    "export.ftm.charges", lang=self.lang, charges="; ".join(sorted(charged))
                )
                if charged
                else None,
                summary=[self.synthetic(party), party.get("notes")],
            )
        defendants = [entity_id(p["actor_id"]) for p in parties if p["role"] == "defendant"]
        for h in hearings:
            yield from self.hearing(h, case, defendants)

    def hearing(
        self, h: dict[str, Any], case: dict[str, Any], defendants: list[str]
    ) -> Iterator[dict[str, Any]]:
        term = self.labels.term
        kind = term("hearing_type", h["hearing_type"])
        result = term("hearing_result", h["result"]) if h["result"] else None
        yield _entity(
            entity_id(h["id"]),
            "Event",
            name=f"{kind}: {case['title']}",
            date=_date(h, "scheduled_at", "scheduled_precision"),
            summary=" · ".join(
                p for p in (result, term("postponement_reason", h["postponement_reason"])) if p
            )
            or None,
            location=self.courts.get(h["court_id"]) or self.courts.get(case["court_id"]),
            country=case["country"].lower(),
            involved=defendants,
            description=h.get("notes"),
            notes=self.synthetic(h),
        )
        yield _entity(
            entity_id(h["id"], "-case"),
            "UnknownLink",
            subject=entity_id(h["id"]),
            object=entity_id(h["case_id"]),
            role=self.hearing_role,
            summary=self.synthetic(h),
        )

    def documentation(self) -> Iterator[dict[str, Any]]:
        for source in self.rows("source"):
            file_name = PurePath(source["file_path"] or "").name or None
            yield _entity(
                entity_id(source["id"]),
                "Document" if file_name else "Article",
                title=source["title"],
                name=source["title"],
                fileName=self.reader.scrub(file_name),
                publisher=source.get("publisher"),
                sourceUrl=source.get("url"),
                publishedAt=_date(source, "published_on"),
                summary=source.get("notes"),
                notes=self.synthetic(source),
            )
        conn = self.reader.conn
        for batch in self.reader.batches("citation", ids_as_text=True):
            # Documentation.entity must be a Thing: links (parties, memberships) document the
            # case or the member they belong to, looked up for the whole batch at once.
            targets = _targets(conn, batch)
            for cite in batch:
                target = targets.get((cite["table_name"], cite["row_id"]))
                if target is None:
                    continue  # a court: FtM has it only as a case's court name
                yield _entity(
                    entity_id(cite["id"]),
                    "Documentation",
                    document=entity_id(cite["source_id"]),
                    entity=entity_id(target),
                    role=cite.get("supports"),
                    summary=self.synthetic(cite),
                )


def _targets(conn: Connection, citations: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(table, row id) of each citation -> the id of the Thing it documents (existing rows
    only), one query per cited table."""
    wanted: dict[str, set[str]] = {}
    for cite in citations:
        wanted.setdefault(cite["table_name"], set()).add(cite["row_id"])
    out: dict[tuple[str, str], str] = {}
    texts = uuid_texts()
    for table_name, ids in wanted.items():
        if table_name not in _THINGS and table_name not in _OWNER_COLUMN:
            continue
        table = SQLModel.metadata.tables[table_name]
        owner = table.c[_OWNER_COLUMN.get(table_name, "id")]
        stmt = select(as_read(table.c.id), as_read(owner)).where(
            table.c.id.in_([uuid.UUID(i) for i in ids])
        )
        for row_id, target in conn.execute(stmt):
            out[table_name, texts[row_id]] = texts[target]
    return out


class _Grouped:
    """Rows sorted by ``key``, taken a group at a time for keys asked in the same order."""

    def __init__(self, rows: Iterator[dict[str, Any]], key: str) -> None:
        self.rows, self.key = rows, key
        self.next: dict[str, Any] | None = next(rows, None)

    def take(self, value: Any) -> list[dict[str, Any]]:
        """The rows whose key is ``value`` (rows with a smaller key, whose parent is not
        out, are passed over)."""
        key, group = self.key, []
        while self.next is not None and self.next[key] < value:
            self.next = next(self.rows, None)
        while self.next is not None and self.next[key] == value:
            group.append(self.next)
            self.next = next(self.rows, None)
        return group


@without_gc
def export_ftm(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write FtM entities as JSON lines to ``out``; return the number of entities."""
    labels = Labels.load(engine, options.lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with engine.connect() as conn, read_cache(conn):
        reader = ExportReader(conn, options)
        # Every table is decided before the per-case cursors open side by side.
        reader.sizes()
        reader.report_to(options.progress, reads=_READS)
        encode = compact_encoder(sort_keys=True)
        with out.open("w", encoding="utf-8") as fh:
            lines: list[str] = []
            for entity in _Mapper(reader, labels).entities():
                lines.append(encode(entity))
                if len(lines) == 2000:  # one write per 2,000 entities, not per entity
                    fh.write("\n".join(lines) + "\n")
                    count += len(lines)
                    lines = []
            if lines:
                fh.write("\n".join(lines) + "\n")
                count += len(lines)
    return count
