"""The sums of the charges and cases per data revision (migration 0013): derived, never edited.

The indicators counted in charges sum every charge per (defendant, case) and per
(complainant, defendant, case) before anything else, a pass over every charge and, per
complainant, its join to the complainant links: at scale L (a million charges) 6 of the 12 s
of every indicator, paid again on every read though the data had not changed.
tracker.analysis.revision_sums keeps those sums here, with each case's defendants and
complainants, made again in one INSERT…SELECT per table when the data revision
(:mod:`tracker.revision`) has moved on since they were made.

They hold ids and numbers only, of every charge whatever its confidentiality: every read
applies the viewer's visibility and the filters to their (defendant, case, complainant) ids,
as it does to the charges themselves. Backups leave them out (tracker.backup).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, SmallInteger, String, Table, Uuid

__all__ = [
    "ANALYSIS_TABLES",
    "CASE_COMPLAINANTS",
    "CASE_SUMS",
    "MADE_TABLES",
    "METADATA",
    "OWN_SUMS",
    "PAIR_SUMS",
    "SUMMED_COLUMNS",
    "SUMS_STATE",
]

# The sums of the charges of one (defendant, case) or (complainant, defendant, case), named
# as tracker.analysis.charges names them.
SUMMED_COLUMNS = ("n", "unfounded", "convicted", "n_asked", "s_asked", "n_imposed", "s_imposed",
                  "n_both", "b_asked", "b_imposed", "n_own", "s_own", "types")  # fmt: skip


# Apart from the models' metadata: derived tables are not part of the data model (no labels,
# no row counts, no exports); tracker.db.include_name keeps Alembic's comparison of the models
# off them, and tests/test_migrations.py compares them with migration 0013 on their own.
METADATA = MetaData(naming_convention={"pk": "pk_%(table_name)s"})


def _sums() -> list[Column]:  # type: ignore[type-arg]
    return [
        *(Column(n, BigInteger, nullable=True) for n in SUMMED_COLUMNS),
        # The first known filing and the last known outcome, as "YYYY-MM-DD<precision>".
        Column("first", String(20), nullable=True),
        Column("last", String(20), nullable=True),
        Column("ended", BigInteger, nullable=True),
    ]


def _hidden() -> Column:  # type: ignore[type-arg]
    # 1 when a viewer may not see the row's case, defendant or complainant (restricted), as
    # tracker.privacy decides at the data revision the row was made at; else 0. A viewer's
    # reads keep the rows at 0: one comparison a row, where looking each id up among the
    # hidden ones took 0.5 s a pass over the 310,000 pairs at scale L (migration 0014).
    return Column("hidden", SmallInteger, nullable=False)


OWN_SUMS = Table(
    "analysis_own_sums",
    METADATA,
    Column("defendant_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    *_sums(),
    # The charges with a complainant: any, and one a viewer may see (not restricted).
    Column("complained", BigInteger, nullable=False),
    Column("complained_public", BigInteger, nullable=False),
    _hidden(),
)
PAIR_SUMS = Table(
    "analysis_pair_sums",
    METADATA,
    Column("complainant_id", Uuid, nullable=False),
    Column("defendant_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    *_sums(),
    _hidden(),
)
# Per case: its defendants (parties as defendant, and the defendants of its charges), all
# and those a viewer may see (not restricted): what a mass prosecution counts.
CASE_SUMS = Table(
    "analysis_case_sums",
    METADATA,
    Column("case_id", Uuid, nullable=False),
    Column("defendants", BigInteger, nullable=False),
    Column("defendants_public", BigInteger, nullable=False),
    _hidden(),
)
# Who brought a charge in which case, once per (case, complainant), with how many of the
# defendants they charged there a viewer may see (none: the pair is hidden from a viewer).
CASE_COMPLAINANTS = Table(
    "analysis_case_complainants",
    METADATA,
    Column("case_id", Uuid, nullable=False),
    Column("complainant_id", Uuid, nullable=False),
    Column("defendants_public", BigInteger, nullable=False),
    _hidden(),
)
# One row (id 1): the data revision the sums were made at.
SUMS_STATE = Table(
    "analysis_sums_state",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("revision", BigInteger, nullable=False),
)
# The tables made again at each data revision, in the order they are made.
MADE_TABLES = (OWN_SUMS, PAIR_SUMS, CASE_SUMS, CASE_COMPLAINANTS)
ANALYSIS_TABLES = frozenset(t.name for t in (*MADE_TABLES, SUMS_STATE))
