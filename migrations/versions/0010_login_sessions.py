"""login sessions and the account's language preference

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:00:00.000000

Server-side login sessions (tracker.sessions): the SHA-256 of a random token, the account,
and when the session was made, last used and expires. The account's language becomes
optional: NULL follows the installation's language (TRACKER_LANG, else the locale). Until
now the column was never applied by the app, so its default 'en' was no one's choice: those
rows become NULL, while an explicit 'es' stays.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_session',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                            name=op.f('fk_login_session_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_login_session'))
    )
    op.create_index(op.f('ix_login_session_user_id'), 'login_session', ['user_id'], unique=False)
    op.create_index(op.f('ix_login_session_expires_at'), 'login_session', ['expires_at'],
                    unique=False)
    with op.batch_alter_table('app_user') as batch:
        batch.alter_column('language', existing_type=sqlmodel.sql.sqltypes.AutoString(length=5),
                           nullable=True)
    op.execute("UPDATE app_user SET language = NULL WHERE language = 'en'")


def downgrade() -> None:
    op.execute("UPDATE app_user SET language = 'en' WHERE language IS NULL")
    with op.batch_alter_table('app_user') as batch:
        batch.alter_column('language', existing_type=sqlmodel.sql.sqltypes.AutoString(length=5),
                           nullable=False)
    op.drop_index(op.f('ix_login_session_expires_at'), table_name='login_session')
    op.drop_index(op.f('ix_login_session_user_id'), table_name='login_session')
    op.drop_table('login_session')
