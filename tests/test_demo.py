"""The synthetic data generator: deterministic, internally consistent, realistically shaped."""

from __future__ import annotations

import hashlib
import json
import statistics
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tracker import config, db, demo
from tracker.models import enums

# Rows written by generate(scale="S", seed=42); any change to the generator shows up here.
S_COUNTS = {
    "actor": 600,
    "membership": 150,
    "court": 151,
    "court_case": 200,
    "case_party": 1_147,
    "charge": 981,
    "charge_complainant": 1_033,
    "hearing": 3_048,
    "measure": 208,
    "stage_change": 1_020,
    "audit_log": 1,
}


def _value(v: Any) -> Any:
    """A backend-neutral form of a column value (PostgreSQL and SQLite return other types)."""
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, date):  # datetimes too: aware ones come back in UTC from both
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    return v


def _digest(engine: Engine) -> dict[str, str]:
    """Per table, a hash of all its rows sorted (so the insert order does not matter)."""
    out = {}
    with engine.connect() as conn:
        for name in demo.TABLE_NAMES:
            rows = conn.execute(select(SQLModel.metadata.tables[name])).all()
            lines = sorted(json.dumps([_value(v) for v in row], sort_keys=True) for row in rows)
            out[name] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return out


def _new_db(tmp_path: Path, name: str) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / name}")
    db.upgrade(engine)
    return engine


def _scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_same_seed_gives_the_same_rows(engine: Engine, tmp_path: Path) -> None:
    assert demo.generate(engine, scale="S", seed=42) == S_COUNTS
    other = _new_db(tmp_path, "b.db")
    # A different batch size changes only how rows are written, not which.
    assert demo.generate(other, scale="S", seed=42, batch_size=97) == S_COUNTS
    assert _digest(engine) == _digest(other)
    third = _new_db(tmp_path, "c.db")
    demo.generate(third, scale="S", seed=7)
    assert _digest(third)["charge"] != _digest(other)["charge"]
    other.dispose()
    third.dispose()


def test_rows_are_synthetic_and_the_load_is_audited(engine: Engine) -> None:
    counts = demo.generate(engine, scale="S")
    for name in demo.TABLE_NAMES:
        table = SQLModel.metadata.tables[name]
        assert _scalar(engine, f"SELECT COUNT(*) FROM {name}") == counts[name]
        if "is_synthetic" in table.columns:
            assert _scalar(engine, f"SELECT COUNT(*) FROM {name} WHERE NOT is_synthetic") == 0
    with engine.connect() as conn:
        audit = conn.execute(select(SQLModel.metadata.tables["audit_log"])).one()
    assert (audit.username, audit.table_name, audit.row_id, audit.action) == (
        "demo", "*", None, "bulk_load")
    assert audit.changes == {"scale": "S", "seed": 42,
                             "rows": {k: v for k, v in counts.items() if k != "audit_log"}}
    assert audit.at.utcoffset() is not None


# Each query counts rows that break a rule; all must be 0.
VIOLATIONS = {
    "charged person not a defendant party": """
        SELECT COUNT(*) FROM charge c WHERE NOT EXISTS (SELECT 1 FROM case_party p
        WHERE p.case_id = c.case_id AND p.actor_id = c.defendant_id AND p.role = 'defendant')""",
    "charge complainant not a complainant party": """
        SELECT COUNT(*) FROM charge_complainant x JOIN charge c ON c.id = x.charge_id
        WHERE NOT EXISTS (SELECT 1 FROM case_party p WHERE p.case_id = c.case_id
        AND p.actor_id = x.actor_id AND p.role = 'complainant')""",
    "charge without complainant": """
        SELECT COUNT(*) FROM charge c
        WHERE NOT EXISTS (SELECT 1 FROM charge_complainant x WHERE x.charge_id = c.id)""",
    "outcome before filing": "SELECT COUNT(*) FROM charge WHERE outcome_on < filed_on",
    "charge filed before the case opened": """
        SELECT COUNT(*) FROM charge c JOIN court_case k ON k.id = c.case_id
        WHERE c.filed_on < k.opened_on""",
    "hearing before the case opened": """
        SELECT COUNT(*) FROM hearing h JOIN court_case k ON k.id = h.case_id
        WHERE date(h.scheduled_at) < k.opened_on""",
    "measure before the case opened": """
        SELECT COUNT(*) FROM measure m JOIN court_case k ON k.id = m.case_id
        WHERE m.ordered_on < k.opened_on""",
    "court event before the case opened": """
        SELECT COUNT(*) FROM stage_change s JOIN court_case k ON k.id = s.case_id
        WHERE s.on_date < k.opened_on""",
    "closed before opened": "SELECT COUNT(*) FROM court_case WHERE closed_on < opened_on",
    "closed case with unresolved charges": """
        SELECT COUNT(*) FROM court_case k WHERE k.status = 'closed' AND EXISTS
        (SELECT 1 FROM charge c WHERE c.case_id = k.id AND c.status <> 'resolved')""",
    "open case with every charge resolved": """
        SELECT COUNT(*) FROM court_case k WHERE k.status = 'open' AND NOT EXISTS
        (SELECT 1 FROM charge c WHERE c.case_id = k.id AND c.status <> 'resolved')""",
    "closed case without closing date": """
        SELECT COUNT(*) FROM court_case WHERE (status = 'closed') <> (closed_on IS NOT NULL)""",
    "case stage is not its latest event's": """
        SELECT COUNT(*) FROM court_case k WHERE k.stage <> (SELECT s.to_stage
        FROM stage_change s WHERE s.case_id = k.id ORDER BY s.on_date DESC LIMIT 1)""",
    "future hearing with a result or in a closed case": """
        SELECT COUNT(*) FROM hearing h JOIN court_case k ON k.id = h.case_id
        WHERE date(h.scheduled_at) > '2026-06-30' AND (h.result IS NOT NULL
        OR k.status <> 'open')""",
    "postponed hearing without reason or next date": """
        SELECT COUNT(*) FROM hearing WHERE result = 'postponed'
        AND (postponement_reason IS NULL OR next_date IS NULL)""",
    "resolved charge without outcome": """
        SELECT COUNT(*) FROM charge WHERE (status = 'resolved') <> (outcome IS NOT NULL)""",
    "confidential person without pseudonym": """
        SELECT COUNT(*) FROM actor WHERE confidentiality = 'confidential' AND pseudonym IS NULL""",
}


