"""tracker.db.analysis_pragmas: on SQLite, one analysis statement gets a large page cache,
temporary B-trees in memory and (if asked) memory-mapped reads, and the connection gets its
own settings back afterwards."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tracker import db


def _pragmas(conn) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return tuple(  # type: ignore[return-value]
        int(conn.exec_driver_sql(f"PRAGMA {n}").scalar())
        for n in ("cache_size", "temp_store", "mmap_size")
    )


def test_set_for_the_statement_and_restored(engine: Engine) -> None:
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with db.analysis_pragmas(conn, mapped=True):
                assert conn.exec_driver_sql("SELECT 1").scalar() == 1  # nothing set elsewhere
            return
        before = _pragmas(conn)
        with db.analysis_pragmas(conn, mapped=True):
            assert _pragmas(conn) == (-262144, 2, 0x7FFF0000)
        assert _pragmas(conn) == before
        with db.analysis_pragmas(conn):
            assert _pragmas(conn) == (-262144, 2, before[2])
        assert _pragmas(conn) == before
