"""tracker.analysis.ego on the documented seed, on SQLite and PostgreSQL: one actor's or
court's network, the top complainants by reach, the search, with literal values from
data/seed (counted by hand from the case files), and reach and repeat targeting equal to the
indicators'."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from tests.app.helpers import ready_engine
from tests.test_graphs import build_network
from tracker import analysis, graphs
from tracker.analysis import Filters
from tracker.analysis import ego as egos

TODAY = date(2026, 12, 1)
PROVINCE = "Governor of Celendín province"
DISTRICT = "Governor of Sorochuco district"


@pytest.fixture
def seeded(db_url: str) -> Engine:
    return ready_engine(db_url)


def _find(engine: Engine, text: str, show: bool = False) -> egos.Node:
    found = egos.search_nodes(engine, text, show_confidential=show, limit=5)
    assert found, text
    return found[0]


def test_top_reach_matches_the_indicator(seeded: Engine) -> None:
    top = egos.top_reach(seeded, None, 10, show_confidential=False)
    assert [(c["label"], c["defenders"], c["cases"], c["charges"]) for c in top.complainants] == [
        (PROVINCE, 16, 1, 48),
        (DISTRICT, 16, 1, 48),
        ("Minera Yanacocha", 4, 1, 4),
    ]
    assert top.defenders_total == 20 and len(top.defenders) == 20 and len(top.edges) == 36
    figures = analysis.figures(
        seeded, Filters(), show_confidential=False, group_by="complainant", today=TODAY,
        lang="en",
    )  # fmt: skip
    reach = {
        f.group: (f.value, f.details["cases"], f.details["charges"])
        for f in figures
        if f.indicator == "complainant_reach"
    }
    assert reach == {c["id"]: (c["defenders"], c["cases"], c["charges"]) for c in top.complainants}
    # Top 1 keeps the first by name among equals; its defenders only.
    one = egos.top_reach(seeded, None, 1, show_confidential=False)
    assert [c["label"] for c in one.complainants] == [PROVINCE]
    assert one.defenders_total == 16
    assert {e["charges"] for e in one.edges} == {3}


def test_a_governors_network(seeded: Engine) -> None:
    node = _find(seeded, "Sorochuco")
    assert (node.kind, node.label) == ("actor", DISTRICT)
    net = egos.ego(seeded, None, "actor", node.id, show_confidential=False)
    assert net is not None
    assert (net.cases, net.brought, net.faced, net.roles, net.years) == (1, 48, 0, [], [])
    assert len(net.links) == 16
    assert {(x.side, x.via, x.cases, x.charges) for x in net.links} == {
        (egos.ACCUSED, "charge", 1, 3)
    }
    assert net.links[0].label == "Celendín defender 01"  # the pseudonym, for a viewer
    # Under a filter that leaves the case out, nothing links the governor.
    cusco = egos.ego(seeded, Filters(regions=("Cusco",)), "actor", node.id,
                     show_confidential=False)  # fmt: skip
    assert cusco is not None and (cusco.links, cusco.brought) == ([], 0)


def test_a_defenders_and_a_lawyers_network(seeded: Engine) -> None:
    defender = _find(seeded, "Celendín defender 07")
    net = egos.ego(seeded, None, "actor", defender.id, show_confidential=False)
    assert net is not None
    assert [(x.label, x.side, x.charges) for x in net.links] == [
        (PROVINCE, egos.ACCUSER, 3),
        (DISTRICT, egos.ACCUSER, 3),
    ]
    assert (net.brought, net.faced, net.cases) == (0, 3, 1)
    lawyer = _find(seeded, "Mirtha")
    net = egos.ego(seeded, None, "actor", lawyer.id, show_confidential=False)
    assert net is not None
    assert net.roles == ["defence_lawyer"] and net.cases == 2
    accusers = [(x.label, x.charges) for x in net.links if x.side == egos.ACCUSER]
    assert accusers == [(PROVINCE, 48), (DISTRICT, 48), ("Minera Yanacocha", 4)]
    assert sum(1 for x in net.links if x.side == egos.ACCUSED) == 20
    assert net.years == [{"year": 2011, "brought": 0, "faced": 0, "in_cases": 4}]


def test_a_courts_network(seeded: Engine) -> None:
    court = _find(seeded, "Supreme")
    assert court.kind == "court"
    net = egos.ego(seeded, None, "court", court.id, show_confidential=False)
    assert net is not None
    assert [(x.label, x.side, x.charges, x.first_year) for x in net.links] == [
        ("Minera Yanacocha", egos.ACCUSER, 4, 2011),
        ("Elías Chávez Rodríguez", egos.ACCUSED, 1, 2011),
        ("Jaime Chaupe Lozano", egos.ACCUSED, 1, 2011),
        ("Máxima Acuña", egos.ACCUSED, 1, 2011),
        ("Ysidora Chaupe Acuña", egos.ACCUSED, 1, 2011),
    ]
    assert egos.ego(seeded, None, "court", "not an id", show_confidential=False) is None


def test_search_finds_pseudonyms_never_withheld_names(seeded: Engine) -> None:
    assert egos.search_nodes(seeded, "Name withheld", show_confidential=False, limit=50) == []
    assert len(egos.search_nodes(seeded, "Name withheld", show_confidential=True, limit=50)) == 16
    assert len(egos.search_nodes(seeded, "Celendín defender", show_confidential=False,
                                 limit=50)) == 16  # fmt: skip
    first = egos.search_nodes(seeded, "", show_confidential=False, limit=3)
    assert [n.label for n in first] == [PROVINCE, DISTRICT, "Herbert Huamán Llave"]


def test_most_charged_defenders_and_no_repeat_on_the_seed(seeded: Engine) -> None:
    assert egos.repeat_pairs(seeded, None, 10, show_confidential=False) == (0, [])
    rows = egos.most_charged(seeded, None, 4, show_confidential=False)
    assert [(r["label"], r["charges"], r["cases"], r["accusers"]) for r in rows] == [
        ("Herbert Huamán Llave", 5, 1, 0),
        ("Oscar Mollohuanca Cruz", 5, 1, 0),
        ("Sergio Huamaní Hilario", 5, 1, 0),
        ("Celendín defender 01", 3, 1, 2),
    ]


def test_repeat_targeting_and_reach_agree_with_the_indicators(vocab_engine: Engine) -> None:
    # The hand-built network has one repeated pair (Minera Norte and Ana Huamán, two cases).
    build_network(vocab_engine)
    g = analysis.network_sql(vocab_engine, show_confidential=False)[0]
    pairs = graphs.repeat_targeting(g)
    overall = {
        f.indicator: f
        for f in analysis.figures(vocab_engine, Filters(), show_confidential=False,
                                  group_by="overall", today=TODAY, lang="en")
    }  # fmt: skip
    assert [(p["complainant"], p["defender"], p["cases"]) for p in pairs] == [
        ("Minera Norte", "Ana Huamán", 2)
    ]
    assert overall["repeat_targeting"].numerator == len(pairs) == 1
    total, rows = egos.repeat_pairs(vocab_engine, None, 10, show_confidential=False)
    assert total == 1
    assert [(r["complainant"], r["defender"], r["cases"], r["charges"]) for r in rows] == [
        ("Minera Norte", "Ana Huamán", 2, 3)
    ]
    assert overall["repeat_targeting"].denominator == g.number_of_edges() == 8
    top = egos.top_reach(vocab_engine, None, 5, show_confidential=False)
    assert [(c["label"], c["defenders"]) for c in top.complainants] == [
        ("Fiscalía Cusco", 5), ("Minera Norte", 2), ("Policía Nacional", 1)
    ]  # fmt: skip
