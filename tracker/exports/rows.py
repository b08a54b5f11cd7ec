"""The rows every data export starts from, with tracker.privacy applied once, here.

Unless ``options.show_confidential``: restricted people and cases are left out, and so is
every row that points at something left out (a charge against a restricted person, the
hearings of a restricted case), so no file refers to a record it does not hold; confidential
people appear under their pseudonym (tracker.privacy.display_name) without aliases, ID number,
birth date or description, and their real names are replaced by the pseudonym in free text
too (case titles and summaries, notes). Synthetic rows are flagged by ``is_synthetic`` and
left out with ``include_synthetic=False``.

Tables are read one at a time and in batches (:class:`ExportReader`), so an export holds one
batch of rows, not the database: across tables only what privacy needs is kept (the ids of
hidden rows, the pseudonym of each confidential name). :func:`read_rows` gives whole tables,
for the exports that need them (FtM, calendars).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, String, Text, TypeDecorator, Uuid, func, or_, select, type_coerce
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from .. import models  # noqa: F401  (registers every table on the metadata)
from ..gc_pause import without_gc
from ..i18n import t
from ..privacy import NO_REDACTION, Redactor, display_name, public_people, shown_source
from ..tabular import MANAGED, TABLES
from . import ExportOptions

__all__ = [
    "MANAGED",
    "TABLES",
    "TEXT_COLUMNS",
    "ExportReader",
    "as_read",
    "read_rows",
    "uuid_texts",
]


# Every column a person could have typed a name into, read from the tables themselves so a
# new column is covered without a change here: text of any length, and JSON lists of text.
def _is_text(kind: Any) -> bool:
    """True for text columns (SQLModel's AutoString is a TypeDecorator over String)."""
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, String | Text | JSON)


TEXT_COLUMNS = frozenset(
    column.name
    for name in TABLES
    for column in SQLModel.metadata.tables[name].columns
    if _is_text(column.type) and column.name not in MANAGED
)
_WITHHELD_FIELDS: dict[str, Any] = {
    "aliases": [],
    "id_number": None,
    "birth_date": None,
    "birth_date_precision": "unknown",
    "description": None,
}


def _references(table: str) -> dict[str, str]:
    """column -> referred table, for the foreign keys of ``table``."""
    out = {}
    for column in SQLModel.metadata.tables[table].columns:
        for fk in column.foreign_keys:
            out[column.name] = fk.column.table.name
    return out


@without_gc
def read_rows(
    engine: Engine, options: ExportOptions, tables: Iterable[str] = TABLES
) -> dict[str, list[dict[str, Any]]]:
    """Rows of each table as dicts of column -> value, with privacy and synthetic rules.

    The whole of each wanted table at once, for exports that need it (FtM, calendars);
    tables, CSV, JSON and XLSX stream through :class:`ExportReader` instead. A UUID read in
    several tables is one shared ``uuid.UUID`` here (a case id repeated on 15 hearings is
    parsed and held once).
    """
    with engine.connect() as conn:
        reader = ExportReader(conn, options, tables)
        uuids = _UUIDs()
        return {
            name: [row for batch in reader.batches(name, uuids) for row in batch]
            for name in reader.wanted
        }


