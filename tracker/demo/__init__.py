"""Deterministic synthetic data for demos and load tests (every row has is_synthetic = True).

``generate(engine, scale="M", seed=42)`` writes actors, courts and cases with their parties,
charges, hearings, measures and court events, shaped like the documented prosecutions of
defenders in Peru: a few complainants bring most cases, mass prosecutions follow protests,
charges are stacked, proceedings drag on for years and mostly end without a conviction.

One ``random.Random(seed)`` drives everything, ids included, and "today" is REFERENCE_DATE, so a
seed and a scale give the same rows on any day and on SQLite and PostgreSQL alike.

The modules, in the order a generator class builds on them:

- :mod:`.names`: the word lists and weights (plain data);
- :mod:`.plan`: the constants, the scales and the random stream with its small draws;
- :mod:`.writer`: the bulk writer (plain dicts, Core executemany, parents first);
- :mod:`.people`: people and organizations, and the courts;
- :mod:`.proceedings`: the simulated proceedings, with hearings, measures and stage changes;
- :mod:`.cases`: cases with their parties and charges.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import revision
from ..models import utcnow
from .cases import Cases
from .plan import (
    CATEGORIES,
    CHARGES,
    CONVICTIONS,
    DISTRICTS,
    HORIZON,
    LIABILITY,
    MASS_SHARE,
    MAX_CHARGES,
    MEAN_DEFENDANTS,
    POSTPONED,
    REASONS,
    REF,
    REFERENCE_DATE,
    REGIONS,
    RIGHTS,
    ROLES,
    SCALES,
    STAMP,
    YEARS,
    ScaleSpec,
    Weighted,
)
from .writer import SQLITE_CACHE_KB, TABLE_NAMES

__all__ = [
    "CATEGORIES",
    "CHARGES",
    "CONVICTIONS",
    "DISTRICTS",
    "HORIZON",
    "LIABILITY",
    "MASS_SHARE",
    "MAX_CHARGES",
    "MEAN_DEFENDANTS",
    "POSTPONED",
    "REASONS",
    "REF",
    "REFERENCE_DATE",
    "REGIONS",
    "RIGHTS",
    "ROLES",
    "SCALES",
    "SQLITE_CACHE_KB",
    "STAMP",
    "TABLE_NAMES",
    "YEARS",
    "ScaleSpec",
    "Weighted",
    "generate",
]


def generate(
    engine: Engine,
    *,
    scale: str = "S",
    seed: int = 42,
    batch_size: int = 5000,
) -> dict[str, int]:
    """Write a synthetic data set; return the number of rows written per table name.

    ``scale`` is a key of SCALES; the same ``seed`` and ``scale`` give identical rows, ids
    included, whatever ``batch_size`` (rows buffered between two rounds of inserts). It all
    happens in one transaction. The database must not already hold rows of the same seed.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    spec = SCALES[scale]
    with engine.begin() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # each row touches several indexes (ids, foreign keys): give them a big cache
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        gen = Cases(spec, seed, conn, batch_size)
        gen.actors()
        gen.courts()
        for seq in range(1, spec.cases + 1):
            gen.case(seq)
            gen.out.flush()
        gen.out.flush(force=True)
        counts = dict(gen.out.counts)
        # Unlike the data, the audit row records when the load really happened.
        conn.execute(
            SQLModel.metadata.tables["audit_log"].insert(),
            [
                {
                    "id": gen.uid(),
                    "at": utcnow(),
                    "username": "demo",
                    "table_name": "*",
                    "row_id": None,
                    "action": "bulk_load",
                    "changes": {"scale": scale, "seed": seed, "rows": counts},
                }
            ],
        )
        revision.bump(conn)  # Core inserts pass no ORM hook: caches must see the new rows
        if sqlite:  # the connection goes back to the pool: leave it as it was
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache or 0)}")
    return counts | {"audit_log": 1}
