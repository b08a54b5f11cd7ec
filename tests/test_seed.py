"""The documented seed: idempotent, cited, unknowns kept unknown, confidential people protected."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker import seed
from tracker.models import Actor, Case, Charge, Citation
from tracker.stats import row_counts

DOCUMENTED = {
    "actor": 32,
    "case_party": 31,
    "charge": 67,
    "charge_complainant": 115,
    "court": 8,
    "court_case": 3,
    "hearing": 3,
    "measure": 1,
    "membership": 3,
    "source": 21,
    "stage_change": 15,
    "vocabulary_term": 122,
}


def test_seed_twice_gives_the_same_counts(engine: Engine) -> None:
    added = seed.seed(engine)
    first = row_counts(engine)
    assert {k: v for k, v in added.items() if k != "citation"} == DOCUMENTED
    assert seed.seed(engine) == {}
    assert row_counts(engine) == first
    assert {k: first[k] for k in DOCUMENTED} == DOCUMENTED


def test_every_documented_fact_is_cited(engine: Engine) -> None:
    seed.seed(engine)
    tables = {
        "actor": Actor,
        "court_case": Case,
        "charge": Charge,
    }
    with Session(engine) as s:
        for table, model in tables.items():
            uncited = s.exec(
                select(func.count())
                .select_from(model)
                .where(
                    ~col(model.id).in_(  # type: ignore[attr-defined]
                        select(Citation.row_id).where(Citation.table_name == table)
                    )
                )
            ).one()
            assert uncited == 0, table
        for table in ("court", "hearing", "measure", "stage_change", "case_party", "membership"):
            cited = s.exec(
                select(func.count(func.distinct(Citation.row_id))).where(
                    Citation.table_name == table
                )
            ).one()
            assert cited == DOCUMENTED[table], table


def test_documented_outcomes(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        acuna = s.exec(
            select(Charge.outcome, Charge.outcome_on, Charge.outcome_on_precision, Charge.status)
            .join(Case, col(Case.id) == col(Charge.case_id))
            .where(col(Case.title).startswith("Máxima Acuña"))
        ).all()
        assert set(acuna) == {("acquitted", date(2017, 5, 3), "day", "resolved")}
        assert len(acuna) == 4
        others = s.exec(
            select(Charge.outcome, func.count())
            .join(Case, col(Case.id) == col(Charge.case_id))
            .where(~col(Case.title).startswith("Máxima Acuña"))
            .group_by(Charge.outcome)
        ).all()
        assert others == [("unknown", 63)]
        opened = s.exec(
            select(Case.opened_on_precision).where(col(Case.title).startswith("Máxima"))
        ).one()
        assert opened == "year"


def test_celendin_defendants_are_confidential_with_pseudonyms(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        rows = s.exec(
            select(Actor.name, Actor.pseudonym)
            .where(Actor.confidentiality == "confidential")
            .order_by(col(Actor.pseudonym))
        ).all()
    assert len(rows) == 16
    assert rows[0] == ("Name withheld (Celendín defendant 01)", "Celendín defender 01")
    assert all(name.startswith("Name withheld") for name, _ in rows)


def test_ensure_ready_seeds_a_new_database_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert seed.ensure_ready(engine) is True
    assert seed.ensure_ready(engine) is False
    assert row_counts(engine)["court_case"] == 3
