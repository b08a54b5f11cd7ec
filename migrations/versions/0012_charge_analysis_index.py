"""charge analysis index: the charge columns of the indicators in one covering index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 21:10:00.000000

The indicators read every kept charge grouped by (case, defendant), with its type, outcome,
dates and sentences, and join it to its complainants by id (tracker.analysis.indicators).
ix_charge_case_defendant of 0009 held the first four columns: the rest were read from the
wide table rows, one random read per charge. This index holds them all, in the same order,
so the same lookups by case and defendant still use it and it replaces the old one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "case_id",
    "defendant_id",
    "charge_type",
    "outcome",
    "filed_on",
    "filed_on_precision",
    "outcome_on",
    "outcome_on_precision",
    "sentence_requested_months",
    "sentence_imposed_months",
    "is_synthetic",
    "id",
]
OLD = ["case_id", "defendant_id", "charge_type", "outcome"]


def upgrade() -> None:
    op.drop_index("ix_charge_case_defendant", table_name="charge")
    op.create_index("ix_charge_analysis", "charge", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_charge_analysis", table_name="charge")
    op.create_index("ix_charge_case_defendant", "charge", OLD, unique=False)
