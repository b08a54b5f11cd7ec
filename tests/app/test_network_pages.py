"""AppTest of the Network and Indicators pages: empty and seeded databases, privacy, numbers
equal to the command line's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_as
from tests.test_graphs import build_network
from tracker import analysis as ind
from tracker import db, demo, seed
from tracker.cli import main
from tracker.indicators import display
from tracker.permissions import Principal

NETWORK = "pages/3_Network.py"
INDICATORS = "pages/4_Indicators.py"


def _vocabularies_only(url: str) -> None:
    engine = db.make_engine(url)
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)
    engine.dispose()


def _texts(at: AppTest) -> str:
    """Everything the page shows in tables and charts, as one string."""
    parts = [df.value.to_csv() for df in at.dataframe]
    parts += [el.proto.spec for el in at.get("plotly_chart")]
    parts += [s.value for s in at.subheader] + [str(s.options) for s in at.selectbox]
    return "\n".join(parts)


@pytest.mark.parametrize("path", [NETWORK, INDICATORS])
def test_empty_database(app_env: str, path: str) -> None:
    _vocabularies_only(app_env)
    at = run_as(path, app_env, role="viewer")
    if path == NETWORK:
        assert [i.value for i in at.info] == ["No data matches these filters."]
        assert at.get("plotly_chart") == []
    else:
        values = [m.value for m in at.metric if m.label == "Value"]  # a card each
        assert len(values) == 12
        assert values[5:7] == ["–", "–"]  # no final outcome: no rate
        assert "No group has a value for this indicator with these filters." in [
            i.value for i in at.info
        ]


def _graph_mode(at: AppTest) -> AppTest:
    """The whole-graph view (the page opens on the top complainants)."""
    at.radio(key="np_mode").set_value("graph").run()
    assert not at.exception, at.exception
    return at


def test_network_page_for_a_viewer(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = _graph_mode(run_as(NETWORK, app_env, role="viewer"))
    assert at.title[0].value == "Network of judicial harassment"
    reach = at.dataframe[0].value
    assert reach["Complainant"].tolist() == ["Fiscalía Cusco", "Minera Norte", "Policía Nacional"]
    assert reach["Defenders"].tolist() == [5, 2, 1]
    repeat = at.dataframe[1].value
    assert repeat.iloc[0].tolist() == ["Minera Norte", "Ana Huamán", 2, 3]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sum(len(tr.get("x", [])) for tr in spec["data"] if tr["mode"] == "markers") == 9
    assert at.warning == []  # small enough to draw whole
    assert len(at.get("download_button")) == 3
    text = _texts(at)
    assert "Defensora E" in text and "Eva Ccori" not in text


def test_network_page_views_and_node_cases(app_env: str) -> None:
    _vocabularies_only(app_env)
    ids = build_network(db.make_engine(app_env))
    at = _graph_mode(run_as(NETWORK, app_env, role="editor"))
    for view in ("co-defendant", "co-complainant", "case-actor"):
        at.radio(key="nv_view").set_value(view).run()
        assert not at.exception, at.exception
    at.radio(key="nv_view").set_value("co-defendant").run()
    at.radio(key="nv_colour").set_value("group").run()
    box = at.selectbox(key="nv_node")
    assert "Eva Ccori" in box.options  # editors see real names
    box.set_value(ids["D1"]).run()
    cases = at.dataframe[0].value
    assert cases[["Case", "Roles", "Charges against them"]].values.tolist() == [
        ["Caso Uno", "Defendant", 2],
        ["Caso Dos", "Defendant", 1],
        ["Caso Tres", "Witness", 0],
    ]
    communities = at.dataframe[-1].value
    assert communities["Size"].tolist() == [4, 2]
    at.toggle(key="nv_centrality").set_value(True).run()
    central = at.dataframe[-1].value
    assert central.iloc[0].tolist() == ["Beto Quispe", 5, 0.4]


def test_communities_of_a_large_graph_wait_to_be_asked_for(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Above COMMUNITIES_ON_REQUEST nodes Louvain waits for the toggle; lowered here so the
    # nine-node graph counts as large.
    monkeypatch.setattr("tracker.ui.network_widgets.COMMUNITIES_ON_REQUEST", 5)
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = _graph_mode(run_as(NETWORK, app_env, role="viewer"))
    assert [i.value for i in at.info] == [
        "Communities are not computed yet: Louvain on a graph of 9 nodes (more than 5) takes"
        " minutes. Nodes are coloured by group until you ask for them."
    ]
    assert "Communities (Louvain, fixed seed)" not in [s.value for s in at.subheader]
    assert at.get("radio")[2:] == []  # no colour choice until communities exist
    at.toggle(key="nv_communities").set_value(True).run()
    assert at.info == []
    assert "Communities (Louvain, fixed seed)" in [s.value for s in at.subheader]
    assert at.radio(key="nv_colour").value == "community"


def test_network_filters(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = _graph_mode(run_as(NETWORK, app_env, role="viewer"))
    at.sidebar.multiselect(key="nf_regions").set_value(["Cajamarca"]).run()
    assert at.dataframe[0].value["Complainant"].tolist() == ["Minera Norte", "Policía Nacional"]
    at.sidebar.multiselect(key="nf_categories").set_value(["company"]).run()
    assert at.dataframe[0].value["Complainant"].tolist() == ["Minera Norte"]


def test_indicators_page_gives_the_cli_numbers(
    app_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(INDICATORS, app_env, role="viewer")
    monkeypatch.setenv("TRACKER_LANG", "en")
    assert main(["indicators", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = [
        display.format_value(ind.indicator(i["code"]).kind, i["overall"]["value"], "en")
        for i in report["indicators"]
    ]
    # One card per indicator, its value first (tests/app/test_indicators_page.py).
    values = [m.value for m in at.metric if m.label == "Value"]
    assert values == expected
    assert values[5] == "75.0 %"
    assert at.markdown[0].value.startswith("**Definition:** Per complainant: the number")
    breakdown = at.dataframe[1].value  # per complainant by default (after the comparison)
    reach = breakdown[breakdown["Indicator"] == "Complainant reach"]
    assert dict(zip(reach["Group"], reach["Value"], strict=True)) == {
        "Fiscalía Cusco": "5",
        "Minera Norte": "2",
        "Policía Nacional": "1",
    }
    assert "Eva Ccori" not in _texts(at)


def test_indicators_page_rows_behind_and_groupings(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(INDICATORS, app_env, role="editor")
    # The records behind a number are read from the rows only when asked for.
    assert len(at.dataframe) == 3  # comparison, breakdown, spans
    at.toggle(key="ind_rows_show:conviction_rate:overall:").set_value(True).run()
    assert "4 records; 1 of them counted." in [c.value for c in at.caption]
    rows = at.dataframe[0].value
    assert rows[rows["Counted"]]["Defendant"].tolist() == ["Beto Quispe"]
    for grouping in ("charge_type", "region", "year", "opened_year", "case", "court"):
        at.selectbox(key="ind_group_by").set_value(grouping).run()
        assert not at.exception, at.exception
    at.selectbox(key="ind_group_by").set_value("case").run()
    # records, comparison, breakdown, spans
    assert set(at.dataframe[-2].value["Indicator"]) == {"Postponement rate"}
    spans = at.dataframe[-1].value
    assert "Eva Ccori" in spans["Defendant"].tolist()


def test_indicators_breakdown_a_page_at_a_time(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ten figures to a page here, so the 34 figures per complainant take four pages.
    monkeypatch.setattr("tracker.ui.indicator_widgets.PAGE_FIGURES", 10)
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(INDICATORS, app_env, role="viewer")
    captions = [c.value for c in at.caption]
    assert (
        "Figures 1–10 of 34, 10 to a page: pick another page to see the rest. The records"
        " behind a figure can be opened for the figures of this page." in captions
    )
    first = at.dataframe[1].value
    assert len(first) == 10
    assert first["Group"].tolist()[:3] == ["Fiscalía Cusco", "Minera Norte", "Policía Nacional"]
    at.number_input(key="ind_breakdown_page:complainant").set_value(4).run()
    last = at.dataframe[1].value
    assert len(last) == 4
    assert any(c.startswith("Figures 31–34 of 34") for c in (c.value for c in at.caption))
    # The groups offered for the records behind a figure of the comparison are those drawn.
    at.selectbox(key="ind_cmp_indicator").set_value("complainant_reach").run()
    groups = at.selectbox(key="ind_cmp_group")
    assert groups.options == ["Fiscalía Cusco", "Minera Norte", "Policía Nacional"]


def test_indicators_page_in_spanish(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(INDICATORS, app_env, role="viewer")
    at.selectbox(key="lang").set_value("es").run()
    assert at.title[0].value == "Indicadores de criminalización"
    assert [m.value for m in at.metric if m.label == "Valor"][5] == "75,0 %"


@pytest.mark.slow
def test_a_large_graph_is_reduced_with_a_visible_note(app_env: Any) -> None:
    _vocabularies_only(app_env)
    demo.generate(db.make_engine(app_env), scale="S", seed=7)
    at = _graph_mode(run_as(NETWORK, app_env, role="viewer"))
    at.radio(key="nv_view").set_value("case-actor").run()
    assert not at.exception, at.exception
    note = at.warning[0].value
    assert note.startswith("This graph is too large to draw whole: the drawing shows 300 of ")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sum(len(tr.get("x", [])) for tr in spec["data"] if tr["mode"] == "markers") == 300


def test_a_write_shows_on_the_next_rerun(app_env: str) -> None:
    """The pages cache until the data changes: a write raises the data revision and the very
    next rerun shows it, with no time-to-live to wait for."""
    from tracker import revision
    from tracker import services as sv

    _vocabularies_only(app_env)
    engine = db.make_engine(app_env)
    ids = build_network(engine)
    at = run_as(NETWORK, app_env, role="viewer")
    assert "Fiscalía Lima" not in at.dataframe[0].value["Complainant"].tolist()
    before = revision.current(engine)
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        new = sv.actors.create(
            s,
            {
                "kind": "public_body",
                "name": "Fiscalía Lima",
                "complainant_category": "public_prosecutor",
            },
        )
        charge = sv.charges.create(
            s,
            {"case_id": ids["C2"], "defendant_id": ids["D2"], "charge_type": "riot",
             "filed_on": "2016-06-01"},
        )  # fmt: skip
        sv.charge_complainants.create(s, {"charge_id": charge, "actor_id": new})
    assert revision.current(engine) > before
    at.run()
    assert not at.exception, at.exception
    reach = at.dataframe[0].value
    assert "Fiscalía Lima" in reach["Complainant"].tolist()
    at.run()  # and a rerun without a write is served from the cache, still up to date
    assert "Fiscalía Lima" in at.dataframe[0].value["Complainant"].tolist()


# --- the readable views: top complainants by reach, one actor's or court's network ---------


def _seeded(app_env: str) -> None:
    from tests.app.helpers import ready_engine

    ready_engine(app_env).dispose()


def _chart(at: AppTest, index: int = 0) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _node_labels(spec: dict[str, Any]) -> list[str]:
    return [x for tr in spec["data"] if tr.get("mode") == "markers+text" for x in tr["text"]]


def test_top_complainants_by_reach_on_the_seed(app_env: str) -> None:
    _seeded(app_env)
    at = run_as(NETWORK, app_env, role="viewer")
    assert at.radio(key="np_mode").value == "top"
    reach = at.dataframe[0].value
    assert reach.values.tolist() == [
        ["Governor of Celendín province", "Local authority (governor, mayor)", 16, 1, 48],
        ["Governor of Sorochuco district", "Local authority (governor, mayor)", 16, 1, 48],
        ["Minera Yanacocha", "Mining company", 4, 1, 4],
    ]
    assert list(reach.columns) == [
        "Complainant", "Category", "Reach (defenders)", "Cases", "Charges (weighted degree)"
    ]  # fmt: skip
    labels = _node_labels(_chart(at))
    # Every node named: 3 complainants with their reach, 20 defenders.
    assert len(labels) == 23
    assert "Governor of Celendín province<br>charged 16 defenders" in labels
    assert "Celendín defender 01" in labels
    assert not any("Name withheld" in x for x in labels)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Reach: the number of distinct defenders") for c in captions)
    assert any(c.startswith("Co-defendant communities") for c in captions)
    assert "0 complainant–defender pairs met in two or more cases." in [
        m.value for m in at.markdown
    ]
    at.toggle(key="np_communities").set_value(True).run()
    communities = at.dataframe[-1].value
    assert communities["Size"].tolist() == [16, 3, 1]
    at.select_slider(key="np_top_n").set_value(10).run()
    assert len(at.dataframe[0].value) == 3


def test_top_view_in_spanish_and_a_smaller_top(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(NETWORK, app_env, role="viewer")
    assert at.dataframe[0].value["Reach (defenders)"].tolist() == [5, 2, 1]
    repeat = at.dataframe[2].value
    assert repeat.iloc[0].tolist() == ["Minera Norte", "Ana Huamán", 2, 3]
    assert "Eva Ccori" not in _texts(at) and "Defensora E" in _texts(at)


def test_ego_network_of_a_governor(app_env: str) -> None:
    _seeded(app_env)
    at = run_as(NETWORK, app_env, role="viewer")
    at.radio(key="np_mode").set_value("ego").run()
    at.text_input(key="np_search").set_value("Sorochuco").run()
    box = at.selectbox(key="np_pick")
    assert box.options == ["(choose one)", "Governor of Sorochuco district"]
    box.select_index(1).run()
    assert not at.exception
    assert at.markdown[-1].value.startswith("**Governor of Sorochuco district\\: 1 case; 48")
    links = at.dataframe[0].value
    assert len(links) == 16
    assert links.iloc[0].tolist() == ["Celendín defender 01", "Charged by them", 1, 3, ""]
    labels = _node_labels(_chart(at))
    assert "Governor of Sorochuco district" in labels
    assert "Celendín defender 07<br>3 charges · 1 case" in labels


def test_ego_network_of_a_court_with_years(app_env: str) -> None:
    _seeded(app_env)
    at = run_as(NETWORK, app_env, role="viewer")
    at.radio(key="np_mode").set_value("ego").run()
    at.text_input(key="np_search").set_value("Supreme").run()
    at.selectbox(key="np_pick").select_index(1).run()
    links = at.dataframe[0].value
    assert links.iloc[0].tolist() == [
        "Minera Yanacocha", "Complainant in their cases", 1, 4, "2011"
    ]  # fmt: skip
    years = at.dataframe[1].value
    assert years.values.tolist() == [["2011", 0, 0, 4]]


def test_ego_search_in_spanish_finds_no_withheld_name(app_env: str) -> None:
    _seeded(app_env)
    at = run_as(NETWORK, app_env, role="viewer")
    at.radio(key="np_mode").set_value("ego").run()
    at.text_input(key="np_search").set_value("Name withheld").run()
    assert [i.value for i in at.info] == ["Nobody matches this search."]


def test_node_cases_name_both_directions(app_env: str) -> None:
    # The reported bug: one "Charges" column held the charges *against* the chosen node, so
    # a governor who brought 48 charges read "0 charges".
    _seeded(app_env)
    at = _graph_mode(run_as(NETWORK, app_env, role="viewer"))
    box = at.selectbox(key="nv_node")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith("Governor"))).run()
    row = at.dataframe[0].value.iloc[0]
    assert (row["Charges against them"], row["Charges they brought"]) == (0, 48)
    assert "Most central nodes" not in [s.value for s in at.subheader]  # no PageRank table


def test_node_target_of_a_click() -> None:
    from tracker.ui.network_ego import node_target

    defender = "0e425c63379d55968018905413a4ac9a"
    assert node_target(defender, {defender}) == ("pages/2_Defenders.py", {"actor": defender})
    assert node_target(defender + "#R3", set()) == ("pages/7_Actors.py", {"actor": defender})
    assert node_target("Governor", set()) is None
    assert node_target(None, set()) is None
