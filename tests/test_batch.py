"""The bulk writer: the same rules as a form save, staged records seen, audited, all or nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.factories import charge_data, make_case_with_defendant
from tracker import audit, db, revision
from tracker import services as sv
from tracker.errors import PermissionDeniedError, ValidationError
from tracker.models import Actor, AuditLog, CaseParty, Charge, ChargeComplainant
from tracker.permissions import Principal

EDITOR = Principal("ana", "editor")


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_staged_records_satisfy_the_rules_of_later_ones(vocab_engine: Engine) -> None:
    before, private = revision.current_pair(vocab_engine)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        batch = sv.Batch(s, chunk_rows=2)  # several flushes: parents always go first
        person = batch.add(sv.actors, {"kind": "person", "name": "Rosa Quispe"})
        company = batch.add(
            sv.actors,
            {"kind": "company", "name": "Minera", "complainant_category": "company_mining"},
        )
        case = batch.add(sv.cases, {"title": "Caso", "opened_on": "2015-03"})
        batch.add(sv.parties, {"case_id": case, "actor_id": person, "role": "defendant"})
        charge = batch.add(sv.charges, charge_data({"case": case, "defender": person}))
        batch.add(sv.charge_complainants, {"charge_id": charge, "actor_id": company})
        written = batch.write()
    assert written == {
        "actor": 2,
        "court_case": 1,
        "case_party": 1,
        "charge": 1,
        "charge_complainant": 1,
    }
    with Session(vocab_engine) as s:
        saved = s.get(Charge, charge)
        assert saved is not None
        assert (saved.filed_on.isoformat(), saved.filed_on_precision) == ("2015-04-02", "day")
        assert (saved.status, saved.version_id, saved.is_synthetic) == ("pending", 1, False)
        rosa = s.get(Actor, person)
        assert rosa is not None and (rosa.name, rosa.aliases, rosa.country) == (
            "Rosa Quispe",
            [],
            "PE",
        )
        entry = audit.history(s, table_name="charge", row_id=charge)
    assert [(e["user"], e["action"]) for e in entry] == [("ana", "create")]
    assert entry[0]["changes"]["charge_type"] == [None, "riot"]
    assert entry[0]["changes"]["case_id"] == [None, str(case)]
    assert entry[0]["changes"]["filed_on"] == [None, "2015-04-02"]
    assert "version_id" not in entry[0]["changes"]
    with Session(vocab_engine) as s:
        logged = s.exec(select(AuditLog.table_name).where(AuditLog.username == "ana")).all()
    assert sorted(logged) == [
        "actor",
        "actor",
        "case_party",
        "charge",
        "charge_complainant",
        "court_case",
    ]
    assert revision.current(vocab_engine) > before
    # New records only: nothing an older result hid can show through them.
    assert revision.current_pair(vocab_engine)[1] == private


def test_batch_refuses_what_create_refuses(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        batch = sv.Batch(s)
        stranger = batch.add(sv.actors, {"kind": "person", "name": "Nadie"})
        with pytest.raises(ValidationError) as refused:
            batch.add(sv.charges, charge_data({"case": ids["case"], "defender": stranger}))
        assert [e.key for e in refused.value.errors] == ["errors.not_a_defendant"]
        with pytest.raises(ValidationError) as unknown:
            batch.add(sv.charges, charge_data(ids, charge_type="witchcraft", filed_on="2014-01"))
        assert sorted(e.key for e in unknown.value.errors) == ["errors.unknown_code"]
        with pytest.raises(ValidationError) as early:
            batch.add(
                sv.charges,
                charge_data(ids, outcome_on="2015-02-01", status="resolved", outcome="acquitted"),
            )
        assert sorted(e.key for e in early.value.errors) == [
            "errors.before_case_opened",
            "errors.date_before",
        ]
        # A party already in the database and the same party staged twice are both duplicates.
        with pytest.raises(ValidationError) as stored:
            batch.add(
                sv.parties,
                {"case_id": ids["case"], "actor_id": ids["defender"], "role": "defendant"},
            )
        assert [e.key for e in stored.value.errors] == ["errors.duplicate_party"]
        batch.add(sv.parties, {"case_id": ids["case"], "actor_id": stranger, "role": "witness"})
        with pytest.raises(ValidationError) as staged:
            batch.add(sv.parties, {"case_id": ids["case"], "actor_id": stranger, "role": "witness"})
        assert [e.key for e in staged.value.errors] == ["errors.duplicate_party"]
        assert batch.write() == {"actor": 1, "case_party": 1}
    assert _count(vocab_engine, CaseParty) == 3


def test_a_viewer_cannot_stage_anything(vocab_engine: Engine) -> None:
    with (
        pytest.raises(PermissionDeniedError),
        db.unit_of_work(vocab_engine, Principal("vera", "viewer")) as s,
    ):
        sv.Batch(s).add(sv.actors, {"kind": "person", "name": "Rosa"})
    assert _count(vocab_engine, Actor) == 0


def test_a_failure_after_a_flush_leaves_nothing(vocab_engine: Engine) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work(vocab_engine, EDITOR) as s:
        batch = sv.Batch(s, chunk_rows=1)
        for i in range(3):
            batch.add(sv.actors, {"kind": "person", "name": f"Persona {i}"})
        assert batch.written == {"actor": 3}  # sent inside the transaction
        raise RuntimeError("the import stops here")
    assert _count(vocab_engine, Actor) == 0
    with Session(vocab_engine) as s:
        assert s.exec(select(AuditLog.id).where(AuditLog.username == "ana")).all() == []


def test_insert_many_converts_values_like_core(engine: Engine) -> None:
    """UUIDs, aware datetimes, dates, booleans and JSON read back as the ORM wrote them."""
    rows = [
        {
            **sv.actors.new_row(
                sv.lookups.Lookups(Session(engine)),
                {"kind": "person", "name": f"P{i}", "aliases": ["x", "y"], "birth_date": "1970"},
                audit.utcnow(),
            ).__dict__
        }
        for i in range(3)
    ]
    with engine.begin() as conn:
        db.insert_many(conn, Actor.__table__, rows)  # type: ignore[attr-defined]
    with Session(engine) as s:
        back = s.get(Actor, rows[1]["id"])
        assert back is not None
        assert isinstance(back.id, uuid.UUID)
        assert (
            back.name,
            back.aliases,
            back.birth_date.isoformat(),
            back.birth_date_precision,
        ) == (
            "P1",
            ["x", "y"],
            "1970-01-01",
            "year",
        )
        assert back.created_at == rows[1]["created_at"]
        assert back.is_defender is False
    assert _count(engine, ChargeComplainant) == 0
