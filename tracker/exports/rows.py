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

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from operator import itemgetter
from typing import IO, Any

from sqlalchemy import Uuid, func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from ..gc_pause import without_gc
from ..privacy import NO_REDACTION, Redactor, public_people
from ..tabular import MANAGED, TABLES
from . import ExportOptions
from .fetch import convert_columns, convert_row, fetch, kept_batches, kept_while_read, read_cache
from .filtered import filtered_out
from .finishing import Finisher, finisher
from .row_rules import HIDE, TEXT_COLUMNS, UNLINK, closure, depends, hider, references, sifter
from .stored_ids import UUIDs, UUIDTexts, as_read, uuid_text_column, uuid_texts

__all__ = [
    "MANAGED",
    "TABLES",
    "TEXT_COLUMNS",
    "ExportReader",
    "as_read",
    "read_rows",
    "uuid_texts",
]


_BATCH = 5000  # rows a read holds at a time
# The most id texts a read keeps for its reference columns (ExportReader.columns).
_TEXTS_KEPT = 100_000


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
    with engine.connect() as conn, read_cache(conn):
        reader = ExportReader(conn, options, tables)
        uuids = UUIDs()
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
        self.needed = closure(self.wanted)
        # Ids as the database gives them (text on SQLite), so the pass parses no UUID.
        self.hidden: dict[str, set[Any]] = {t: set() for t in TABLES}
        self.unlinked: set[Any] = set()  # cases whose parent case is hidden
        self._sizes: dict[str, int] = {}  # rows out, of the tables decided so far
        # Cases, charges and complainant links outside the export's filters.
        self.excluded = filtered_out(conn, options.filters, options.show_confidential)
        self._progress: Callable[[int, int], None] | None = None
        self._done = self._total = 0
        self._confidential: list[dict[str, Any]] = []
        # Tables the caller reads twice (keep_for_rereading), and the first reads, kept.
        self._rereads: set[str] = set()
        self._kept: dict[tuple[Any, ...], IO[bytes]] = {}
        # People first: their names are taken out of the text of every table.
        self._decide("actor")
        # The redactor of this export (tracker.privacy): confidential people's names, partial
        # forms, aliases and ID numbers -> pseudonym; people left out -> "name withheld".
        self.scrub: Redactor = (
            NO_REDACTION
            if options.show_confidential
            else Redactor(self._confidential, public_people(conn, self._confidential))
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

    def keep_for_rereading(self, table: str) -> None:
        """The caller reads ``table`` twice through :meth:`columns` with the same arguments
        (the charges for charge_rows, then the charge table): the first read's batches are
        kept in a temporary file as they are given, and the second gives them from there
        (a third reads the database again). Unpickling a batch costs a third of reading and
        finishing it again; memory still holds one batch."""
        self._rereads.add(table)

    def sizes(self) -> dict[str, int]:
        """The number of rows out of each needed table (deciding those not read yet)."""
        for table in self.needed:
            self._decide(table)
        return {t: self._sizes[t] for t in self.needed}

    def upper_bounds(self) -> dict[str, int]:
        """At least the number of rows out of each needed table (its rows, or its rows out
        when decided), without deciding any."""
        return {t: self._sizes.get(t) or self._count(t) for t in self.needed}

    def _decide(self, table: str) -> None:
        """Make the hidden ids of ``table`` (and of the tables it refers to) known."""
        if table in self._sizes:
            return
        for other in depends(table):
            self._decide(other)
        self._survey(table, self._confidential)

    def _survey(self, table: str, confidential: list[dict[str, Any]]) -> None:
        """Hidden ids, unlinked cases and names of ``table``; its count of rows out."""
        options = self.options
        columns = SQLModel.metadata.tables[table].c
        refs = references(table)
        flags: list[ColumnElement[bool]] = []
        if not options.include_synthetic and "is_synthetic" in columns:
            flags.append(columns.is_synthetic.is_(True))
        if not options.show_confidential and table in ("actor", "court_case"):
            flags.append(columns.confidentiality == "restricted")
        others = [t for t in (TABLES if table == "citation" else refs.values()) if t != table]
        live = any(self.hidden[t] for t in others)
        names = not options.show_confidential and table == "actor"
        excluded = self.excluded.get(table, frozenset())
        if not (flags or live or names or excluded):
            # Nothing here can be left out (and a case's parent is never hidden).
            self._sizes[table] = self._count(table)
            return
        wanted = ["id", *refs, *(["row_id"] if table == "citation" else [])]
        wanted += [c for c in ("is_synthetic", "confidentiality") if c in columns]
        if names:
            wanted += ["name", "pseudonym", "aliases", "id_number"]
            # Only flagged and confidential people can be hidden or renamed: read just those.
            flags.append(columns.confidentiality == "confidential")
        stmt = select(*(as_read(columns[c]) for c in wanted)).order_by(columns.id)
        if not (live or refs or excluded or table == "citation"):
            stmt = stmt.where(or_(*flags))
            total = self._count(table)
        else:
            total = None
        hidden_here = self.hidden[table]
        decide = hider(table, refs, self.hidden, options, wanted, excluded)
        id_at = wanted.index("id")
        seen = 0
        # The rules read ids, codes and flags as stored (a flag's 0/1 is as true as a bool);
        # a person kept for the redactor is converted (aliases are JSON).
        parts, converters = fetch(self.conn, stmt, _BATCH)
        if not names:  # only ids to note: a batch at a time, as ExportReader.columns sifts
            sift = sifter(table, refs, self.hidden, options, wanted, excluded, self.unlinked)
            for part in parts:
                sift(part)
                seen += len(part)
            parts = iter(())
        for part in parts:
            for record in part:
                verdict = decide(record)
                if verdict is HIDE:
                    hidden_here.add(record[id_at])
                    person = dict(zip(wanted, convert_row(record, converters), strict=True))
                    confidential.append({**person, "confidentiality": "restricted"})
                elif verdict is UNLINK:
                    self.unlinked.add(record[id_at])
                elif record[wanted.index("confidentiality")] == "confidential":
                    confidential.append(
                        dict(zip(wanted, convert_row(record, converters), strict=True))
                    )
            seen += len(part)
        self._sizes[table] = (seen if total is None else total) - len(hidden_here)

    def _count(self, table: str) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(SQLModel.metadata.tables[table])
            ).scalar_one()
        )

    def finisher(self, table: str, names: list[str]) -> Finisher | None:
        """What is done to a batch of kept rows of ``table`` (columns ``names``), in place
        (None: nothing): a confidential person pseudonymized, real names taken out of the
        typed text (finishing)."""
        return finisher(table, names, self.options, self.scrub)

    @staticmethod
    def names(table: str) -> list[str]:
        """The columns of ``table`` an export reads (not those the services manage)."""
        return [c.name for c in SQLModel.metadata.tables[table].columns if c.name not in MANAGED]

    def batches(
        self,
        table: str,
        uuids: UUIDs | None = None,
        *,
        ids_as_text: bool = False,
        order_by: Iterable[str] = ("id",),
        dates_as_stored: Iterable[str] = (),
    ) -> Iterator[list[dict[str, Any]]]:
        """:meth:`columns`, each row as a dict of column -> value."""
        names = self.names(table)
        for columns in self.columns(
            table,
            uuids,
            ids_as_text=ids_as_text,
            order_by=order_by,
            dates_as_stored=dates_as_stored,
        ):
            yield [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]

    def columns(
        self,
        table: str,
        uuids: UUIDs | None = None,
        *,
        ids_as_text: bool = False,
        order_by: Iterable[str] = ("id",),
        dates_as_stored: Iterable[str] = (),
    ) -> Iterator[list[list[Any]]]:
        """The rows out of ``table``, in id order, up to a few thousand at a time, as one list
        per column (in the order of :meth:`names`).

        ``order_by`` (columns) sorts them otherwise, for readers that take several tables
        side by side (a case with its hearings): such a table is decided first, in id order.

        Columns the services manage (version, timestamps) are left out. A batch is turned
        column by column (ids, privacy), so the work per row is only the hiding rules. UUID
        columns are read as text and turned into ``uuid.UUID`` once per distinct value within
        a batch, or within ``uuids`` when given (read_rows shares one); with ``ids_as_text``,
        into their text form instead ("8a0c...-..."; what files show).

        A table not decided yet (no table read so far needed its hidden ids) is decided as it
        is read, by the same rules in the same order as :meth:`sizes` would.

        ``dates_as_stored`` names date columns that may stay as SQLite stores them
        (tracker.exports.fetch: "2017-03-06" for a ``date``), for a caller that writes them as
        that text: each value is either that text or the ``date`` (``datetime``) it stands for.

        A table the caller reads twice (:meth:`keep_for_rereading`) is read from the database
        once: the second read gives the first's batches again.
        """
        order, stored = tuple(order_by), tuple(dates_as_stored)
        read = self._columns(table, uuids, ids_as_text, order, stored)
        key = (table, ids_as_text, order, frozenset(stored))
        if uuids is not None or table not in self._rereads:
            yield from read
        elif key in self._kept:
            for batch in kept_batches(self._kept.pop(key)):
                self._count_read(len(batch[0]))
                yield batch
        else:
            yield from kept_while_read(read, partial(self._kept.__setitem__, key))

    def _count_read(self, rows: int) -> None:
        if self._progress is not None:
            self._done += rows
            self._progress(self._done, self._total)

    def _columns(
        self,
        table: str,
        uuids: UUIDs | None,
        ids_as_text: bool,
        order: tuple[str, ...],
        dates_as_stored: tuple[str, ...],
    ) -> Iterator[list[list[Any]]]:
        """What :meth:`columns` reads from the database."""
        table_ = SQLModel.metadata.tables[table]
        columns = [c for c in table_.columns if c.name not in MANAGED]
        names = [c.name for c in columns]
        uuid_at = [i for i, c in enumerate(columns) if isinstance(c.type, Uuid)]
        id_at = names.index("id")
        if order != ("id",):
            self._decide(table)
        live = table not in self._sizes
        if live:
            for other in depends(table):
                self._decide(other)
        hidden = self.hidden[table]
        unlinked = self.unlinked if table == "court_case" else set()
        if live:
            sift = sifter(
                table,
                references(table),
                self.hidden,
                self.options,
                names,
                self.excluded.get(table, frozenset()),
                unlinked,
            )
        finish = self.finisher(table, names)
        stmt = select(*(as_read(c) for c in columns)).order_by(*(table_.c[c] for c in order))
        parts, converters = fetch(self.conn, stmt, _BATCH, dates_as_stored)
        # The text of the ids a reference column repeats (a case's on each of its hearings),
        # made once: a look-up costs a sixth of cutting the text again. Bounded, so a read
        # of any size holds a few megabytes of them.
        texts = UUIDTexts()
        kept = 0
        for part in parts:
            if live:
                rows = sift(part)
            elif hidden and not hidden.isdisjoint(map(itemgetter(id_at), part)):
                rows = [record for record in part if record[id_at] not in hidden]
            else:
                rows = part
            if not rows:
                continue
            batch = [list(column) for column in zip(*rows, strict=True)]
            convert_columns(batch, converters)
            if unlinked:
                # The case stays; the link to a hidden parent case goes.
                parents = batch[names.index("parent_case_id")]
                for k, raw_id in enumerate(batch[id_at]):
                    if raw_id in unlinked:
                        parents[k] = None
            if ids_as_text:
                if len(texts) > _TEXTS_KEPT:
                    texts = UUIDTexts()
                for i in uuid_at:
                    batch[i] = (
                        uuid_text_column(batch[i])
                        if i == id_at
                        else list(map(texts.__getitem__, batch[i]))
                    )
            elif uuid_at:
                look_up = (UUIDs() if uuids is None else uuids).__getitem__
                for i in uuid_at:
                    batch[i] = list(map(look_up, batch[i]))
            if finish is not None:
                finish(batch)
            kept += len(rows)
            self._count_read(len(rows))
            yield batch
        if live:
            self._sizes[table] = kept  # decided: read to the end

    def charges(
        self,
        case_columns: Iterable[str],
        person_columns: Iterable[str],
        charge_dates: Iterable[str] = (),
    ) -> tuple[
        dict[str, dict[str, Any]],
        dict[str, dict[str, Any]],
        Iterator[tuple[list[list[Any]], dict[str, list[dict[str, Any]]]]],
    ]:
        """What the charge_rows table shows: (cases, defendants, charge batches).

        Cases (id -> the case with ``case_columns`` and ``court``, its court's name) and the
        people charged (id -> ``person_columns``) are read once, narrowly, finished as
        :meth:`columns` finishes them, and held while the charges stream (at scale L some
        100,000 cases and 300,000 people, against 1 million charges). Each charge batch is
        :meth:`columns` of ``charge`` (ids as text) with the complainants of each charge
        (charge id -> the actors' ``name``, pseudonym when confidential, and
        ``complainant_category``, in link order), read alongside from the links in charge
        order: no query per batch. ``charge_dates``: the charge's ``dates_as_stored``.
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
        cases = {}
        for row in self._narrow("court_case", case_names):
            row["court"] = courts.get(row["court_id"])
            cases[row["id"]] = row
        charged = actor.c.id.in_(select(charge.c.defendant_id))
        people = {row["id"]: row for row in self._narrow("actor", person_names, charged)}
        return cases, people, self._charges_with_complainants(link, actor, tuple(charge_dates))

    def _charges_with_complainants(
        self, link: Any, actor: Any, charge_dates: tuple[str, ...]
    ) -> Iterator[tuple[list[list[Any]], dict[str, list[dict[str, Any]]]]]:
        complaining = actor.c.id.in_(select(link.c.actor_id))
        complainant_names = ["id", "confidentiality", "name", "pseudonym", "complainant_category"]
        complainants = {
            row["id"]: {"name": row["name"], "complainant_category": row["complainant_category"]}
            for row in self._narrow("actor", complainant_names, complaining)
        }
        link_names = [c for c in ("id", "charge_id", "actor_id", "is_synthetic") if c in link.c]
        # Links of charges out are judged here by the link table's rule; the link table
        # itself is decided when it is read (links of hidden charges are never joined).
        decide_link = hider(
            "charge_complainant",
            references("charge_complainant"),
            self.hidden,
            self.options,
            link_names,
            self.excluded.get("charge_complainant", frozenset()),
        )
        stmt = select(*(as_read(link.c[n]) for n in link_names)).order_by(
            link.c.charge_id, link.c.id
        )
        texts = UUIDTexts()
        id_at = self.names("charge").index("id")
        # Ids and the flag as stored: only compared, and judged by the rule (a 0/1 flag is as
        # true as a bool).
        parts, _ = fetch(self.conn, stmt, _BATCH)
        links = (link for part in parts for link in part)
        pending = next(links, None)
        for batch in self.columns("charge", ids_as_text=True, dates_as_stored=charge_dates):
            # Charges and links both come in charge id order (text ids sort as stored ids).
            last = batch[id_at][-1]
            who: dict[str, list[dict[str, Any]]] = {}
            while pending is not None and texts[pending[1]] <= last:
                if decide_link(pending) is not HIDE:
                    who.setdefault(texts[pending[1]], []).append(complainants[texts[pending[2]]])
                pending = next(links, None)
            yield batch, who

    def _narrow(
        self, table: str, names: list[str], where: ColumnElement[bool] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows out of a decided ``table`` with only the columns ``names`` (and ``where``),
        finished as :meth:`columns` finishes them, ids as text."""
        columns = SQLModel.metadata.tables[table].c
        hidden = self.hidden[table]
        finish = self.finisher(table, names)
        uuid_at = [i for i, n in enumerate(names) if isinstance(columns[n].type, Uuid)]
        id_at = names.index("id")
        stmt = select(*(as_read(columns[n]) for n in names)).order_by(columns.id)
        if where is not None:
            stmt = stmt.where(where)
        parts, converters = fetch(self.conn, stmt, _BATCH)
        for part in parts:
            rows = [r for r in part if r[id_at] not in hidden] if hidden else part
            if not rows:
                continue
            batch = [list(column) for column in zip(*rows, strict=True)]
            convert_columns(batch, converters)
            for i in uuid_at:
                batch[i] = uuid_text_column(batch[i])
            if finish is not None:
                finish(batch)
            for row in zip(*batch, strict=True):
                yield dict(zip(names, row, strict=True))
