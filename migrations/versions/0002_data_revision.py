"""data revision

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:10:00.000000

The one-row table whose number tracker.revision raises on every write of case data, so the
analysis pages can cache what they compute until the data changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_revision',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision'))
    )
    # No row yet: the first write makes it (tracker.revision.bump); until then it reads 0.


def downgrade() -> None:
    op.drop_table('data_revision')