class ExportReader:
    """The rows of an export, table by table, in batches, with the privacy rules applied.

    What privacy needs across tables is kept here: the ids of hidden rows (as the database
    gives them), the cases whose parent link goes, the pseudonym of each confidential name
    (for free text anywhere) and each table's number of rows out. People are surveyed first
    (a narrow read of the flagged and confidential ones) for the pseudonym map; any other
    table is decided when it is first needed, either as :meth:`batches` or :meth:`charges`
    reads it or by a narrow read of its ids, references and flags (:meth:`sizes`, or a table
    another one refers to). Rows are read one batch at a time, so memory holds one batch.

    Every way replays the whole read's rules in the same order (tables in TABLES order, rows
    in id order, a table's hidden set growing as it is read), so the same rows are left out
    as when every table was read at once.

    Use it inside one connection:
        >>> with engine.connect() as conn:  # doctest: +SKIP
        ...     reader = ExportReader(conn, options)
        ...     for batch in reader.batches("court_case"): ...
    """

    def __init__(
        self, conn: Connection, options: ExportOptions, tables: Iterable[str] = TABLES
    ) -> None:
        self.conn = conn
        self.options = options
        self.wanted = [t for t in TABLES if t in set(tables)]
        self.needed = _closure(self.wanted)
        # Ids as the database gives them (text on SQLite), so the pass parses no UUID.
        self.hidden: dict[str, set[Any]] = {t: set() for t in TABLES}
        self.unlinked: set[Any] = set()  # cases whose parent case is hidden
        self._sizes: dict[str, int] = {}  # rows out, of the tables decided so far
        self._withheld: dict[str, str] = {}
        self._progress: Callable[[int, int], None] | None = None
        self._done = self._total = 0
        self._confidential: list[dict[str, Any]] = []
        # People first: their names are taken out of the text of every table.
        self._decide("actor")
        self.scrub = (
            NO_REDACTION
            if options.show_confidential
            else _scrubber(
                self._withheld, self._confidential, public_people(conn, self._confidential)
            )
        )

    def report_to(self, progress: Callable[[int, int], None] | None, reads: Iterable[str]) -> None:
        """Call ``progress(rows read, rows to read)`` after each batch :meth:`batches` gives.

        ``reads`` names the tables the caller reads through :meth:`batches`, a table read
        twice named twice; their rows out are counted first (:meth:`sizes`).
        """
        if progress is None:
            return
        sizes = self.sizes()
        self._total = sum(sizes[name] for name in reads)
        self._progress = progress
        progress(0, self._total)

    def sizes(self) -> dict[str, int]:
        """The number of rows out of each needed table (deciding those not read yet)."""
        for table in self.needed:
            self._decide(table)
        return {t: self._sizes[t] for t in self.needed}

    def _decide(self, table: str) -> None:
        """Make the hidden ids of ``table`` (and of the tables it refers to) known."""
        if table in self._sizes:
            return
        for other in _depends(table):
            self._decide(other)
        self._survey(table, self._withheld, self._confidential)

    def _survey(
        self, table: str, withheld: dict[str, str], confidential: list[dict[str, Any]]
    ) -> None:
        """Hidden ids, unlinked cases and names of ``table``; its count of rows out."""
        options = self.options
        columns = SQLModel.metadata.tables[table].c
        refs = _references(table)
        flags: list[ColumnElement[bool]] = []
        if not options.include_synthetic and "is_synthetic" in columns:
            flags.append(columns.is_synthetic.is_(True))
        if not options.show_confidential and table in ("actor", "court_case"):
            flags.append(columns.confidentiality == "restricted")
        others = [t for t in (TABLES if table == "citation" else refs.values()) if t != table]
        live = any(self.hidden[t] for t in others)
        names = not options.show_confidential and table == "actor"
        if not (flags or live or names):
            # Nothing here can be left out (and a case's parent is never hidden).
            self._sizes[table] = self._count(table)
            return
        wanted = ["id", *refs, *(["row_id"] if table == "citation" else [])]
        wanted += [c for c in ("is_synthetic", "confidentiality") if c in columns]
        if names:
            wanted += ["name", "pseudonym", "aliases", "id_number"]
            # Only flagged and confidential people can be hidden or renamed: read just those.
            flags.append(columns.confidentiality == "confidential")
        stmt = select(*(_as_read(columns[c]) for c in wanted)).order_by(columns.id)
        if not (live or refs or table == "citation"):
            stmt = stmt.where(or_(*flags))
            total = self._count(table)
        else:
            total = None
        hidden_here = self.hidden[table]
        decide = _hider(table, refs, self.hidden, options, wanted)
        id_at = wanted.index("id")
        seen = 0
        result = self.conn.execute(stmt.execution_options(yield_per=_BATCH))
        for part in result.partitions():
            for record in part:
                verdict = decide(record)
                if verdict is _HIDE:
                    hidden_here.add(record[id_at])
                    if names:
                        person = dict(zip(wanted, record, strict=True))
                        withheld[person["name"]] = t("privacy.name_withheld")
                        confidential.append({**person, "confidentiality": "restricted"})
                elif verdict is _UNLINK:
                    self.unlinked.add(record[id_at])
                elif names and record[wanted.index("confidentiality")] == "confidential":
                    confidential.append(dict(zip(wanted, record, strict=True)))
            seen += len(part)
        self._sizes[table] = (seen if total is None else total) - len(hidden_here)

    def _count(self, table: str) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(SQLModel.metadata.tables[table])
            ).scalar_one()
        )

    def finisher(self, table: str) -> Callable[[dict[str, Any]], None] | None:
        """What is done to a kept row of ``table`` (None: nothing): a hidden parent case's
        link dropped, a confidential person pseudonymized, real names taken out of text."""
        columns = SQLModel.metadata.tables[table].c
        scrub = self.scrub
        text = sorted(TEXT_COLUMNS & set(columns.keys())) if scrub else []
        pseudonymize = table == "actor" and not self.options.show_confidential
        # A restricted source keeps only its label, reliability and dates for a viewer.
        withhold_sources = table == "source" and not self.options.show_confidential
        if not (text or pseudonymize or withhold_sources):
            return None

        def finish(row: dict[str, Any]) -> None:
            if withhold_sources and row.get("restricted"):
                row.update(shown_source(row, show_confidential=False, lang=self.options.lang))
            if pseudonymize and row.get("confidentiality") == "confidential":
                shown = display_name(
                    row["name"], row["pseudonym"], row["confidentiality"], show_confidential=False
                )
                row.update(_WITHHELD_FIELDS, name=shown)
            for column in text:
                if column in row:
                    row[column] = scrub.value(row[column])

        return finish

    def batches(
        self,
        table: str,
        uuids: _UUIDs | None = None,
        *,
        ids_as_text: bool = False,
        order_by: Iterable[str] = ("id",),
    ) -> Iterator[list[dict[str, Any]]]:
        """The rows out of ``table``, in id order, a list of up to a few thousand at a time.

        ``order_by`` (columns) sorts them otherwise, for readers that take several tables
        side by side (a case with its hearings): such a table is decided first, in id order.

        Columns the services manage (version, timestamps) are left out. Rows come back from
        the database as plain tuples and become dicts here (cheaper than SQLAlchemy's row
        mappings). UUID columns are read as text and turned into ``uuid.UUID`` once per
        distinct value within a batch, or within ``uuids`` when given (read_rows shares one);
        with ``ids_as_text``, into their text form instead ("8a0c...-..."; what files show).

        A table not decided yet (no table read so far needed its hidden ids) is decided as it
        is read, by the same rules in the same order as :meth:`sizes` would.
        """
        table_ = SQLModel.metadata.tables[table]
        columns = [c for c in table_.columns if c.name not in MANAGED]
        names = [c.name for c in columns]
        uuid_at = [i for i, c in enumerate(columns) if isinstance(c.type, Uuid)]
        id_at = names.index("id")
        order = tuple(order_by)
        if order != ("id",):
            self._decide(table)
        live = table not in self._sizes
        if live:
            for other in _depends(table):
                self._decide(other)
            decide = _hider(table, _references(table), self.hidden, self.options, names)
        hidden = self.hidden[table]
        unlinked = self.unlinked if table == "court_case" else set()
        finish = self.finisher(table)
        stmt = select(*(_as_read(c) for c in columns)).order_by(*(table_.c[c] for c in order))
        result = self.conn.execute(stmt.execution_options(yield_per=_BATCH))
        kept = 0
        for part in result.partitions():
            if ids_as_text:
                known: dict[Any, Any] = _UUIDTexts()
            else:
                known = _UUIDs() if uuids is None else uuids
            rows = []
            for record in part:
                raw_id = record[id_at]
                if live:
                    verdict = decide(record)
                    if verdict is _HIDE:
                        hidden.add(raw_id)
                        continue
                    if verdict is _UNLINK:
                        unlinked.add(raw_id)
                elif hidden and raw_id in hidden:
                    continue
                if uuid_at:
                    values = list(record)
                    for i in uuid_at:
                        values[i] = known[values[i]]
                    row = dict(zip(names, values, strict=True))
                else:
                    row = dict(zip(names, record, strict=True))
                if unlinked and raw_id in unlinked:
                    row["parent_case_id"] = None  # the case stays; the link to a hidden one goes
                if finish is not None:
                    finish(row)
                rows.append(row)
            kept += len(rows)
            if self._progress is not None:
                self._done += len(rows)
                self._progress(self._done, self._total)
            if rows:
                yield rows
        if live:
            self._sizes[table] = kept  # decided: read to the end

    def charges(
        self, case_columns: Iterable[str], person_columns: Iterable[str]
    ) -> Iterator[
        tuple[dict[str, Any], dict[str, Any], str | None, dict[str, Any], list[dict[str, Any]]]
    ]:
        """Each charge out, in id order, with what the charge_rows table shows of it.

        (charge, its case, the case's court name, the defendant, the complainants in link
        order): the charge as :meth:`batches` gives it; its case and defendant likewise but
        with only ``case_columns`` and ``person_columns`` (and what privacy needs to judge
        them); a complainant as the actor's ``name`` (pseudonym when confidential) and
        ``complainant_category``.

        A case has many charges, in no order of cases: what is shown of every case and of
        every person charged or complaining is read once, narrowly, and held while the
        charges stream (at scale L some 100,000 cases and 300,000 people, against 1 million
        charges); the complainant links are read for each batch of charges.
        """
        for decided in ("court_case", "actor", "court"):
            self._decide(decided)
        md = SQLModel.metadata.tables
        charge, link, actor = md["charge"], md["charge_complainant"], md["actor"]
        courts = {row["id"]: row["name"] for row in self._narrow("court", ["id", "name"])}
        # What the finishers read to pseudonymize and scrub: never left to the caller.
        case_names = list(dict.fromkeys(["id", "court_id", *case_columns]))
        person_names = list(
            dict.fromkeys(["id", "confidentiality", "name", "pseudonym", *person_columns])
        )
        cases = {
            row["id"]: (row, courts.get(row["court_id"]))
            for row in self._narrow("court_case", case_names)
        }
        charged = actor.c.id.in_(select(charge.c.defendant_id))
        people = {row["id"]: row for row in self._narrow("actor", person_names, charged)}
        complaining = actor.c.id.in_(select(link.c.actor_id))
        complainant_names = ["id", "confidentiality", "name", "pseudonym", "complainant_category"]
        complainants = {
            row["id"]: {"name": row["name"], "complainant_category": row["complainant_category"]}
            for row in self._narrow("actor", complainant_names, complaining)
        }
        link_names = [c for c in ("id", "charge_id", "actor_id", "is_synthetic") if c in link.c]
        # Links of charges out are judged here by the link table's rule; the link table
        # itself is decided when it is read (links of hidden charges are never read here).
        decide_link = _hider(
            "charge_complainant",
            _references("charge_complainant"),
            self.hidden,
            self.options,
            link_names,
        )
        linked = select(*(_as_read(link.c[n]) for n in link_names)).order_by(link.c.id)
        for batch in self.batches("charge"):
            known = _UUIDs()
            who: dict[Any, list[dict[str, Any]]] = {}
            for record in self.conn.execute(
                linked.where(link.c.charge_id.in_([row["id"] for row in batch]))
            ):
                if decide_link(record) is not _HIDE:
                    who.setdefault(known[record[1]], []).append(complainants[known[record[2]]])
            for row in batch:
                case, court = cases[row["case_id"]]
                yield row, case, court, people[row["defendant_id"]], who.get(row["id"], [])

    def _narrow(
        self, table: str, names: list[str], where: ColumnElement[bool] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows out of a decided ``table`` with only the columns ``names`` (and ``where``),
        finished as :meth:`batches` finishes them, ids as ``uuid.UUID`` shared throughout."""
        columns = SQLModel.metadata.tables[table].c
        hidden = self.hidden[table]
        finish = self.finisher(table)
        uuid_at = [i for i, n in enumerate(names) if isinstance(columns[n].type, Uuid)]
        id_at = names.index("id")
        stmt = select(*(_as_read(columns[n]) for n in names)).order_by(columns.id)
        if where is not None:
            stmt = stmt.where(where)
        known = _UUIDs()
        result = self.conn.execute(stmt.execution_options(yield_per=_BATCH))
        for part in result.partitions():
            for record in part:
                if hidden and record[id_at] in hidden:
                    continue
                values = list(record)
                for i in uuid_at:
                    values[i] = known[values[i]]
                row = dict(zip(names, values, strict=True))
                if finish is not None:
                    finish(row)
                yield row


_BATCH = 5000


class _UUIDTexts(dict[Any, Any]):
    """Stored UUID -> its text form, as str(uuid.UUID) writes it, without making the UUID."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, raw: Any) -> str:
        if type(raw) is str and len(raw) == 32:  # SQLite's form: 32 hex digits
            h = raw.lower()
            text = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        else:
            text = str(raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw))
        self[raw] = text
        return text


