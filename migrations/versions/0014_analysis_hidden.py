"""analysis sums: a column "hidden" on each table of sums

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 08:10:00.000000

Each row of the derived tables (tracker.models.analysis) says whether a viewer may not see
its case, defendant or complainant, so that a viewer's read compares one small number per row
instead of looking three ids up among the hidden ones. The tables are derived: they are made
again, with the column, by the next read of the indicators (the state row is removed).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MADE = ("analysis_own_sums", "analysis_pair_sums", "analysis_case_sums",
        "analysis_case_complainants")  # fmt: skip


def upgrade() -> None:
    op.execute("DELETE FROM analysis_sums_state")
    for name in MADE:
        op.execute(f"DELETE FROM {name}")
        # Empty, so a column with no default can be added: SQLite's ALTER TABLE cannot add
        # one NOT NULL without a default, so the table is made again (recreate).
        with op.batch_alter_table(name, recreate="always") as batch:
            batch.add_column(sa.Column("hidden", sa.SmallInteger(), nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM analysis_sums_state")
    for name in MADE:
        op.execute(f"DELETE FROM {name}")
        with op.batch_alter_table(name, recreate="always") as batch:
            batch.drop_column("hidden")
