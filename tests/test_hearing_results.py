"""Recording what happened at a hearing: notes kept, the next hearing as chosen, a stage event
only for a new stage, corrections audited and refused over someone else's newer save."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.factories import make_case_with_defendant
from tracker import audit, db
from tracker import services as sv
from tracker.errors import ConflictError, ValidationError
from tracker.models import Case, Court, Hearing, StageChange
from tracker.permissions import Principal
from tracker.services.hearings import follow_up, join_notes, record_result

ANA = Principal("ana", "editor")


def _setup(engine: Engine) -> dict[str, uuid.UUID]:
    """The factory's case at the oral-trial stage, two courts, one hearing with notes."""
    ids = make_case_with_defendant(engine)
    with db.unit_of_work(engine, ANA) as s:
        ids["trial_court"] = sv.courts.create(s, {"name": "Juzgado Penal de Espinar"})
        ids["appeals"] = sv.courts.create(s, {"name": "Sala de Apelaciones de Cusco"})
        case = sv.cases.get(s, ids["case"])
        sv.cases.update(s, ids["case"], {"stage": "trial"}, case.version_id)
        ids["hearing"] = sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2016-06-01T09:30",
                "hearing_type": "appeal",
                "court_id": ids["appeals"],
                "notes": "Defence asked for the expert report.",
            },
        )
    return ids


def _record(engine: Engine, ids: dict[str, uuid.UUID], **given: object) -> dict[str, object]:
    with Session(engine) as s:
        version = s.get(Hearing, ids["hearing"]).version_id  # type: ignore[union-attr]
    with db.unit_of_work(engine, ANA) as s:
        return record_result(
            s,
            hearing_id=ids["hearing"],
            expected_version=version,
            **given,  # type: ignore[arg-type]
        )


def test_join_notes_appends_a_paragraph_and_drops_nothing() -> None:
    assert join_notes("Old.", "New.") == "Old.\n\nNew."
    assert join_notes(None, " New. ") == "New."
    assert join_notes("Old.", "  ") == "Old."
    assert join_notes(None, None) is None


def test_follow_up_is_the_later_hearing_on_the_next_date() -> None:
    first = {"id": 1, "scheduled_at": datetime(2016, 6, 1, 9), "next_date": date(2016, 7, 4)}
    same_day_earlier = {"id": 2, "scheduled_at": datetime(2016, 6, 1, 8), "next_date": None}
    other_day = {"id": 3, "scheduled_at": datetime(2016, 7, 5, 9), "next_date": None}
    target = {"id": 4, "scheduled_at": datetime(2016, 7, 4, 11), "next_date": None}
    assert follow_up(first, [same_day_earlier, other_day, target, first]) == target
    assert follow_up({**first, "next_date": None}, [target]) is None


def test_note_is_appended_and_next_hearing_takes_chosen_type_and_court(
    vocab_engine: Engine,
) -> None:
    ids = _setup(vocab_engine)
    written = _record(
        vocab_engine,
        ids,
        result="postponed",
        postponement_reason="absent_judge",
        add_note="The judge was ill.",
        next_at="2016-07-04 10:00",
        next_type="trial_session",
        next_court_id=ids["trial_court"],
        new_stage="trial",  # the current stage: no court event
    )
    with Session(vocab_engine) as s:
        hearing = s.get(Hearing, ids["hearing"])
        following = s.get(Hearing, written["next_hearing"])
        events = s.exec(select(StageChange).where(StageChange.case_id == ids["case"])).all()
        assert hearing is not None and following is not None
        assert hearing.notes == "Defence asked for the expert report.\n\nThe judge was ill."
        assert (hearing.result, hearing.postponement_reason, hearing.next_date) == (
            "postponed",
            "absent_judge",
            date(2016, 7, 4),
        )
        assert (str(following.scheduled_at), following.hearing_type, following.court_id) == (
            "2016-07-04 10:00:00",
            "trial_session",
            ids["trial_court"],
        )
        assert events == []
        assert written["stage_change"] is None