class _UUIDs(dict[Any, Any]):
    """Stored UUID (text on SQLite, already a UUID on PostgreSQL) -> one shared uuid.UUID."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, raw: Any) -> uuid.UUID:
        parsed = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        self[raw] = parsed
        return parsed


_KEEP, _HIDE, _UNLINK = "keep", "hide", "unlink"


def _hider(
    table: str,
    refs: dict[str, str],
    hidden: dict[str, set[Any]],
    options: ExportOptions,
    columns: list[str],
) -> Callable[[Sequence[Any]], str]:
    """The test deciding whether a row of ``table`` is left out: _HIDE, _KEEP, or _UNLINK
    (kept without its link to a hidden parent case).

    Rows are tuples of ``columns``. A synthetic row (with include_synthetic off), a restricted
    person or case (unless show_confidential), a row referring to a hidden one, and a citation
    of a hidden row are left out. What depends only on the table is decided once. The sets in
    ``hidden`` are the live ones: a table referring to itself (a case's parent case) sees the
    rows hidden so far.
    """
    at = {name: i for i, name in enumerate(columns)}
    synthetic_at = at.get("is_synthetic") if not options.include_synthetic else None
    restricted = not options.show_confidential and table in ("actor", "court_case")
    restricted_at = at.get("confidentiality") if restricted else None
    if table == "citation":
        every = list(hidden.values())
        row_id_at = at["row_id"]

        def hide_citation(row: Sequence[Any]) -> str:
            if synthetic_at is not None and row[synthetic_at]:
                return _HIDE
            if restricted_at is not None and row[restricted_at] == "restricted":
                return _HIDE
            row_id = row[row_id_at]
            return _HIDE if any(row_id in ids for ids in every) else _KEEP

        return hide_citation
    checks = [
        (at[column], hidden[target], column == "parent_case_id") for column, target in refs.items()
    ]

    def hide(row: Sequence[Any]) -> str:
        if synthetic_at is not None and row[synthetic_at]:
            return _HIDE
        if restricted_at is not None and row[restricted_at] == "restricted":
            return _HIDE
        verdict = _KEEP
        for i, ids, parent in checks:
            if ids:
                value = row[i]
                if value is not None and value in ids:
                    if parent:
                        verdict = _UNLINK  # the case stays; the link to a hidden one goes
                        continue
                    return _HIDE
        return verdict

    return hide


def uuid_texts() -> dict[Any, Any]:
    """A map of stored UUIDs (as :func:`as_read` gives them) to their text form."""
    return _UUIDTexts()


def as_read(column: Any) -> Any:
    """A column as exports select it (UUIDs as the database stores them, see _as_read)."""
    return _as_read(column)


def _as_read(column: Any) -> Any:
    """A column as selected: UUIDs as text (parsed by _UUIDs, or compared as they come)."""
    return (
        type_coerce(column, String).label(column.name) if isinstance(column.type, Uuid) else column
    )


def _scrubber(
    withheld: dict[str, str], confidential: list[dict[str, Any]], public: list[str]
) -> Redactor:
    """The redactor of this export (tracker.privacy): confidential people's names, partial
    forms, aliases and ID numbers -> pseudonym; people left out (restricted, or synthetic
    when those are left out) -> "name withheld"."""
    del withheld  # their rows are among ``confidential``, marked restricted
    return Redactor(confidential, public)


def _depends(table: str) -> list[str]:
    """The tables whose hidden rows decide which rows of ``table`` are hidden."""
    if table == "citation":
        return [t for t in TABLES if t != "citation"]
    return [t for t in dict.fromkeys(_references(table).values()) if t != table]


def _closure(wanted: list[str]) -> list[str]:
    """The tables to read: the wanted ones, those they refer to, and actors and cases
    (whose visibility decides what else is hidden)."""
    needed = {*wanted, "actor", "court_case"}
    if "citation" in needed:
        needed.update(TABLES)
    while True:
        more = {target for table in needed for target in _references(table).values()}
        if more <= needed:
            return [t for t in TABLES if t in needed]
        needed |= more
