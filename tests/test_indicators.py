"""Every indicator of INDICATORS.md on the hand-built network of tests/test_graphs.py,
computed in SQL by tracker.analysis (the one implementation).

Expected values are worked out by hand from that module's docstring, with today = 2026-01-01.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network, names
from tracker import analysis as ind
from tracker import db
from tracker.cli import main
from tracker.i18n import set_language
from tracker.indicators import display
from tracker.network_data import load

TODAY = date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def network(
    _sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Engine, Any]:
    """The hand-built network on one SQLite file for the module: (ids, engine, the viewer's
    rows for the records behind a number)."""
    path = tmp_path_factory.mktemp("indicators") / "network.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    ids = build_network(engine)
    return ids, engine, load(engine)


def overall(engine: Engine, **kw: Any) -> dict[str, ind.Figure]:
    return {f.indicator: f for f in ind.figures(engine, today=TODAY, **kw)}


def by(engine: Engine, group_by: str, code: str, ids: dict[str, str]) -> dict[str, Any]:
    """group (short name for ids, else the key) -> (value, numerator, denominator)."""
    n = names(ids)
    return {
        n.get(f.group, f.group): (f.value, f.numerator, f.denominator)
        for f in ind.figures(engine, group_by=group_by, today=TODAY, codes=[code])
    }


def records(engine: Engine, figure: ind.Figure, **kw: Any) -> ind.Figure:
    return ind.with_records(engine, None, figure, today=TODAY, **kw)


# Overall figures of the hand-built network on TODAY: (code, value, numerator, denominator,
# details). tests/test_indicators_sql.py checks the SQL aggregates against the same table.
OVERALL = [
    ("complainant_reach", 6, None, None, {"complainants": 3, "cases": 3, "charges": 10}),
    ("repeat_targeting", 1, 1, 8, {"defenders": 1}),
    ("mass_prosecution", 1, 1, 3, {"share": 0.3333, "threshold": 5}),
    ("charge_stacking", 1.25, 2, 8, {"max": 2, "stacked": 2}),
    # D1 5050 days (2012-03-05 to today, ch4 pending), D2 2871 (2012-03 to 2020-01-10,
    # all final; month precision), D3-D6 2375 each (2019-07-02 to today): median 2375,
    # mean (5050 + 2871 + 4 * 2375) / 6 = 2903.5.
    (
        "time_under_prosecution",
        2375.0,
        6,
        6,
        {"mean_days": 2903.5, "max_days": 5050, "pending_defenders": 5, "precision": "month"},
    ),
    ("unfounded_rate", 0.75, 3, 4, {"pending": 6}),  # ch1, ch2, ch10 of ch1-3, ch10
    ("conviction_rate", 0.25, 1, 4, {"pending": 6}),  # ch3
    ("detention_annulled", 2, 2, 3, {"share": 0.6667}),  # m1 annulled, m2 D2 all unfounded
    ("postponement_rate", 0.5, 2, 4, {"ahead": 1}),  # h3, h4 of h1-h4; h5 is in 2030
    ("venue_transfer", 1, 1, 3, {"share": 0.3333}),  # C3
    ("reopened", 1, 1, 3, {"share": 0.3333}),  # C2, archived then reopened
    # 48 and 72 months asked: 5 years; 24 imposed of 48 asked on ch3.
    (
        "sentence_asked_vs_imposed",
        5.0,
        1,
        2,
        {"requests": 2, "imposed_years": 2.0, "imposed_of_requested": 0.5},
    ),
]


@pytest.mark.parametrize(("code", "value", "numerator", "denominator", "details"), OVERALL)
def test_overall(
    network: Any,
    code: str,
    value: float,
    numerator: int | None,
    denominator: int | None,
    details: dict[str, Any],
) -> None:
    f = overall(network[1])[code]
    assert (f.value, f.numerator, f.denominator, f.details) == (
        value,
        numerator,
        denominator,
        details,
    )


def test_every_indicator_of_the_contract_is_there() -> None:
    assert len(ind.INDICATORS) == 12
    for i in ind.INDICATORS:
        assert i.name("en") != i.name("es")
        assert i.definition("es") and "{" not in i.definition("en")


def test_rows_behind_each_number(network: Any) -> None:
    ids, engine, data = network
    n = names(ids)
    figures = {k: records(engine, f) for k, f in overall(engine).items()}
    repeat = figures["repeat_targeting"]
    assert sorted(n[i] for i in repeat.hits) == ["ch1", "ch2", "ch4"]
    assert len(repeat.rows) == 10
    assert [n[i] for i in figures["reopened"].hits] == ["C2"]
    assert [n[i] for i in figures["venue_transfer"].hits] == ["C3"]
    assert [n[i] for i in figures["mass_prosecution"].hits] == ["C3"]
    assert sorted(n[i] for i in figures["detention_annulled"].hits) == ["m1", "m2"]
    assert sorted(n[i] for i in figures["postponement_rate"].hits) == ["h3", "h4"]
    assert sorted(n[i] for i in figures["unfounded_rate"].rows) == ["ch1", "ch10", "ch2", "ch3"]
    rows = display.rows_behind(data, figures["conviction_rate"], "en", today=TODAY)
    assert [(r["Defendant"], r["Outcome"], r["Counts as"], r["Counted"]) for r in rows[:1]] == [
        ("Beto Quispe", "Convicted: suspended sentence", "Conviction", True)
    ]
    assert rows[0]["Complainants"] == "Minera Norte, Policía Nacional"
    assert len(rows) == 4


def test_rows_behind_a_page_at_a_time(network: Any) -> None:
    """Pages of the records behind a number are slices of the whole list, in its order."""
    _, engine, data = network
    for figure in (records(engine, f) for f in overall(engine).values()):
        whole = display.rows_behind(data, figure, "en", today=TODAY)
        pages = [
            display.rows_behind_page(data, figure, "en", today=TODAY, start=start, count=3)
            for start in range(0, len(whole) + 3, 3)
        ]
        assert {total for _, total in pages} == {len(whole)}
        assert [row for page, _ in pages for row in page] == whole


def test_per_complainant(network: Any) -> None:
    ids, data, _ = network  # data: the engine
    assert by(data, "complainant", "complainant_reach", ids) == {
        "K3": (5, None, None),
        "K1": (2, None, None),
        "K2": (1, None, None),
    }
    assert by(data, "complainant", "unfounded_rate", ids) == {
        "K3": (1.0, 1, 1),
        "K1": (0.6667, 2, 3),
        "K2": (0.0, 0, 1),
    }
    # Only K1's own links count in its group: ch3 also names K2.
    assert by(data, "complainant", "repeat_targeting", ids) == {
        "K3": (0, 0, 5),
        "K1": (1, 1, 2),
        "K2": (0, 0, 1),
    }
    assert by(data, "complainant", "mass_prosecution", ids)["K3"] == (1, 1, 1)


def test_a_page_of_figures_is_that_slice_of_every_figure(network: Any) -> None:
    ids, data, _ = network  # data: the engine
    whole = ind.figures(data, group_by="complainant", today=TODAY, lang="en")
    # 12 indicators x 3 complainants, less the groups a unit has none of (no hearing or
    # measure of some complainant's cases)
    assert len(whole) == 34
    # Pages cut across indicators, run past the end, or start there.
    for start, count in ((0, 5), (4, 3), (30, 6), (34, 10), (0, None)):
        page, total = ind.figures_page(
            data, group_by="complainant", today=TODAY, lang="en", start=start, count=count
        )
        assert total == 34
        assert page == whole[start : None if count is None else start + count]
    page, _ = ind.figures_page(
        data, group_by="complainant", today=TODAY, lang="en", start=3, count=2
    )
    n = names(ids)
    assert [(f.indicator, n[f.group]) for f in page] == [
        ("repeat_targeting", "K3"),
        ("repeat_targeting", "K1"),
    ]


def test_per_charge_type_region_year(network: Any) -> None:
    ids, data, _ = network  # data: the engine
    assert by(data, "charge_type", "unfounded_rate", ids) == {
        "obstruction_public_services": (None, 0, 0),
        "riot": (1.0, 2, 2),
        "usurpation": (0.5, 1, 2),
    }
    assert by(data, "region", "unfounded_rate", ids) == {
        "Cajamarca": (0.6667, 2, 3),
        "Cusco": (1.0, 1, 1),
    }
    assert by(data, "year", "unfounded_rate", ids) == {
        "2012": (0.6667, 2, 3),
        "2016": (None, 0, 0),
        "2019": (1.0, 1, 1),
    }
    assert by(data, "charge_type", "sentence_asked_vs_imposed", ids)["usurpation"] == (4.0, 1, 1)
    assert by(data, "case", "postponement_rate", ids) == {
        "C1": (0.0, 0, 1),
        "C3": (0.6667, 2, 3),
    }
    assert by(data, "court", "postponement_rate", ids) == {"": (0.5, 2, 4)}
    # Indicators that cannot be broken down by case are left out, not invented.
    assert {f.indicator for f in ind.figures(data, group_by="case", today=TODAY)} == {
        "postponement_rate"
    }


def test_mass_threshold_is_adjustable(network: Any) -> None:
    data = network[1]
    assert overall(data, mass_threshold=2)["mass_prosecution"].value == 3
    assert overall(data, mass_threshold=6)["mass_prosecution"].value == 0
    assert "6 or more" in ind.indicator("mass_prosecution").definition("en", 6)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("archived", "unfounded"),
        ("dismissed", "unfounded"),
        ("indictment_null", "unfounded"),
        ("acquitted", "unfounded"),
        ("withdrawn", "unfounded"),
        ("time_barred", "unfounded"),
        ("conviction_overturned", "unfounded"),
        ("convicted", "conviction"),
        ("convicted_prison", "conviction"),
        ("convicted_suspended", "conviction"),
        ("convicted_fine", "conviction"),
        ("convicted_disqualification", "conviction"),
        ("plea", "conviction"),
        ("unknown", "pending"),
        ("acquittal_overturned", "pending"),
        (None, "pending"),
        ("no_such_code", "pending"),
    ],
)
def test_outcome_mapping(code: str | None, expected: str) -> None:
    assert ind.outcome_class(code) == expected
    assert ind.is_final(code) == (expected != "pending")


def test_a_new_outcome_term_inherits_its_parents_class() -> None:
    parents = {"convicted_community_service": "convicted", "loop_a": "loop_b", "loop_b": "loop_a"}
    assert ind.outcome_class("convicted_community_service", parents) == "conviction"
    assert ind.outcome_class("loop_a", parents) == "pending"


def test_every_outcome_of_the_vocabulary_is_classified() -> None:
    import yaml

    from tracker import config

    vocab = yaml.safe_load((config.SEED_DIR / "vocabularies.yaml").read_text(encoding="utf-8"))
    assert sorted(t["code"] for t in vocab["outcome"]) == sorted(ind.OUTCOME_CLASS)


def test_empty_data_gives_empty_figures(engine: Engine) -> None:
    figures = overall(engine)
    assert figures["unfounded_rate"].value is None
    assert figures["complainant_reach"].value == 0
    assert display.format_value("share", None) == "–"
    assert ind.figures(engine, group_by="complainant", today=TODAY) == []


def test_an_in_memory_database_runs_its_statements_on_its_one_connection(network: Any) -> None:
    """The charges' statement and the units' statement run at once on two connections, but
    each connection to ``sqlite:///:memory:`` is a database of its own: there they run one
    after the other on the caller's, and give the numbers of the file they were copied from."""
    _ids, engine, _rows = network
    memory = db.make_engine("sqlite:///:memory:")
    with engine.connect() as source, memory.connect() as copy:
        source.connection.driver_connection.backup(copy.connection.driver_connection)
    want = ind.Aggregates(engine, today=TODAY).numbers(["overall", "complainant"])
    got = ind.Aggregates(memory, today=TODAY).numbers(["overall", "complainant"])
    assert got == want
    assert got["overall"]["postponement_rate"][""].numerator == 2  # h3, h4 (OVERALL)
    memory.dispose()


