"""The documented seed: idempotent, cited, unknowns kept unknown, confidential people protected."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker import seed
from tracker.models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Citation,
    Hearing,
    SentenceRequest,
    Source,
    StageChange,
)
from tracker.stats import row_counts

DOCUMENTED = {
    "actor": 32,
    "case_party": 32,
    "charge": 67,
    "charge_complainant": 100,
    "court": 9,
    "court_case": 3,
    "hearing": 5,
    "measure": 1,
    "membership": 3,
    "sentence_request": 9,
    "source": 28,
    "stage_change": 19,
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
        "sentence_request": SentenceRequest,
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
            .order_by(Charge.outcome)
        ).all()
        # Celendín: 16 x 3 unknown; Espinar: 6 acquitted, 3 ended by death, 6 annulled.
        assert others == [
            ("acquitted", 6),
            ("extinguished_death", 3),
            ("indictment_null", 6),
            ("unknown", 48),
        ]
        opened = s.exec(
            select(Case.opened_on_precision).where(col(Case.title).startswith("Máxima"))
        ).one()
        assert opened == "month"  # August 2011 (gestion.pe)


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


def _case(s: Session, title: str) -> Case:
    return s.exec(select(Case).where(col(Case.title).startswith(title))).one()


def test_every_citation_says_what_its_source_states(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        blank = s.exec(
            select(func.count())
            .select_from(Citation)
            .where(or_(col(Citation.supports).is_(None), func.trim(Citation.supports) == ""))
        ).one()
        assert blank == 0
        assert s.exec(select(func.count()).select_from(Citation)).one() == 293


def test_no_documented_charge_carries_a_sentence_request(engine: Engine) -> None:
    """Requests are dated facts of their own, recorded once, never copied onto charges."""
    seed.seed(engine)
    with Session(engine) as s:
        on_charges = s.exec(
            select(func.count())
            .select_from(Charge)
            .where(
                or_(
                    col(Charge.sentence_requested_months).is_not(None),
                    col(Charge.reparation_requested).is_not(None),
                )
            )
        ).one()
        assert on_charges == 0
        assert (
            s.exec(select(func.count()).where(Charge.sentence_requested_months == 432)).one() == 0
        )


def test_espinar_as_the_sources_state_it(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        case = _case(s, "Oscar Mollohuanca")
        assert (case.stage, case.status, case.closed_on) == ("closed", "closed", None)
        roles = s.exec(
            select(CaseParty.role, func.count())
            .where(CaseParty.case_id == case.id)
            .group_by(CaseParty.role)
            .order_by(CaseParty.role)
        ).all()
        assert roles == [("civil_party", 1), ("defendant", 3), ("public_prosecutor", 1)]
        complainants = s.exec(
            select(func.count())
            .select_from(ChargeComplainant)
            .join(Charge, col(Charge.id) == col(ChargeComplainant.charge_id))
            .where(Charge.case_id == case.id)
        ).one()
        assert complainants == 0
        outcomes = s.exec(
            select(Actor.name, Charge.charge_type, Charge.outcome, Charge.status)
            .join(Actor, col(Actor.id) == col(Charge.defendant_id))
            .where(Charge.case_id == case.id)
            .order_by(Actor.name, Charge.charge_type)
        ).all()
        mayor = [o for o in outcomes if o[0] == "Oscar Mollohuanca Cruz"]
        assert [(o[1], o[2]) for o in mayor] == [
            ("dangerous_materials", "indictment_null"),
            ("endangering_public_safety", "extinguished_death"),
            ("incitement_apology", "indictment_null"),
            ("obstruction_public_services", "extinguished_death"),
            ("riot", "extinguished_death"),
        ]
        leaders = {(o[1], o[2]) for o in outcomes if o[0] != "Oscar Mollohuanca Cruz"}
        assert leaders == {
            ("dangerous_materials", "indictment_null"),
            ("endangering_public_safety", "acquitted"),
            ("incitement_apology", "indictment_null"),
            ("obstruction_public_services", "acquitted"),
            ("riot", "acquitted"),
        }
        assert {o[3] for o in outcomes} == {"resolved"}
        events = s.exec(
            select(StageChange.event, StageChange.from_stage, StageChange.to_stage)
            .where(StageChange.case_id == case.id, StageChange.event != "stage_change")
            .order_by(StageChange.event, StageChange.to_stage)
        ).all()
        assert ("judgment", "appeal", "closed") in events  # acquittal confirmed on appeal
        assert ("archived", "closed", "closed") in events  # archived: an event, not a stage
        assert ("retrial_ordered", "appeal", "trial") in events
        requests = s.exec(
            select(
                SentenceRequest.requested_on,
                SentenceRequest.requested_on_precision,
                SentenceRequest.prison_months_min,
                SentenceRequest.prison_months_max,
                SentenceRequest.reparation_amount,
            )
            .where(SentenceRequest.case_id == case.id)
        ).all()
        assert len(requests) == 7
        assert set(requests) == {
            (None, "unknown", None, None, 5000000.0),
            (date(2017, 1, 1), "year", None, None, 5000000.0),
            (date(2017, 1, 1), "year", 84, 84, None),
            (date(2017, 1, 1), "year", 96, 96, 100000.0),
            (None, "unknown", 120, 120, 100000.0),
            (None, "unknown", 240, 240, None),
            (None, "unknown", None, 360, None),
        }
        detention = s.exec(select(Hearing.scheduled_at).where(Hearing.case_id == case.id)).all()
        assert len(detention) == 3


def test_celendin_and_acuna_as_the_sources_state_them(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        celendin = _case(s, "16 land")
        assert (celendin.opened_on, celendin.opened_on_precision) == (None, "unknown")
        ruling = s.exec(
            select(Hearing.result, Hearing.notes).where(
                Hearing.case_id == celendin.id, Hearing.scheduled_at == datetime(2017, 3, 16)
            )
        ).one()
        assert ruling[0] == "held"
        assert "no case to answer" in (ruling[1] or "")
        requests = s.exec(
            select(SentenceRequest.prison_months_min, SentenceRequest.prison_months_max)
            .where(SentenceRequest.case_id == celendin.id)
            .order_by(SentenceRequest.prison_months_max)
        ).all()
        assert requests == [(360, 420), (None, 432)]
        acuna = _case(s, "Máxima Acuña")
        conviction = s.exec(
            select(StageChange.on_date, StageChange.on_date_precision).where(
                StageChange.case_id == acuna.id, StageChange.to_stage == "first_instance_judgment"
            )
        ).one()
        assert conviction == (date(2014, 8, 5), "day")
        people = dict(
            s.exec(
                select(Actor.name, Actor.is_defender).where(
                    col(Actor.name).in_(
                        ["Máxima Acuña", "Jaime Chaupe Lozano", "Ysidora Chaupe Acuña"]
                    )
                )
            ).all()
        )
        assert people == {
            "Máxima Acuña": True,
            "Jaime Chaupe Lozano": False,
            "Ysidora Chaupe Acuña": False,
        }
        rights = s.exec(select(Actor.rights_defended).where(Actor.name == "Máxima Acuña")).one()
        assert rights == ["land_territory"]
        stages = s.exec(
            select(func.count()).where(
                or_(StageChange.to_stage == "archived", StageChange.from_stage == "archived")
            )
        ).one()
        assert stages == 0


def test_sources_naming_confidential_defendants_are_restricted(engine: Engine) -> None:
    from tracker import sourcing
    from tracker.citing import citations_for

    seed.seed(engine)
    with Session(engine) as s:
        restricted = s.exec(
            select(Source.key).where(col(Source.restricted).is_(True)).order_by(Source.key)
        ).all()
        assert restricted == ["congaconflict-2017-03-11", "countervortex-2017"]
        hidden = s.exec(select(Source).where(Source.key == "countervortex-2017")).one()
        rows, _ = sourcing.source_list(s, show_confidential=False, page_size=100)
        shown = {r["id"]: r for r in rows}[hidden.id]
        assert (shown["title"], shown["url"], shown["notes"]) == ("A restricted source", None, None)
        assert shown["reliability"] == "unverified"
        # Searching a viewer's list by a restricted source's title finds nothing.
        assert sourcing.source_list(s, show_confidential=False, text="countervortex")[1] == 0
        assert sourcing.source_list(s, show_confidential=True, text="countervortex")[1] == 1
        detail = sourcing.source_detail(s, hidden.id, show_confidential=False)
        assert detail is not None and detail["title"] == "A restricted source"
        celendin = _case(s, "16 land")
        cited = citations_for(s, [celendin.id], show_confidential=False)[celendin.id]
        titles = {c["title"] for c in cited}
        assert "A restricted source" in titles
        assert not any("countervortex" in c["title"] for c in cited)


def test_refresh_corrects_an_old_seed_and_keeps_peoples_edits(engine: Engine) -> None:
    """An installation seeded before the corrections gets them, audited; edits stay."""
    from tracker import db, services
    from tracker.permissions import SEED, Principal

    seed.seed(engine)
    espinar = seed.seed_id("case", "case-espinar-2012")
    prosecutor = seed.seed_id("actor", "ica-public-prosecutor")
    acuna = seed.seed_id("case", "case-maxima-acuna")
    # What the old seed said: the prosecutor as complainant, a stage "archived", a wrong date.
    with db.unit_of_work(engine, SEED) as s:
        old_party = services.parties.create(
            s, {"case_id": espinar, "actor_id": prosecutor, "role": "complainant"}
        )
        case = s.get(Case, espinar)
        assert case is not None
        services.cases.update(s, espinar, {"status": "unknown"}, case.version_id)
    # A lawyer corrected the Acuña summary by hand since.
    with db.unit_of_work(engine, Principal("lawyer", "editor")) as s:
        case = s.get(Case, acuna)
        assert case is not None
        services.cases.update(s, acuna, {"summary": "Edited by a lawyer."}, case.version_id)
        services.cases.update(s, acuna, {"status": "open"}, case.version_id)
    report = seed.refresh(engine)
    assert report["added"] == {}
    assert report["updated"] == {"court_case": 1}
    assert report["deleted"] == {"case_party": 1}
    assert report["kept"] == [("court_case", acuna)]  # the lawyer's edits are not overwritten
    with Session(engine) as s:
        assert s.get(CaseParty, old_party) is None
        assert s.get(Case, espinar).status == "closed"  # type: ignore[union-attr]
        kept = s.get(Case, acuna)
        assert kept is not None and (kept.summary, kept.status) == ("Edited by a lawyer.", "open")
    again = seed.refresh(engine)
    assert again == {"added": {}, "updated": {}, "deleted": {}, "kept": [("court_case", acuna)]}
