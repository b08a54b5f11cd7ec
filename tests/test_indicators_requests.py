"""Sentence asked vs imposed counts the sentence requests of the documented seed once each,
and a charge's own requested figure only when no request covers it (INDICATORS.md), on
SQLite and PostgreSQL, against literal values and the independent oracle."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from tests.indicator_oracle import oracle
from tracker import analysis, seed
from tracker.analysis.requests import request_rows
from tracker.models import Charge
from tracker.seed import seed_id

TODAY = date(2026, 12, 1)
CODE = "sentence_asked_vs_imposed"


def _figures(engine: Engine, group_by: str) -> dict[str, analysis.Figure]:
    return {
        f.label: f for f in analysis.figures(engine, group_by=group_by, today=TODAY, codes=[CODE])
    }


def _numbers(f: analysis.Figure) -> tuple:
    return f.value, f.numerator, f.denominator, f.details


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    seed.seed(engine)
    return engine


def test_the_seed_requests_count_once_each(seeded: Engine) -> None:
    overall = _figures(seeded, "overall")["All records"]
    # Espinar: 120 (the indictment), 84 (obstruction and riot, 2017), 96 (public safety,
    # 2017), 240 and up to 360 (Mollohuanca, retrial); Celendín: 30 to 35 years (2015,
    # counted at 420) and up to 432 (2017). 1752 months / 7 / 12 = 20.86 years. The 15
    # Espinar and 48 Celendín charges have a request; no charge has an imposed sentence.
    assert _numbers(overall) == (
        20.86, 0, 63, {"requests": 7, "imposed_years": None, "imposed_of_requested": None}
    )  # fmt: skip
    regions = {k: _numbers(f) for k, f in _figures(seeded, "region").items()}
    assert regions["Cusco"][:3] == (15.0, 0, 15)  # 900 / 5 / 12
    assert regions["Cajamarca"][:3] == (35.5, 0, 48)  # 852 / 2 / 12
    types = {k: _numbers(f) for k, f in _figures(seeded, "charge_type").items()}
    # 120, 96 and Mollohuanca's two: the 84 of obstruction and riot does not cover it.
    assert types["Endangering public safety"][:3] == (17.0, 0, 3)
    assert types["Endangering public safety"][3]["requests"] == 4
    assert types["Kidnapping"][:3] == (35.5, 0, 16)
    assert types["Aggravated usurpation"][:3] == (None, 0, 0)  # Acuña: no request
    years = {k: _numbers(f)[:3] for k, f in _figures(seeded, "opened_year").items()}
    assert years == {"2011": (None, 0, 0), "2012": (15.0, 0, 15), "(not known)": (35.5, 0, 48)}


def test_a_charge_with_its_own_figure_and_a_request_is_counted_once(seeded: Engine) -> None:
    riot = seed_id("charge", "charge-espinar-trial-death:oscar-mollohuanca-cruz:riot")
    acuna = seed_id(
        "charge", "charge-acuna-aggravated-usurpation:maxima-acuna:aggravated_usurpation"
    )
    with seeded.begin() as conn:
        # Covered by four requests (the highest 360): its own 999 is not counted.
        conn.execute(
            update(Charge)
            .where(Charge.id == riot)
            .values(sentence_requested_months=999, sentence_imposed_months=60)
        )
        # No request covers Acuña's charges: its own 48 months count, once.
        conn.execute(update(Charge).where(Charge.id == acuna).values(sentence_requested_months=48))
    overall = _figures(seeded, "overall")["All records"]
    # (1752 + 48) / 8 / 12 = 18.75; 60 imposed of 360 asked.
    assert _numbers(overall) == (
        18.75, 1, 64, {"requests": 8, "imposed_years": 5.0, "imposed_of_requested": 0.1667}
    )  # fmt: skip
    figure = analysis.with_records(seeded, None, overall, today=TODAY)
    assert len(figure.rows) == 64 and figure.hits == (riot.hex,)


def test_the_records_behind_show_the_requests(seeded: Engine) -> None:
    cusco = _figures(seeded, "region")["Cusco"]
    rows = request_rows(seeded, None, cusco)
    got = [
        (r["requested_by"], r["defendant"], r["charge_types"], r["months"], r["charges"])
        for r in rows
    ]
    assert got == [
        ("Public prosecutor's office, Ica", None, ["endangering_public_safety"], 96, 3),
        ("Public prosecutor's office, Ica", None, ["obstruction_public_services", "riot"], 84, 6),
        ("Public prosecutor's office, Ica", "Oscar Mollohuanca Cruz", [], 360, 5),
        ("Public prosecutor's office, Ica", "Oscar Mollohuanca Cruz", [], 240, 5),
        ("Public prosecutor's office, Ica", None, [], 120, 15),
    ]
    assert [r["requested_on"] for r in rows][:2] == [date(2017, 1, 1)] * 2
    assert all(r["case"].startswith("Oscar Mollohuanca Cruz and others") for r in rows)


@pytest.mark.parametrize("trusted", [False, True])
def test_the_seed_matches_the_oracle(seeded: Engine, trusted: bool) -> None:
    with seeded.connect() as conn:
        want = oracle(conn, trusted=trusted, today=TODAY)[CODE]
    for group_by in ("overall", "complainant"):
        got = {
            f.group: _numbers(f)
            for f in analysis.figures(
                seeded, show_confidential=trusted, group_by=group_by, today=TODAY, codes=[CODE]
            )
        }
        assert got == want[group_by]
    assert want["overall"][""][3]["requests"] == 7
