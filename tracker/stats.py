"""Row counts per table, in one SQL statement."""

from __future__ import annotations

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)


def row_counts(engine: Engine) -> dict[str, int]:
    """Number of rows in every tracker table, by table name, in name order."""
    tables = sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name)
    query = union_all(
        *(
            select(literal(t.name).label("name"), func.count().label("n")).select_from(t)
            for t in tables
        )
    )
    with engine.connect() as conn:
        counts = {name: int(n) for name, n in conn.execute(query)}
    return {t.name: counts.get(t.name, 0) for t in tables}
