"""The search index's schema, kept current by the database itself on every write.

Writes reach the database by the ORM (services), by Core bulk inserts (imports, the demo
generator, restores) and by migrations, so the index is maintained where all of them pass:

- **SQLite**: an FTS5 table (``search_fts``, tokenizer ``unicode61 remove_diacritics 2``, so
  "maxima acuna" matches "Máxima Acuña") filled by triggers on every indexed table;
  ``search_key`` maps each record id to its FTS row. Three columns: ``public`` (what a viewer
  may match), ``private`` (a confidential person's real name, aliases and id number) and
  ``extra`` (a confidential person's notes).
- **PostgreSQL**: no copy at all: GIN expression indexes over ``tracker_tsv(...)``, an
  immutable function that folds case and accents and makes a ``simple`` tsvector, so every
  committed row is searchable at once.

SQLite drops a table's triggers when a batch migration rebuilds the table; :func:`ensure`
(run after every upgrade) puts missing triggers back and rebuilds the index when it had to.
Nothing here is in the models' metadata: :func:`is_search_object` keeps Alembic's comparison
and the backups away from it (the triggers refill the index when a backup is restored).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

__all__ = ["INDEXED", "PG_EXPRESSIONS", "ensure", "install", "is_search_object", "uninstall"]

# COST 1000 on the functions: without it, on a table not yet analysed, the planner thinks
# computing tsvectors row by row is cheaper than the GIN index (seconds instead of ms).
# Lower-case accented letters folded on PostgreSQL (SQLite's tokenizer folds all of them).
_ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūñçýÿ"
_PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuuncyy"


@dataclass(frozen=True)
class Indexed:
    """One indexed table: the SQL of its public and private text, ``{r}`` being the row."""

    table: str
    kind: str
    public: str
    private: str = "''"
    extra: str = "''"

    def texts(self, row: str) -> tuple[str, str, str]:
        """(public, private, extra) SQL for the row alias ``row`` ("new", a table name)."""
        return (
            self.public.format(r=row),
            self.private.format(r=row),
            self.extra.format(r=row),
        )


def _joined(*parts: str) -> str:
    return " || ' ' || ".join(f"coalesce({p}, '')" for p in parts)


_CONFIDENTIAL = "{r}.confidentiality = 'confidential'"
_ACTOR_NAMES = _joined("{r}.name", "{r}.id_number", "{r}.aliases")
_ACTOR_TEXT = _joined("{r}.name", "{r}.id_number", "{r}.aliases", "{r}.description")

INDEXED = (
    Indexed(
        "actor",
        "actor",
        public=f"CASE WHEN {_CONFIDENTIAL} THEN coalesce({{r}}.pseudonym, '') "
        f"ELSE {_ACTOR_TEXT} END",
        private=f"CASE WHEN {_CONFIDENTIAL} THEN {_ACTOR_NAMES} ELSE '' END",
        extra=f"CASE WHEN {_CONFIDENTIAL} THEN coalesce({{r}}.description, '') ELSE '' END",
    ),
    Indexed("court_case", "case", _joined("{r}.case_number", "{r}.title", "{r}.summary")),
    Indexed("court", "court", _joined("{r}.name", "{r}.judicial_district")),
    Indexed("source", "source", _joined("{r}.key", "{r}.title", "{r}.publisher", "{r}.notes")),
    Indexed(
        "document",
        "document",
        _joined(
            "{r}.filename",
            "{r}.description",
            "(SELECT b.text FROM document_blob b WHERE b.sha256 = {r}.sha256)",
        ),
    ),
)

# PostgreSQL: the indexed expressions, written exactly so in the queries (tracker.search) so
# that the planner uses the GIN indexes. "all" is what editors match, "public" what viewers do.
_PG_PUBLIC_ACTOR = ", ".join(
    f"CASE WHEN confidentiality = 'confidential' THEN NULL ELSE {col} END"
    for col in ("name", "id_number", "aliases::text", "description")
)
PG_EXPRESSIONS: dict[tuple[str, str], str] = {
    ("actor", "all"): "tracker_tsv(name, pseudonym, id_number, aliases::text, description)",
    ("actor", "public"): "tracker_tsv(CASE WHEN confidentiality = 'confidential' THEN pseudonym "
    f"END, {_PG_PUBLIC_ACTOR})",
    ("court_case", "all"): "tracker_tsv(case_number, title, summary)",
    ("court", "all"): "tracker_tsv(name, judicial_district)",
    ("source", "all"): "tracker_tsv(key, title, publisher, notes)",
    ("document", "all"): "tracker_tsv(filename, description)",
    ("document_blob", "all"): "tracker_tsv(text)",
}

_PG_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION tracker_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS
    $$ SELECT regexp_replace(translate(lower(t), '{_ACCENTED}', '{_PLAIN}'),
                             '[^[:alnum:]]+', ' ', 'g') $$""",
    """CREATE OR REPLACE FUNCTION tracker_tsv(VARIADIC parts text[]) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS
    $$ SELECT to_tsvector('simple'::regconfig, tracker_fold(array_to_string(parts, ' '))) $$""",
)


