"""analysis sums: the charges summed per (defendant, case) and per complainant, and each
case's defendants and complainants, per data revision

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 04:40:00.000000

Derived tables (tracker.models.analysis): tracker.analysis.revision_sums fills them in one
INSERT…SELECT each when the data revision has moved on, and the indicators read them instead
of summing a million charges again on every read. No foreign keys: they are emptied and
made again whole.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMED = ("n", "unfounded", "convicted", "n_asked", "s_asked", "n_imposed", "s_imposed",
          "n_both", "b_asked", "b_imposed", "n_own", "s_own", "types")  # fmt: skip


def _sums() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        *(sa.Column(n, sa.BigInteger(), nullable=True) for n in SUMMED),
        sa.Column("first", sa.String(length=20), nullable=True),
        sa.Column("last", sa.String(length=20), nullable=True),
        sa.Column("ended", sa.BigInteger(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "analysis_own_sums",
        sa.Column("defendant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        *_sums(),
        sa.Column("complained", sa.BigInteger(), nullable=False),
        sa.Column("complained_public", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "analysis_pair_sums",
        sa.Column("complainant_id", sa.Uuid(), nullable=False),
        sa.Column("defendant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        *_sums(),
    )
    op.create_table(
        "analysis_case_sums",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("defendants", sa.BigInteger(), nullable=False),
        sa.Column("defendants_public", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "analysis_case_complainants",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("complainant_id", sa.Uuid(), nullable=False),
        sa.Column("defendants_public", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "analysis_sums_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_sums_state")),
    )


def downgrade() -> None:
    op.drop_table("analysis_sums_state")
    op.drop_table("analysis_case_complainants")
    op.drop_table("analysis_case_sums")
    op.drop_table("analysis_pair_sums")
    op.drop_table("analysis_own_sums")
