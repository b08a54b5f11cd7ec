"""Alembic environment: the tracker's models are the target schema."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tracker import db

target_metadata = SQLModel.metadata
config = context.config


def run_migrations() -> None:
    """Run migrations on the engine handed over by tracker.db, or on the configured database."""
    engine = config.attributes.get("engine") or db.make_engine()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Batch migrations recreate tables; with foreign keys on, dropping the old table
            # would cascade or fail. The pysqlite driver has not opened a transaction yet here,
            # so the pragma takes effect.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # SQLAlchemy autobegan a transaction for the pragma; end it so that Alembic's
            # begin_transaction() below owns (and commits) the migration's transaction.
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_name=db.include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run against a database.")
run_migrations()
