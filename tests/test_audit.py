"""Every create, update and delete leaves an audit row with the right old and new values."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.factories import make_case_with_defendant
from tracker import audit, db
from tracker import services as sv
from tracker.models import AuditLog
from tracker.permissions import Principal


def test_create_update_delete_are_logged_with_user(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        court_id = sv.courts.create(s, {"name": "Juzgado de Ica", "judicial_district": "Ica"})
    with db.unit_of_work(vocab_engine, Principal("beatriz", "editor")) as s:
        sv.courts.update(s, court_id, {"name": "Juzgado Penal de Ica"}, 1)
    with db.unit_of_work(vocab_engine, Principal("carlos", "editor")) as s:
        sv.courts.delete(s, court_id, 2)
    with Session(vocab_engine) as s:
        entries = audit.history(s, table_name="court", row_id=court_id)
    assert [(e["user"], e["action"]) for e in entries] == [
        ("carlos", "delete"),
        ("beatriz", "update"),
        ("ana", "create"),
    ]
    assert entries[2]["changes"] == {
        "name": [None, "Juzgado de Ica"],
        "judicial_district": [None, "Ica"],
        "kind": [None, "court"],
        "country": [None, "PE"],
        "is_synthetic": [None, False],
    }
    assert entries[1]["changes"] == {"name": ["Juzgado de Ica", "Juzgado Penal de Ica"]}
    assert entries[0]["changes"]["name"] == ["Juzgado Penal de Ica", None]


def test_old_values_are_right_after_a_commit(vocab_engine: Engine) -> None:
    """After commit every attribute is expired; the log must still see the old value."""
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        case = sv.cases.get(s, ids["case"])
        s.commit()  # expires every attribute of ``case``
        case.title = "Renamed"
        case.stage = "trial"
        s.flush()
    with Session(vocab_engine) as s:
        latest = audit.history(s, table_name="court_case", row_id=ids["case"])[0]
    assert latest["changes"] == {
        "title": ["Caso Ejemplo", "Renamed"],
        "stage": ["complaint", "trial"],
    }


def test_failed_write_leaves_no_audit_row(vocab_engine: Engine) -> None:
    with Session(vocab_engine) as s:
        before = len(s.exec(select(AuditLog.id)).all())
    try:
        with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
            sv.courts.create(s, {"name": "A"})
            sv.courts.create(s, {"name": None})
    except Exception:  # noqa: BLE001  (the second create fails on purpose)
        pass
    with Session(vocab_engine) as s:
        assert len(s.exec(select(AuditLog.id)).all()) == before


def test_password_hash_never_enters_the_log(vocab_engine: Engine) -> None:
    from tracker.services.users import create_user

    with db.unit_of_work(vocab_engine, Principal("admin", "admin")) as s:
        user_id = create_user(s, username="lucia", password="a long passphrase", role="viewer")
    with Session(vocab_engine) as s:
        entry = audit.history(s, table_name="app_user", row_id=user_id)[0]
    assert entry["changes"]["password_hash"] == [None, "***"]
