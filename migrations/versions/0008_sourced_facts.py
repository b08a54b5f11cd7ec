"""sourced facts: sentence requests, restricted sources, archive as an event

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03 17:10:00.000000

- sentence_request: a sentence or reparation asked for at a date, by whom, for whom and for
  which charges, recorded once as the source gives it instead of copied onto every charge.
- source.restricted: a source whose title, address or notes would undo a pseudonym.
- An archive is an event that can happen at any stage, not a stage: stage_change rows that
  moved a case "to archived" keep the stage it was at; a reopening starts from that stage; a
  case whose stage was "archived" gets the stage it was archived at.
- Vocabulary labels of the 2004 procedure code: "Actor civil", "Querellante particular",
  "Retiro de la acusación / desistimiento"; a new outcome for a charge ended by the
  defendant's death.
"""
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LABELS = (
    # vocabulary, code, new English label, new Spanish label, old English, old Spanish
    ('party_role', 'civil_party', 'Civil party', 'Actor civil', 'Civil party', 'Parte civil'),
    ('party_role', 'private_prosecutor', 'Private prosecutor', 'Querellante particular',
     'Private prosecutor', 'Querellante / actor civil'),
    ('outcome', 'withdrawn', 'Withdrawn (prosecution withdrawn or complaint desisted)',
     'Retiro de la acusación / desistimiento', 'Withdrawn', 'Desistimiento'),
)


def upgrade() -> None:
    op.create_table('sentence_request',
    sa.Column('is_synthetic', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=True),
    sa.Column('requested_on_precision', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('defendant_id', sa.Uuid(), nullable=True),
    sa.Column('charge_types', sa.JSON(), nullable=False),
    sa.Column('prison_months_min', sa.Integer(), nullable=True),
    sa.Column('prison_months_max', sa.Integer(), nullable=True),
    sa.Column('disqualification_months', sa.Integer(), nullable=True),
    sa.Column('reparation_amount', sa.Float(), nullable=True),
    sa.Column('reparation_currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['court_case.id'], name=op.f('fk_sentence_request_case_id_court_case')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['actor.id'], name=op.f('fk_sentence_request_requested_by_id_actor')),
    sa.ForeignKeyConstraint(['defendant_id'], ['actor.id'], name=op.f('fk_sentence_request_defendant_id_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sentence_request'))
    )
    with op.batch_alter_table('sentence_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentence_request_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sentence_request_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sentence_request_defendant_id'), ['defendant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sentence_request_is_synthetic'), ['is_synthetic'], unique=False)

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restricted', sa.Boolean(), nullable=False, server_default=sa.false()))

    # Archive as an event. Order matters: reopenings and cases read the archive rows' stage
    # before those rows are rewritten.
    last_archive = (
        "SELECT a.from_stage FROM stage_change a WHERE a.case_id = {outer}.case_id "
        "AND a.to_stage = 'archived' AND a.from_stage IS NOT NULL "
        "ORDER BY a.on_date DESC LIMIT 1"
    )
    op.execute(
        "UPDATE stage_change SET from_stage = ("
        + last_archive.format(outer="stage_change")
        + ") WHERE from_stage = 'archived'"
    )
    op.execute(
        "UPDATE court_case SET stage = COALESCE(("
        + last_archive.replace("{outer}.case_id", "court_case.id")
        + "), 'complaint') WHERE stage = 'archived'"
    )
    op.execute(
        "UPDATE stage_change SET event = 'archived', to_stage = from_stage "
        "WHERE to_stage = 'archived'"
    )
    op.execute("DELETE FROM vocabulary_term WHERE vocabulary = 'stage' AND code = 'archived'")

    term = sa.table(
        'vocabulary_term', sa.column('vocabulary'), sa.column('code'), sa.column('label_en'),
        sa.column('label_es'),
    )
    for vocab, code, en, es, _old_en, _old_es in _LABELS:
        op.execute(
            term.update()
            .where(term.c.vocabulary == vocab, term.c.code == code)
            .values(label_en=en, label_es=es)
        )
    conn = op.get_bind()
    has_terms = conn.execute(sa.text("SELECT count(*) FROM vocabulary_term")).scalar()
    known = conn.execute(sa.text(
        "SELECT count(*) FROM vocabulary_term WHERE vocabulary = 'outcome' "
        "AND code = 'extinguished_death'"
    )).scalar()
    if has_terms and not known:
        now = datetime.now(UTC)
        full = sa.table(
            'vocabulary_term', sa.column('id', sa.Uuid()), sa.column('created_at'),
            sa.column('updated_at'), sa.column('vocabulary'), sa.column('code'),
            sa.column('label_en'), sa.column('label_es'), sa.column('parent_code'),
            sa.column('sort_order'), sa.column('active'), sa.column('version_id'),
        )
        order = conn.execute(sa.text(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM vocabulary_term "
            "WHERE vocabulary = 'outcome'"
        )).scalar()
        op.execute(full.insert().values(
            id=uuid.uuid4(), created_at=now, updated_at=now, vocabulary='outcome',
            code='extinguished_death', label_en="Ended by the defendant's death",
            label_es='Extinción de la acción penal por muerte del imputado', parent_code=None,
            sort_order=order, active=True, version_id=1,
        ))


def downgrade() -> None:
    term = sa.table(
        'vocabulary_term', sa.column('vocabulary'), sa.column('code'), sa.column('label_en'),
        sa.column('label_es'),
    )
    for vocab, code, _en, _es, old_en, old_es in _LABELS:
        op.execute(
            term.update()
            .where(term.c.vocabulary == vocab, term.c.code == code)
            .values(label_en=old_en, label_es=old_es)
        )
    # The archive rows cannot be told apart from stage moves once rewritten: they keep the
    # event "archived", which is all the earlier schema needed to count them.
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('restricted')
    with op.batch_alter_table('sentence_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sentence_request_is_synthetic'))
        batch_op.drop_index(batch_op.f('ix_sentence_request_defendant_id'))
        batch_op.drop_index(batch_op.f('ix_sentence_request_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_sentence_request_case_id'))
    op.drop_table('sentence_request')