def test_rows_are_consistent(engine: Engine) -> None:
    demo.generate(engine, scale="S")
    broken = {rule: n for rule, sql in VIOLATIONS.items() if (n := _scalar(engine, sql))}
    assert broken == {}


def test_partial_dates_are_stored_as_the_start_of_their_period(engine: Engine) -> None:
    demo.generate(engine, scale="S")
    checked = 0
    with engine.connect() as conn:
        for table in (SQLModel.metadata.tables[n] for n in demo.TABLE_NAMES):
            for col in table.columns:
                prec = table.columns.get(f"{col.name}_precision")
                if prec is None:
                    continue
                for value, precision in conn.execute(select(col, prec)):
                    checked += 1
                    assert (value is None) == (precision == "unknown"), (table.name, col.name)
                    if precision == "month":
                        assert value.day == 1
                    elif precision == "year":
                        assert (value.month, value.day) == (1, 1)
    assert checked > 1000


def test_codes_come_from_the_vocabularies(engine: Engine) -> None:
    demo.generate(engine, scale="S")
    vocab = yaml.safe_load((config.SEED_DIR / "vocabularies.yaml").read_text(encoding="utf-8"))
    codes = {name: {t["code"] for t in terms} for name, terms in vocab.items()}
    codes |= {"actor_kind": set(enums.ACTOR_KINDS), "conf": set(enums.CONFIDENTIALITY),
              "case_status": set(enums.CASE_STATUSES), "charge_status": set(enums.CHARGE_STATUSES),
              "court_kind": set(enums.COURT_KINDS), "date": set(enums.DATETIME_PRECISIONS)}
    columns = {
        "actor": {"kind": "actor_kind", "complainant_category": "complainant_category",
                  "defender_role": "defender_role", "confidentiality": "conf"},
        "court": {"kind": "court_kind"},
        "court_case": {"stage": "stage", "case_type": "case_type", "status": "case_status",
                       "confidentiality": "conf"},
        "case_party": {"role": "party_role"},
        "charge": {"charge_type": "charge_type", "outcome": "outcome", "status": "charge_status",
                   "mode_of_liability": "mode_of_liability"},
        "hearing": {"hearing_type": "hearing_type", "result": "hearing_result",
                    "postponement_reason": "postponement_reason", "scheduled_precision": "date"},
        "measure": {"kind": "measure_kind"},
        "stage_change": {"event": "court_event", "from_stage": "stage", "to_stage": "stage"},
    }
    with engine.connect() as conn:
        for table, cols in columns.items():
            for col, vocabulary in cols.items():
                used = set(conn.execute(text(f"SELECT DISTINCT {col} FROM {table}")).scalars())
                assert used - {None} <= codes[vocabulary], (table, col)
        actor = SQLModel.metadata.tables["actor"]
        rights = conn.execute(select(actor.c.rights_defended).where(actor.c.is_defender))
        assert {code for (row,) in rights for code in row} <= codes["rights_defended"]


def test_the_data_has_a_realistic_shape(engine: Engine) -> None:
    demo.generate(engine, scale="S")
    with engine.connect() as conn:
        per_complainant = conn.execute(text(
            "SELECT COUNT(DISTINCT case_id) FROM case_party WHERE role = 'complainant' "
            "GROUP BY actor_id")).scalars().all()
        defendants = conn.execute(text(
            "SELECT COUNT(*) FROM case_party WHERE role = 'defendant' GROUP BY case_id"
        )).scalars().all()
        outcomes: dict[str, int] = dict(conn.execute(text(
            "SELECT outcome, COUNT(*) FROM charge WHERE outcome IS NOT NULL GROUP BY outcome"
        )).all())
        results: dict[str, int] = dict(conn.execute(text(
            "SELECT result, COUNT(*) FROM hearing WHERE result IS NOT NULL GROUP BY result"
        )).all())
        future = _scalar(engine, "SELECT COUNT(*) FROM hearing "
                                 "WHERE date(scheduled_at) > '2026-06-30'")
        case = SQLModel.metadata.tables["court_case"]
        opened = conn.execute(select(case.c.opened_on)).scalars().all()
    # A few complainants (a state attorney, mining companies, the police) bring many cases.
    assert max(per_complainant) >= 10 * statistics.median(per_complainant)
    assert max(defendants) >= 5 and statistics.median(defendants) <= 2
    convictions = sum(n for code, n in outcomes.items() if code.startswith("convicted"))
    assert 0 < convictions / sum(outcomes.values()) < 0.15
    assert max(outcomes, key=outcomes.__getitem__) in ("archived", "dismissed", "acquitted")
    assert 0.25 < results["postponed"] / sum(results.values()) < 0.45
    assert future > 0
    assert date(2008, 1, 1) <= min(opened) and max(opened) <= demo.REFERENCE_DATE


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        demo.generate(db.make_engine(f"sqlite:///{tmp_path / 'x.db'}"), scale="XL")

