"""drop stored results; indexes of the analysis

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:30:00.000000

The analysis is fast in SQL (tracker.analysis), so the results store of 0003 goes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_stored_result_scope_revision', table_name='stored_result')
    op.drop_table('stored_result')


def downgrade() -> None:
    op.create_table('stored_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('data_revision', sa.BigInteger(), nullable=False),
    sa.Column('privacy_revision', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_result'))
    )
    op.create_index('ix_stored_result_scope_revision', 'stored_result',
                    ['scope', 'data_revision'], unique=False)
