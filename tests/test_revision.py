"""The data revision: raised by every write of case data (services, Core writers), not by
reads, rolled-back writes or logins."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import charge_data, make_case_with_defendant, make_user
from tracker import auth, db, demo, revision, seed
from tracker import services as sv
from tracker.errors import ValidationError
from tracker.permissions import Principal

EDITOR = Principal("ana", "editor")


def test_a_new_database_reads_zero_and_a_bump_makes_the_row(engine: Engine) -> None:
    assert revision.current(engine) == 0
    with engine.begin() as conn:
        revision.bump(conn)
        assert revision.current(conn) > 0  # seen inside the writing transaction
    first = revision.current(engine)
    with engine.begin() as conn:
        revision.bump(conn)
    assert revision.current(engine) > first


def test_a_write_through_a_service_raises_it(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    before = revision.current(vocab_engine)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.charges.create(s, charge_data(ids))
    after = revision.current(vocab_engine)
    assert after > before
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.update(s, ids["case"], {"title": "Caso renombrado"}, expected_version=1)
    assert revision.current(vocab_engine) > after


def test_reads_failures_and_logins_leave_it(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    make_user(vocab_engine, "eva", "editor")
    before = revision.current(vocab_engine)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.get(s, ids["case"])
    with pytest.raises(ValidationError), db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.charges.create(s, charge_data(ids))  # flushed, then rolled back with the error
        sv.charges.create(s, charge_data(ids, charge_type="nope"))
    auth.login(vocab_engine, "eva", "correct horse battery")
    assert revision.current(vocab_engine) == before


def test_an_explicit_bump_takes_a_sqlmodel_session(vocab_engine: Engine) -> None:
    before = revision.current(vocab_engine)
    with Session(vocab_engine) as s:
        revision.bump(s)
        s.rollback()
    assert revision.current(vocab_engine) == before
    with Session(vocab_engine) as s:
        revision.bump(s)
        s.commit()
    assert revision.current(vocab_engine) > before


def test_seed_and_demo_data_raise_it(engine: Engine) -> None:
    seed.seed(engine)
    seeded = revision.current(engine)
    assert seeded > 0
    demo.generate(engine, scale="S", seed=3)
    assert revision.current(engine) > seeded


def test_the_privacy_revision_moves_only_with_writes_that_could_reveal(
    vocab_engine: Engine,
) -> None:
    ids = make_case_with_defendant(vocab_engine)
    _, private = revision.current_pair(vocab_engine)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        charge = sv.charges.create(s, charge_data(ids))
        sv.cases.update(s, ids["case"], {"title": "Caso renombrado"}, expected_version=1)
        sv.actors.update(s, ids["defender"], {"region": "Cusco"}, expected_version=1)
    with db.unit_of_work(vocab_engine, EDITOR) as s:  # new public people and cases reveal nothing
        sv.actors.create(s, {"kind": "person", "name": "Nueva Persona"})
        sv.cases.create(s, {"title": "Caso nuevo", "confidentiality": "restricted"})
    data, unchanged = revision.current_pair(vocab_engine)
    assert unchanged == private
    assert data == revision.current(vocab_engine)
    # A new confidential person: older results may hold her name in free text, unredacted.
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.actors.create(s, {"kind": "person", "name": "Otra Nueva",
                             "confidentiality": "confidential", "pseudonym": "Defensora N"})
    assert revision.current_pair(vocab_engine)[1] > private
    private = revision.current_pair(vocab_engine)[1]
    for version, changes in (
        (2, {"pseudonym": "Defensora X"}),
        (3, {"confidentiality": "confidential"}),
        (4, {"name": "Otra Persona"}),
        (5, {"aliases": ["La Otra"]}),
        (6, {"id_number": "40000001"}),
    ):
        with db.unit_of_work(vocab_engine, EDITOR) as s:
            sv.actors.update(s, ids["defender"], changes, expected_version=version)
        _, moved = revision.current_pair(vocab_engine)
        assert moved > private
        private = moved
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.update(s, ids["case"], {"confidentiality": "restricted"}, expected_version=2)
    assert revision.current_pair(vocab_engine)[1] > private
    private = revision.current_pair(vocab_engine)[1]
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.charges.delete(s, charge, expected_version=1)
    assert revision.current_pair(vocab_engine)[1] > private


def test_core_writers_move_the_privacy_revision_unless_told_not_to(engine: Engine) -> None:
    seed.seed(engine)
    data, seeded = revision.current_pair(engine)
    assert data > 0
    assert seeded > 0  # the seed adds confidential people: older results could name them
    with engine.begin() as conn:
        revision.bump(conn, privacy=False)
    assert revision.current_pair(engine)[1] == seeded
    with engine.begin() as conn:
        revision.bump(conn)
    assert revision.current_pair(engine)[1] > seeded