def _pg_index_name(table: str, which: str) -> str:
    return f"search_{table}_{which}"


def is_search_object(name: str | None) -> bool:
    """True for the search index's own tables and indexes (not in the models' metadata)."""
    return bool(name) and str(name).startswith(("search_", "ix_search_"))


def install(conn: Connection) -> None:
    """Create the search index on ``conn``'s database and fill it from the rows already there."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS search_key ("
            "id INTEGER PRIMARY KEY, kind VARCHAR(20) NOT NULL, row_id CHAR(32) NOT NULL UNIQUE)"
        )
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING "
            "fts5(public, private, extra, tokenize = 'unicode61 remove_diacritics 2')"
        )
        _create_triggers(conn)
        _rebuild_sqlite(conn)
        return
    for statement in _PG_FUNCTIONS:
        conn.exec_driver_sql(statement)
    for (table, which), expression in PG_EXPRESSIONS.items():
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {_pg_index_name(table, which)} "
            f"ON {table} USING gin (({expression}))"
        )


def uninstall(conn: Connection) -> None:
    """Drop the search index (the migration's downgrade)."""
    if conn.dialect.name == "sqlite":
        for item in INDEXED:
            for event in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS search_{item.table}_{event}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS search_fts")
        conn.exec_driver_sql("DROP TABLE IF EXISTS search_key")
        return
    for table, which in PG_EXPRESSIONS:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {_pg_index_name(table, which)}")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tracker_tsv(text[])")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tracker_fold(text)")


def ensure(engine: Engine) -> None:
    """Put back SQLite triggers a migration dropped (rebuilding the index then); else nothing."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        have = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            )
        }
        if "search_fts" not in have:
            return  # a schema older than the search index
        wanted = {f"search_{i.table}_{e}" for i in INDEXED for e in ("insert", "update", "delete")}
        if wanted <= have:
            return
        _create_triggers(conn)
        _rebuild_sqlite(conn)


def _create_triggers(conn: Connection) -> None:
    for item in INDEXED:
        public, private, extra = item.texts("new")
        key = "(SELECT id FROM search_key WHERE row_id = {row}.id)"
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{item.table}_insert AFTER INSERT ON "
            f"{item.table} BEGIN "
            f"INSERT INTO search_key (kind, row_id) VALUES ('{item.kind}', new.id); "
            f"INSERT INTO search_fts (rowid, public, private, extra) "
            f"VALUES ({key.format(row='new')}, {public}, {private}, {extra}); END"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{item.table}_update AFTER UPDATE ON "
            f"{item.table} BEGIN "
            f"DELETE FROM search_fts WHERE rowid = {key.format(row='old')}; "
            f"INSERT INTO search_fts (rowid, public, private, extra) "
            f"VALUES ({key.format(row='new')}, {public}, {private}, {extra}); END"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{item.table}_delete AFTER DELETE ON "
            f"{item.table} BEGIN "
            f"DELETE FROM search_fts WHERE rowid = {key.format(row='old')}; "
            f"DELETE FROM search_key WHERE row_id = old.id; END"
        )


def _rebuild_sqlite(conn: Connection) -> None:
    """Fill the index from scratch with the rows of every indexed table."""
    conn.exec_driver_sql("DELETE FROM search_fts")
    conn.exec_driver_sql("DELETE FROM search_key")
    for item in INDEXED:
        public, private, extra = item.texts(item.table)
        conn.exec_driver_sql(
            f"INSERT INTO search_key (kind, row_id) SELECT '{item.kind}', id FROM {item.table}"
        )
        conn.exec_driver_sql(
            f"INSERT INTO search_fts (rowid, public, private, extra) "
            f"SELECT k.id, {public}, {private}, {extra} "
            f"FROM {item.table} JOIN search_key k ON k.row_id = {item.table}.id"
        )
