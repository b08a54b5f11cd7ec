"""drop stored results; indexes of the analysis

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:30:00.000000

The analysis is fast in SQL (tracker.analysis), so the results store of 0003 goes; the
composite, covering indexes its aggregate statements read (tracker/models/indexes.py) come.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDEXES = (
    ('ix_charge_complainant_actor_charge', 'charge_complainant', ['actor_id', 'charge_id']),
    ('ix_charge_case_defendant', 'charge', ['case_id', 'defendant_id', 'charge_type', 'outcome']),
    ('ix_measure_case_defendant', 'measure', ['case_id', 'defendant_id']),
    ('ix_hearing_case_scheduled', 'hearing', ['case_id', 'scheduled_at', 'result']),
    ('ix_stage_change_event_case', 'stage_change', ['event', 'case_id']),
)


def upgrade() -> None:
    op.drop_index('ix_stored_result_scope_revision', table_name='stored_result')
    op.drop_table('stored_result')
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
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
