"""stored results

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:00:00.000000

Results of slow analyses (the Network and Indicators pages at scale L) kept between server
starts, per filter set, visibility and data revision (tracker.stored_results). Derived data:
dropping the table loses nothing but time.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_index('ix_stored_result_scope_revision', table_name='stored_result')
    op.drop_table('stored_result')