def test_unknown_grouping_is_refused(network: Any) -> None:
    with pytest.raises(ValueError, match="unknown grouping 'colour'"):
        ind.figures(network[1], group_by="colour", today=TODAY)


def test_display_rows_in_spanish(network: Any) -> None:
    rows = display.figure_rows(
        ind.figures(network[1], today=TODAY, codes=["unfounded_rate", "time_under_prosecution"]),
        "es",
        with_definition=True,
    )
    assert [(r["Indicador"], r["Valor"]) for r in rows] == [
        ("Tiempo bajo proceso", "2.375 días"),
        ("Tasa de imputaciones infundadas", "75,0 %"),
    ]
    assert rows[1]["Definición"].startswith("Entre las imputaciones con resultado definitivo")


def test_cli_json_gives_the_same_numbers(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = build_network(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    assert main(["indicators", "--json", "--today", "2026-01-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    figures = {i["code"]: i for i in report["indicators"]}
    assert [i["code"] for i in report["indicators"]] == [i.code for i in ind.INDICATORS]
    direct = overall(engine)
    for code, item in figures.items():
        assert item["overall"]["value"] == direct[code].value, code
        assert item["definition"] == ind.indicator(code).definition("en")
    reach = {r["label"]: r["value"] for r in figures["complainant_reach"]["per_complainant"]}
    assert reach == {"Fiscalía Cusco": 5, "Minera Norte": 2, "Policía Nacional": 1}
    per = {r["group"]: r for r in figures["unfounded_rate"]["per_complainant"]}
    assert (per[ids["K1"]]["value"], per[ids["K1"]]["numerator"]) == (0.6667, 2)
    spans = {r["label"] for r in figures["time_under_prosecution"]["per_complainant"]}
    assert "Eva Ccori" not in json.dumps(report)
    assert spans == {"Fiscalía Cusco", "Minera Norte", "Policía Nacional"}


def test_cli_without_json_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    set_language("en")
    assert main(["indicators"]) == 2
    assert "--json" in capsys.readouterr().out


def test_prosecution_spans_per_defender(network: Any) -> None:
    ids, data, _ = network  # data: the engine
    found = ind.Aggregates(data, today=TODAY).prosecution_spans()
    spans = {names(ids)[s["id"]]: s for s in found}
    assert (spans["D1"]["days"], spans["D1"]["start"], spans["D1"]["end"]) == (
        5050,
        "2012-03-05",
        "2026-01-01",
    )
    assert (spans["D2"]["days"], spans["D2"]["start"], spans["D2"]["precision"]) == (
        2871,
        "2012-03",
        "month",
    )
    assert spans["D2"]["pending"] is False and spans["D5"]["label"] == "Defensora E"


def test_detentions_per_complainant_count_only_its_own_defendants(engine: Engine) -> None:
    """INDICATORS.md (2026-12-03): per complainant, a detention counts only for the
    complainants who charged the detained defendant. D1 is detained in C1, where K1 charged
    D1 (ch1 acquitted, ch2 dismissed: a hit) and K2 charged only D2 (ch3): the detention is
    K1's, not K2's, although K2 is a complainant of the case."""
    from tracker import services as sv
    from tracker.auth import Principal

    ids = build_network(engine)
    with db.unit_of_work(engine, Principal("editor", "editor")) as s:
        sv.measures.create(
            s,
            {"case_id": ids["C1"], "defendant_id": ids["D1"], "kind": "pretrial_detention",
             "ordered_on": "2012-04-03"},
        )  # fmt: skip
    assert by(engine, "complainant", "detention_annulled", ids) == {
        "K1": (1, 1, 1),
        "K3": (2, 2, 3),
    }
    f = overall(engine)["detention_annulled"]
    assert (f.value, f.numerator, f.denominator) == (3, 3, 4)
    hits = ind.with_records(engine, None, by_group(engine, "K1", ids), today=TODAY).hits
    assert [names(ids).get(i) for i in hits] == [None]  # the new measure, not one of m1-m3


def by_group(engine: Engine, short: str, ids: dict[str, str]) -> ind.Figure:
    """The detention_annulled figure of one complainant."""
    found = ind.figures(engine, group_by="complainant", today=TODAY, codes=["detention_annulled"])
    return next(f for f in found if f.group == ids[short])
