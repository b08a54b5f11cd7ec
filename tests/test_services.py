"""Services: the happy path and each bad input, with literal messages; failures write nothing."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.factories import charge_data, make_case_with_defendant
from tracker import db
from tracker import services as sv
from tracker.errors import ConflictError, NotFoundError, ValidationError
from tracker.i18n import set_language
from tracker.models import Case, CaseParty, Charge
from tracker.permissions import Principal
from tracker.services.users import create_user, verify_password
from tracker.stats import row_counts


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


EDITOR = Principal("ana", "editor")
ADMIN = Principal("admin", "admin")


def _fails(engine: Engine, action: Any, who: Principal = EDITOR) -> ValidationError:
    """Run ``action(session)`` in a unit of work; assert it fails and changes nothing."""
    before = row_counts(engine)
    with pytest.raises(ValidationError) as info, db.unit_of_work(engine, who) as s:
        action(s)
    assert row_counts(engine) == before
    return info.value


def test_create_charge_stores_values_and_partial_dates(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        charge_id = sv.charges.create(
            s, charge_data(ids, outcome="acquitted", status="resolved", outcome_on="2019")
        )
    with Session(vocab_engine) as s:
        charge = s.get(Charge, charge_id)
        assert charge is not None
        assert (charge.filed_on, charge.filed_on_precision) == (date(2015, 4, 2), "day")
        assert (charge.outcome_on, charge.outcome_on_precision) == (date(2019, 1, 1), "year")
        assert charge.version_id == 1
        assert charge.is_synthetic is False


BAD_CHARGES = [
    ({"charge_type": "nope"}, "charge_type", "“nope” is not a term of the “charge_type” list."),
    ({"charge_type": None}, "charge_type", "This field is required."),
    (
        {"filed_on": "2015-04-xx"},
        "filed_on",
        "“2015-04-xx” is not a date: write 2011, 2017-03 or 2017-03-06.",
    ),
    (
        {"filed_on": "2015-02-30"},
        "filed_on",
        "“2015-02-30” is not a date: write 2011, 2017-03 or 2017-03-06.",
    ),
    (
        {"outcome_on": "2015-04-01", "outcome": "acquitted", "status": "resolved"},
        "outcome_on",
        "2015-04-01 is before Filed on (2015-04-02).",
    ),
    ({"status": "resolved"}, "outcome", "A resolved charge needs its outcome."),
    (
        {"status": "done"},
        "status",
        "“done” is not allowed here; choose one of: pending, resolved, unknown.",
    ),
    ({"sentence_requested_months": -3}, "sentence_requested_months", "Cannot be negative."),
    (
        {"sentence_requested_months": "ten"},
        "sentence_requested_months",
        "“ten” is not a whole number.",
    ),
    (
        {"legal_reference": "x" * 201},
        "legal_reference",
        "Too long: at most 200 characters (this has 201).",
    ),
    ({"colour": "red"}, "colour", "This field does not exist or cannot be changed."),
]


@pytest.mark.parametrize(("extra", "field", "message"), BAD_CHARGES)
def test_bad_charge_is_refused_with_its_message(
    vocab_engine: Engine, extra: dict[str, Any], field: str, message: str
) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(vocab_engine, lambda s: sv.charges.create(s, charge_data(ids, **extra)))
    assert error.by_field() == {field: [message]}


def test_charged_person_must_be_a_defendant(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(
        vocab_engine,
        lambda s: sv.charges.create(s, charge_data(ids, defendant_id=ids["company"])),
    )
    assert error.by_field() == {
        "defendant_id": [
            "This person is not a defendant in this case: add them to the case as a "
            "defendant first."
        ]
    }


def test_error_message_in_spanish(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(vocab_engine, lambda s: sv.charges.create(s, charge_data(ids, charge_type=None)))
    assert error.message("es") == (
        "No se guardó. Corrija lo siguiente:\n- Tipo de delito imputado: Este campo es obligatorio."
    )


def test_case_cannot_close_before_it_opens(vocab_engine: Engine) -> None:
    error = _fails(
        vocab_engine,
        lambda s: sv.cases.create(
            s, {"title": "X", "opened_on": "2016-05-02", "closed_on": "2016-04"}
        ),
    )
    assert error.by_field() == {"closed_on": ["2016-04 is before Opened on (2016-05-02)."]}


def test_same_period_at_coarser_precision_is_not_out_of_order(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        case_id = sv.cases.create(s, {"title": "X", "opened_on": "2012", "closed_on": "2012-05-30"})
    assert isinstance(case_id, uuid.UUID)


def test_hearing_before_case_opened_is_refused(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(
        vocab_engine,
        lambda s: sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2015-02-27T10:00",
                "hearing_type": "trial_session",
            },
        ),
    )
    assert error.by_field() == {
        "scheduled_at": ["2015-02-27 10:00 is before the case was opened (2015-03)."]
    }


def test_hearing_with_time_and_postponement(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        hearing_id = sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2016-06-01T09:30",
                "hearing_type": "trial_session",
                "result": "postponed",
                "postponement_reason": "absent_judge",
                "next_date": date(2016, 7, 4),
            },
        )
        hearing = sv.hearings.get(s, hearing_id)
        assert (hearing.scheduled_at, hearing.scheduled_precision) == (
            datetime(2016, 6, 1, 9, 30),
            "time",
        )


def test_postponement_reason_needs_postponed_result(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(
        vocab_engine,
        lambda s: sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2016-06-01",
                "hearing_type": "trial_session",
                "result": "held",
                "postponement_reason": "strike",
            },
        ),
    )
    assert error.by_field() == {
        "postponement_reason": ["A postponement reason only applies to a postponed hearing."]
    }


def test_measure_before_case_and_annulled_before_ordered(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    base = {"case_id": ids["case"], "defendant_id": ids["defender"], "kind": "pretrial_detention"}
    error = _fails(
        vocab_engine, lambda s: sv.measures.create(s, {**base, "ordered_on": "2014-01-05"})
    )
    assert error.by_field() == {
        "ordered_on": ["2014-01-05 is before the case was opened (2015-03)."]
    }
    error = _fails(
        vocab_engine,
        lambda s: sv.measures.create(
            s, {**base, "ordered_on": "2015-05-30", "annulled_on": "2015-05-12"}
        ),
    )
    assert error.by_field() == {"annulled_on": ["2015-05-12 is before Ordered on (2015-05-30)."]}


def test_moving_case_opening_after_a_hearing_is_refused(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        sv.hearings.create(
            s, {"case_id": ids["case"], "scheduled_at": "2015-06-10", "hearing_type": "preliminary"}
        )
    error = _fails(
        vocab_engine, lambda s: sv.cases.update(s, ids["case"], {"opened_on": "2016-01-01"}, 1)
    )
    assert error.by_field() == {
        "opened_on": ["The case cannot open after its first hearing (2015-06-10)."]
    }


def test_confidential_person_needs_pseudonym(vocab_engine: Engine) -> None:
    error = _fails(
        vocab_engine,
        lambda s: sv.actors.create(
            s, {"kind": "person", "name": "A", "confidentiality": "confidential"}
        ),
    )
    assert error.by_field() == {"pseudonym": ["A confidential person needs a pseudonym."]}


def test_actor_kind_and_rights_codes(vocab_engine: Engine) -> None:
    error = _fails(
        vocab_engine,
        lambda s: sv.actors.create(
            s, {"kind": "robot", "name": "A", "rights_defended": ["environment", "sky"]}
        ),
    )
    assert error.by_field() == {
        "kind": [
            "“robot” is not allowed here; choose one of: person, organization, company, "
            "public_body, group."
        ],
        "rights_defended": ["“sky” is not a term of the “rights_defended” list."],
    }


def test_duplicate_party_role_is_refused(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(
        vocab_engine,
        lambda s: sv.parties.create(
            s, {"case_id": ids["case"], "actor_id": ids["defender"], "role": "defendant"}
        ),
    )
    assert error.by_field() == {"role": ["This actor already has this role in this case."]}


def test_defendant_with_charges_cannot_be_removed(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        sv.charges.create(s, charge_data(ids))
    with Session(vocab_engine) as s:
        party_id = s.exec(
            select(CaseParty.id).where(
                CaseParty.actor_id == ids["defender"], CaseParty.role == "defendant"
            )
        ).one()
    error = _fails(vocab_engine, lambda s: sv.parties.delete(s, party_id, 1))
    assert error.by_field() == {
        "role": ["This defendant still has 1 charge in the case: remove the charge first."]
    }


def test_delete_case_with_records_is_refused_then_allowed_when_empty(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    error = _fails(vocab_engine, lambda s: sv.cases.delete(s, ids["case"], 1))
    assert error.by_field() == {
        "id": [
            "Other records still depend on this one (2 × case parties): remove or move them first."
        ]
    }
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        empty = sv.cases.create(s, {"title": "Empty"})
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        sv.cases.delete(s, empty, 1)
    with Session(vocab_engine) as s:
        assert s.get(Case, empty) is None


def test_stale_update_says_who_and_when(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("beatriz", "editor")) as s:
        assert sv.cases.update(s, ids["case"], {"title": "New title"}, 1) == 2
    before = row_counts(vocab_engine)
    with pytest.raises(ConflictError) as info, db.unit_of_work(vocab_engine, Principal("carlos", "editor")) as s:
        sv.cases.update(s, ids["case"], {"title": "Other title"}, 1)
    assert info.value.by == "beatriz"
    assert str(info.value).startswith("beatriz saved this case at ")
    assert row_counts(vocab_engine) == before
    with Session(vocab_engine) as s:
        case = s.get(Case, ids["case"])
        assert case is not None and case.title == "New title"


def test_concurrent_write_raises_conflict_at_flush(vocab_engine: Engine) -> None:
    """Two sessions load version 1; the second flush hits the version check in SQL."""
    ids = make_case_with_defendant(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("carlos", "editor")) as late:
        case = sv.cases.get(late, ids["case"])
        assert case.version_id == 1
        with db.unit_of_work(vocab_engine, Principal("beatriz", "editor")) as early:
            sv.cases.update(early, ids["case"], {"title": "Beatriz"}, 1)
        with pytest.raises(ConflictError) as info:
            sv.cases.update(late, ids["case"], {"title": "Carlos"}, 1)
        late.rollback()
    assert info.value.by == "beatriz"


def test_update_missing_record(vocab_engine: Engine) -> None:
    with pytest.raises(NotFoundError) as info, db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        sv.cases.update(s, uuid.uuid4(), {"title": "x"}, 1)
    assert str(info.value) == "This case no longer exists (someone may have deleted it)."


def test_vocabulary_term_rules(vocab_engine: Engine) -> None:
    term = {"vocabulary": "charge_type", "label_en": "X", "label_es": "X"}
    error = _fails(vocab_engine, lambda s: sv.terms.create(s, {**term, "code": "riot"}), ADMIN)
    assert error.by_field() == {"code": ["This code already exists in this list."]}
    error = _fails(
        vocab_engine, lambda s: sv.terms.create(s, {**term, "code": "Bad Code"}), ADMIN
    )
    assert error.by_field() == {
        "code": ["Codes use lower-case letters, digits and _ and start with a letter."]
    }


def test_source_url_must_be_web_address(vocab_engine: Engine) -> None:
    error = _fails(
        vocab_engine,
        lambda s: sv.sources.create(s, {"title": "T", "url": "javascript:alert(1)"}),
    )
    assert error.by_field() == {
        "url": ["Only web addresses starting with http:// or https:// are accepted."]
    }


def test_citation_must_point_at_existing_row(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        source = sv.sources.create(s, {"title": "T", "published_on": "2017-05"})
    error = _fails(
        vocab_engine,
        lambda s: sv.citations.create(
            s, {"source_id": source, "table_name": "court_case", "row_id": uuid.uuid4()}
        ),
    )
    assert error.by_field() == {
        "row_id": ["The record chosen here does not exist (it may have been deleted)."]
    }


def test_user_password_is_hashed_and_verified(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, Principal("admin", "admin")) as s:
        user_id = create_user(s, username="lucia", password="a long passphrase", role="editor")
        user = sv.users.get(s, user_id)
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a long passphrase")
        assert not verify_password(user.password_hash, "wrong passphrase")
    error = _fails(
        vocab_engine,
        lambda s: create_user(s, username="x", password="short", role="editor"),
        ADMIN,
    )
    assert error.by_field() == {"password": ["The password needs at least 10 characters."]}
