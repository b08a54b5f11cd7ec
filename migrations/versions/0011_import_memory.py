"""import memory: term aliases, saved column mappings, import batches

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:00:00.000000

What imports remember between uploads (issue 20): the NGO's own words for vocabulary terms
(term_alias), column mappings saved under a name (import_mapping), and every committed import
with the ids it created and the values it changed, so an administrator can undo it
(import_batch).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('term_alias',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('vocabulary', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('alias', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('normalized', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term_alias')),
    sa.UniqueConstraint('vocabulary', 'normalized', name=op.f('uq_term_alias_vocabulary')),
    )
    op.create_index(op.f('ix_term_alias_vocabulary'), 'term_alias', ['vocabulary'], unique=False)
    op.create_table('import_mapping',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('name', name=op.f('uq_import_mapping_name')),
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('backup_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('undone_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('undone_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    )
    op.create_index(op.f('ix_import_batch_created_at'), 'import_batch', ['created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_batch_created_at'), table_name='import_batch')
    op.drop_table('import_batch')
    op.drop_table('import_mapping')
    op.drop_index(op.f('ix_term_alias_vocabulary'), table_name='term_alias')
    op.drop_table('term_alias')