def test_defaults_keep_the_type_and_court_and_a_new_stage_is_an_event(
    vocab_engine: Engine,
) -> None:
    ids = _setup(vocab_engine)
    written = _record(
        vocab_engine, ids, result="held", next_at="2016-07-04", new_stage="first_instance_judgment"
    )
    with Session(vocab_engine) as s:
        following = s.get(Hearing, written["next_hearing"])
        event = s.get(StageChange, written["stage_change"])
        case = s.get(Case, ids["case"])
        hearing = s.get(Hearing, ids["hearing"])
        assert following is not None and event is not None and case is not None
        assert (following.hearing_type, following.court_id) == ("appeal", ids["appeals"])
        assert (event.from_stage, event.to_stage, event.on_date) == (
            "trial",
            "first_instance_judgment",
            date(2016, 6, 1),
        )
        assert case.stage == "first_instance_judgment"
        assert hearing is not None and hearing.notes == "Defence asked for the expert report."


def test_a_correction_edits_notes_moves_the_next_hearing_and_is_audited(
    vocab_engine: Engine,
) -> None:
    ids = _setup(vocab_engine)
    first = _record(vocab_engine, ids, result="postponed", next_at="2016-07-04 10:00")
    second = _record(
        vocab_engine,
        ids,
        result="held",
        edited_notes="Expert report admitted.",
        next_at="2016-07-04 12:00",
        next_type="trial_session",
    )
    assert second["next_hearing"] == first["next_hearing"]  # moved, not doubled
    with Session(vocab_engine) as s:
        hearings = s.exec(select(Hearing).where(Hearing.case_id == ids["case"])).all()
        assert sorted(str(h.scheduled_at) for h in hearings) == [
            "2016-06-01 09:30:00",
            "2016-07-04 12:00:00",
        ]
        hearing = s.get(Hearing, ids["hearing"])
        assert hearing is not None and hearing.notes == "Expert report admitted."
        entries = audit.history(s, table_name="hearing", row_id=ids["hearing"])
    assert [e["action"] for e in entries] == ["update", "update", "create"]
    assert entries[0]["changes"]["result"] == ["postponed", "held"]
    assert entries[0]["changes"]["notes"] == [
        "Defence asked for the expert report.",
        "Expert report admitted.",
    ]
    assert entries[0]["user"] == "ana"


def test_a_stale_correction_is_refused_and_changes_nothing(vocab_engine: Engine) -> None:
    ids = _setup(vocab_engine)
    with Session(vocab_engine) as s:
        stale = s.get(Hearing, ids["hearing"]).version_id  # type: ignore[union-attr]
    _record(vocab_engine, ids, result="held")  # someone else saves first
    with pytest.raises(ConflictError) as caught, db.unit_of_work(vocab_engine, ANA) as s:
        record_result(
            s,
            hearing_id=ids["hearing"],
            expected_version=stale,
            result="postponed",
            next_at="2016-08-01",
        )
    assert "Your changes were not saved" in str(caught.value)
    with Session(vocab_engine) as s:
        assert s.get(Hearing, ids["hearing"]).result == "held"  # type: ignore[union-attr]
        assert len(s.exec(select(Hearing).where(Hearing.case_id == ids["case"])).all()) == 1


def test_bad_next_date_reports_it_and_writes_nothing(vocab_engine: Engine) -> None:
    ids = _setup(vocab_engine)
    with pytest.raises(ValidationError) as caught:
        _record(vocab_engine, ids, result="held", add_note="Kept?", next_at="2016-05-01")
    assert list(caught.value.by_field()) == ["next_date"]
    with Session(vocab_engine) as s:
        hearing = s.get(Hearing, ids["hearing"])
        assert hearing is not None and (hearing.result, hearing.notes) == (
            None,
            "Defence asked for the expert report.",
        )
        assert s.exec(select(Court)).all() != []
