"""Engine, sessions and schema migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Uuid, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from . import config, search_index
from .models.analysis import ANALYSIS_TABLES
from .permissions import Principal

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = config.ROOT / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: the configured database).

    SQLite gets foreign keys on every connection, WAL (readers do not block the writer) and a
    busy timeout so that two app sessions writing at once wait instead of failing.
    """
    url = url or config.database_url()
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set the per-connection SQLite pragmas (foreign_keys is a no-op inside a transaction)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic configuration pointing at migrations/ and, when given, at ``engine``."""
    # Alembic is imported where a migration is read or run: importing it took 0.26 s of
    # every command line start (the indicators, exports) that never migrates.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the latest schema (creates it when empty)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    search_index.ensure(engine)


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Alembic's filter: the search index (tracker.search_index) and the derived analysis
    tables (tracker.models.analysis) live outside the models."""
    if type_ == "table" and name in ANALYSIS_TABLES:
        return False
    return not (type_ in ("table", "index") and search_index.is_search_object(name))


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_empty(engine: Engine) -> bool:
    """True when the database has no tracker tables yet."""
    return not inspect(engine).has_table("court_case")


@contextmanager
def unit_of_work(engine: Engine, principal: Principal) -> Iterator[Session]:
    """A session for one transaction by ``principal``: commit on success, roll back on error.

    The principal travels in ``session.info``: the services check its role, and the audit
    hook records its username with each change.
    """
    from . import audit, revision  # noqa: F401  (register the flush hooks before any flush)

    info = {"principal": principal, "user": principal.username}
    with Session(engine, info=info) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# Page cache for bulk writes into SQLite: random UUID keys touch index pages everywhere, and
# with SQLite's default 2 MB cache every insert rereads pages (imports slow down as they grow).
BULK_CACHE_KB = 256 * 1024


@contextmanager
def sqlite_cache(connection: Any, kilobytes: int) -> Iterator[None]:
    """On SQLite, a page cache of ``kilobytes`` on ``connection``; restored afterwards (the
    connection goes back to the pool). Other databases are left alone.

    The cache grows only as pages are read, so a large limit costs nothing for small work.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{kilobytes}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or 0)}")


def bulk_write_cache(connection: Any) -> Any:
    """On SQLite, a large page cache on ``connection`` for a bulk write (:func:`sqlite_cache`
    of :data:`BULK_CACHE_KB`)."""
    return sqlite_cache(connection, BULK_CACHE_KB)


# While one analysis statement runs on SQLite: room to sort in memory, and reads through a
# memory map. SQLite's sorter spills to temporary files beyond the page cache (2 MB by
# default), and at scale L the GROUP BYs sort a million rows; the map spares a read() call
# and a copy per page (13 % of the Network first view's CPU at L). Both only grow as pages are
# used, so small databases use no more memory; mapped pages are the file's own cache.
ANALYSIS_CACHE_KB = 256 * 1024
ANALYSIS_MMAP_BYTES = 0x7FFF0000  # SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE), about 2 GB


@contextmanager
def analysis_pragmas(connection: Any, *, mapped: bool = False) -> Iterator[None]:
    """On SQLite, a large page cache and temporary B-trees in memory on ``connection`` for one
    analysis statement, and memory-mapped reads if ``mapped``; restored afterwards. Others
    are left alone. (Mapped pages count in the process's resident size: reading a whole
    large file so shows as gigabytes, though the pages are the file's shared cache.)"""
    if connection.dialect.name != "sqlite":
        yield
        return
    names = ("cache_size", "temp_store", "mmap_size")
    before = {n: connection.exec_driver_sql(f"PRAGMA {n}").scalar() for n in names}
    connection.exec_driver_sql(f"PRAGMA cache_size=-{ANALYSIS_CACHE_KB}")
    connection.exec_driver_sql("PRAGMA temp_store=MEMORY")
    if mapped:
        connection.exec_driver_sql(f"PRAGMA mmap_size={ANALYSIS_MMAP_BYTES}")
    try:
        yield
    finally:
        for name in names:
            connection.exec_driver_sql(f"PRAGMA {name}={int(before[name] or 0)}")


def insert_many(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts holding every column of ``table``) with the driver's executemany.

    Each value goes through its column type's own bind processor, exactly as a Core insert
    would convert it; what is skipped is SQLAlchemy's per-row statement machinery, which costs
    more than SQLite's insert itself when an import writes hundreds of thousands of rows.
    """
    dialect = connection.dialect
    if not rows:
        return
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
        connection.execute(table.insert(), rows)
        return
    columns = list(table.columns)
    names = [c.name for c in columns]
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    quote = dialect.identifier_preparer
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote.format_table(table)} "
        f"({', '.join(quote.format_column(c) for c in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    # Column by column: one comprehension per column and one map() per converted column are
    # C loops; a Python loop per row and per value cost twice as much at 300,000 rows.
    data = [[row[name] for row in rows] for name in names]
    for i, process in enumerate(processors):
        if process is None:
            continue
        if _hex_uuid(columns[i].type, dialect):
            # What the type's own processor does (UUID -> 32 hex digits), without two Python
            # calls per value: the ids and foreign keys are a third of an import's values.
            data[i] = [None if v is None else v.hex for v in data[i]]
        else:
            data[i] = list(map(_repeat_aware(process), data[i]))
    connection.exec_driver_sql(sql, list(zip(*data, strict=True)))


def _hex_uuid(kind: Any, dialect: Any) -> bool:
    """Whether ``kind`` stores a uuid.UUID as the 32 hex digits of a CHAR(32) column."""
    return (
        type(kind) is Uuid
        and kind.as_uuid
        and not (dialect.supports_native_uuid and kind.native_uuid)
    )


def _repeat_aware(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process``, answering at once when a value is the very object it just converted.

    A bulk write stamps every row with the same time object; converting it once is enough.
    """
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return convert
