"""Publication charts: each builder on small hand-built tables, each table on the hand-built
network of tests/test_graphs.py (answers worked out by hand, today = 2026-01-01), the CSV
against the numbers traced, the house style, and privacy.

The network gets two more court events here: C1 moved to appeal, and a judgment in C3, so
the stage funnel has something to count (C1 reached appeal, C3 judgment, C2 only a complaint).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import EDITOR, build_network
from tracker import charts, db, seed
from tracker import services as sv
from tracker.charts import cases, charges, network, style, timeline
from tracker.charts.style import Caption
from tracker.charts.table import Table
from tracker.i18n import catalog
from tracker.network_data import Filters

TODAY = date(2026, 1, 1)
CAPTION = Caption("A title", "All records", "Source: test")
RIOT, USURP, OBSTR = "Riot / civil disturbance", "Usurpation (land)", "Obstructing public services"


def add_court_events(engine: Engine, ids: dict[str, str]) -> None:
    """C1 reached appeal; C3 had a judgment delivered (the funnel's cases)."""
    with db.unit_of_work(engine, EDITOR) as s:
        for case, event, to_stage, on in (
            ("C1", "stage_change", "appeal", "2015"),
            ("C3", "judgment", None, "2021"),
        ):
            sv.stage_changes.create(
                s, {"case_id": ids[case], "event": event, "to_stage": to_stage, "on_date": on}
            )


@pytest.fixture(scope="module")
def net(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(ids, chart source) of the hand-built network on one SQLite file for the module."""
    path = tmp_path_factory.mktemp("charts") / "network.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    ids = build_network(engine)
    add_court_events(engine, ids)
    source = charts.read(engine, as_of=TODAY)
    engine.dispose()
    return ids, source


def spec(fig: Any) -> dict[str, Any]:
    """The figure as the JSON the browser and kaleido get."""
    return json.loads(fig.to_json())


def read_csv(chart: charts.Chart, lang: str = "en") -> list[dict[str, str]]:
    text = chart.csv(lang).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# -- builders on hand-built tables ---------------------------------------------------------


def test_charges_over_time_figure_stacks_types_per_year() -> None:
    table = Table(
        ("period", "charge_type_code", "charge_type", "charges"),
        (
            ("2012", "riot", "Riot", 1),
            ("2012", "_other", "All other types", 2),
            ("2019", "riot", "Riot", 5),
        ),
        (("period", "year"), ("undated", 0)),
    )
    fig = charges.charges_over_time_figure(table, CAPTION, "en")
    assert [(tr.name, list(tr.x), list(tr.y)) for tr in fig.data] == [
        ("Riot", [2012, 2019], [1, 5]),
        ("All other types", [2012], [2]),
    ]
    assert fig.data[1].marker.color == style.OTHER  # the rest is grey
    assert fig.layout.barmode == "stack"


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (
            "count",
            [
                ("Ended without conviction", [2, 1]),
                ("Conviction", [0, 1]),
                ("Still pending", [4, 1]),
            ],
        ),
        ("share", [("Ended without conviction", [1.0, 0.5]), ("Conviction", [0.0, 0.5])]),
    ],
)
def test_outcomes_figure(measure: str, expected: list[Any]) -> None:
    table = Table(
        ("charge_type_code", "charge_type", "unfounded", "conviction", "pending", "final",
         "unfounded_share", "conviction_share"),
        (("riot", "Riot", 2, 1 - 1, 4, 2, 1.0, 0.0), ("usurpation", "Usurpation", 1, 1, 1, 2, 0.5, 0.5)),
    )  # fmt: skip
    fig = charges.outcomes_figure(table, CAPTION, "en", measure=measure)
    assert [(tr.name, list(tr.x)) for tr in fig.data] == expected
    assert list(fig.data[0].y) == ["Riot", "Usurpation"]
    assert fig.data[0].marker.color == style.OUTCOME_COLOURS["unfounded"]


def test_outcomes_figure_rejects_an_unknown_measure() -> None:
    with pytest.raises(ValueError, match="median"):
        charges.outcomes_figure(Table(("charge_type",)), CAPTION, "en", measure="median")


def test_prosecution_time_figures() -> None:
    table = Table(
        ("years_from", "years_to", "ended", "still_prosecuted", "defenders"),
        ((0, 1, 2, 0, 2), (1, 2, 0, 3, 3)),
    )
    fig = charges.prosecution_time_figure(table, CAPTION, "es")
    assert [(tr.name, list(tr.x), list(tr.y)) for tr in fig.data] == [
        ("Proceso terminado", ["0–1", "1–2"], [2, 0]),
        ("Aún procesados", ["0–1", "1–2"], [0, 3]),
    ]
    per = Table(
        ("complainant", "defenders", "median_years", "mean_years", "max_years",
         "still_prosecuted"),
        (("Minera <b>Norte</b>", 2, 8.52, 8.52, 13.83, 1),),
    )  # fmt: skip
    fig = charges.prosecution_time_by_complainant_figure(per, CAPTION, "en")
    assert (list(fig.data[0].y), list(fig.data[0].x), list(fig.data[0].text)) == (
        ["Minera &lt;b&gt;Norte&lt;/b&gt;"],  # database text is shown literally
        [8.52],
        ["n = 2"],
    )


def test_top_complainants_figure_one_trace_per_category() -> None:
    table = Table(
        ("complainant", "category", "defenders", "cases", "charges"),
        (
            ("K3", "Prosecutor", 5, 1, 6),
            ("K1", "Mining company", 2, 2, 4),
            ("K1", "Prosecutor", 1, 1, 1),
        ),
    )
    fig = cases.top_complainants_figure(table, CAPTION, "en")
    assert [(tr.name, list(tr.y), list(tr.x)) for tr in fig.data] == [
        ("Prosecutor", ["K3", "K1 (2)"], [5, 1]),  # two complainants of one name: two bars
        ("Mining company", ["K1"], [2]),
    ]
    assert list(fig.layout.yaxis.categoryarray) == ["K3", "K1", "K1 (2)"]
    assert fig.layout.xaxis.dtick == 1  # whole numbers of defenders


def test_region_postponement_and_funnel_figures() -> None:
    region = Table(("region", "cases", "defenders"), (("Cajamarca", 2, 2), ("Cusco", 1, 5)))
    fig = cases.region_figure(region, CAPTION, "en")
    assert [(tr.name, list(tr.y), list(tr.x)) for tr in fig.data] == [
        ("Cases", ["Cajamarca", "Cusco"], [2, 1]),
        ("Defenders", ["Cajamarca", "Cusco"], [2, 5]),
    ]
    assert fig.data[0].orientation == "h"  # region names read level (tests/test_chart_labels.py)
    courts = Table(
        ("court", "hearings", "postponed", "postponement_rate"),
        (("Juzgado A", 4, 2, 0.5), ("Juzgado B", 10, 1, 0.1)),
    )
    fig = cases.postponement_figure(courts, CAPTION, "es")
    assert (list(fig.data[0].x), list(fig.data[0].text)) == ([0.5, 0.1], ["2 de 4", "1 de 10"])
    funnel = Table(
        ("step_code", "step", "cases", "share_of_opened"),
        (("opened", "Opened", 3, 1.0), ("trial", "Trial", 2, 0.6667)),
    )
    fig = cases.funnel_figure(funnel, CAPTION, "en")
    assert (fig.data[0].type, list(fig.data[0].x)) == ("funnel", [3, 2])


def test_timeline_figure_lines_per_outcome_class_and_hearing_markers() -> None:
    table = Table(
        ("kind", "row", "event", "status", "start", "start_precision", "end", "end_precision"),
        (
            ("charge", "C1 · Riot", "Dismissed", "unfounded", "2012-03-05", "day", "2013-01-15", "day"),
            ("charge", "C2 · Usurpation", "", "pending", "2016-05-10", "day", "2026-01-01", "day"),
            ("hearing", "C1 · hearings", "Held", "held", "2013-05-02", "day", "", ""),
            ("hearing", "C1 · hearings", "Postponed", "postponed", "2013-06-02", "day", "", ""),
        ),
    )  # fmt: skip
    fig = timeline.timeline_figure(table, CAPTION, "en")
    assert [(tr.name, list(tr.x)) for tr in fig.data] == [
        ("Ended without conviction", ["2012-03-05", "2013-01-15", None]),
        ("Still pending", ["2016-05-10", "2026-01-01", None]),
        ("Hearing", ["2013-05-02"]),
        ("Hearing postponed", ["2013-06-02"]),
    ]
    assert list(fig.layout.yaxis.categoryarray) == ["C1 · Riot", "C1 · hearings", "C2 · Usurpation"]


def test_network_figure_is_vector_with_fixed_group_colours() -> None:
    g = nx.DiGraph()
    g.add_node("k", label="Minera", group="complainant")
    for d in ("a", "b"):
        g.add_node(d, label=f"Defensor {d}", group="defender")
        g.add_edge("k", d, weight=1, charges=1)
    fig = network.network_figure(g, CAPTION, "en")
    assert {tr.type for tr in fig.data} == {"scatter"}  # no WebGL: SVG and PDF stay vector
    markers = {tr.name: (len(tr.x), tr.marker.color) for tr in fig.data if tr.mode == "markers"}
    assert markers == {"Complainant": (1, style.PALETTE[0]), "Defender": (2, style.PALETTE[1])}
    labels = [tr for tr in fig.data if tr.mode == "text"]
    assert list(labels[0].text) == ["Minera"]  # complainants named, defenders not
    assert fig.layout.xaxis.visible is False


def test_house_style() -> None:
    fig = style.apply(
        charges.charges_over_time_figure(Table(("period", "charge_type_code", "charge_type",
                                                 "charges")), CAPTION, "en"),
        Caption("Title <script>", "Region: Cusco", "Source: x · includes synthetic data"),
    )  # fmt: skip
    layout = fig.layout
    assert layout.font.family.startswith("DejaVu Sans") and "sans-serif" in layout.font.family
    assert layout.title.text == "<b>Title &lt;script&gt;</b>"
    assert layout.title.subtitle.text == "Region: Cusco"
    assert layout.annotations[-1].text == "Source: x · includes synthetic data"
    assert list(layout.colorway) == list(style.PALETTE)
    assert style.source_line(TODAY, True, "es") == (
        "Fuente: Registro de criminalización de defensores, datos al 2026-01-01 · "
        "incluye datos sintéticos"
    )
    assert style.source_line(TODAY, False, "en").endswith("data as of 2026-01-01")


def test_filters_in_words() -> None:
    f = Filters(start_year=2012, end_year=2019, regions=("Cusco",), charge_types=("riot",),
                include_synthetic=False)  # fmt: skip
    assert style.filters_text(f, "en", {"riot": "Riot"}) == (
        "Cases opened 2012–2019 · Region: Cusco · Charge type: Riot · synthetic data excluded"
    )
    assert style.filters_text(Filters(), "es") == "Todos los registros"


# -- tables on the hand-built network ------------------------------------------------------


def test_charges_over_time_table(net: Any) -> None:
    _, source = net
    table = charges.charges_over_time_table(source, "en")
    assert [(r[0], r[2], r[3]) for r in table.rows] == [
        ("2012", RIOT, 1), ("2012", USURP, 2), ("2016", USURP, 1),
        ("2019", RIOT, 5), ("2019", OBSTR, 1),
    ]  # fmt: skip
    assert table.note("undated") == 0
    top1 = charges.charges_over_time_table(source, "en", top=1, period="month")
    assert [(r[0], r[2], r[3]) for r in top1.rows] == [
        ("2012-03", RIOT, 1), ("2012-03", "All other types", 2), ("2016-05", "All other types", 1),
        ("2019-07", RIOT, 5), ("2019-07", "All other types", 1),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="week"):
        charges.charges_over_time_table(source, "en", period="week")


def test_outcomes_table_is_the_indicators(net: Any) -> None:
    _, source = net
    assert list(charges.outcomes_table(source, "en").rows) == [
        ("riot", RIOT, 2, 0, 4, 2, 1.0, 0.0),  # ch2 dismissed, ch10 archived; 4 pending
        ("usurpation", USURP, 1, 1, 1, 2, 0.5, 0.5),  # ch1 acquitted, ch3 convicted, ch4
        ("obstruction_public_services", OBSTR, 0, 0, 1, 0, None, None),
    ]


def test_prosecution_time_tables(net: Any) -> None:
    _, source = net
    # D3-D6 2375 days (6.5 years, pending), D2 2871 (7.9, ended), D1 5050 (13.8, pending).
    table = charges.prosecution_time_table(source, "en")
    assert len(table.rows) == 14
    assert {r[0]: r[2:] for r in table.rows if r[4]} == {6: (0, 4, 4), 7: (1, 0, 1), 13: (0, 1, 1)}
    per = charges.prosecution_time_by_complainant_table(source, "en")
    # K3: D2 192 days (ch10), D3-D6 2375; K1: D1 5050, D2 1175 (2012-03 to 2015-05-20).
    assert list(per.rows) == [
        ("Fiscalía Cusco", 5, 6.5, 5.31, 6.5, 4),
        ("Minera Norte", 2, 8.52, 8.52, 13.83, 1),
        ("Policía Nacional", 1, 3.22, 3.22, 3.22, 0),
    ]


def test_complainant_region_court_and_funnel_tables(net: Any) -> None:
    _, source = net
    assert list(cases.top_complainants_table(source, "en").rows) == [
        ("Fiscalía Cusco", "Public prosecutor (own motion)", 5, 1, 6),
        ("Minera Norte", "Mining company", 2, 2, 4),
        ("Policía Nacional", "Police", 1, 1, 1),
    ]
    assert [r[0] for r in cases.top_complainants_table(source, "en", top=1).rows] == [
        "Fiscalía Cusco"
    ]
    assert list(cases.region_table(source, "en").rows) == [("Cajamarca", 2, 2), ("Cusco", 1, 5)]
    # No hearing names a court: one "not known" group; h3, h4 postponed of h1-h4 (h5 is 2030).
    assert list(cases.postponement_table(source, "en").rows) == [("(not known)", 4, 2, 0.5)]
    assert list(cases.funnel_table(source, "es").rows) == [
        ("opened", "Casos abiertos", 3, 1.0),
        ("trial", "Llegaron a juicio oral", 2, 0.6667),
        ("judgment", "Llegaron a sentencia de primera instancia", 2, 0.6667),
        ("appeal", "Llegaron a apelación", 1, 0.3333),
    ]


def test_network_table_and_trim(net: Any) -> None:
    _, source = net
    whole, shown = network.network_graph(source)
    table = network.network_table(whole, shown)
    assert list(table.rows) == [
        ("Minera Norte", "Ana Huamán", 2, 3),
        ("Fiscalía Cusco", "Carla Mamani", 1, 2),
        ("Fiscalía Cusco", "Beto Quispe", 1, 1),
        ("Fiscalía Cusco", "Defensora E", 1, 1),
        ("Fiscalía Cusco", "Diego Condori", 1, 1),
        ("Fiscalía Cusco", "Félix Apaza", 1, 1),
        ("Minera Norte", "Beto Quispe", 1, 1),
        ("Policía Nacional", "Beto Quispe", 1, 1),
    ]
    small = network.trim(whole, complainants=1, max_edges=3)
    assert (small.number_of_nodes(), small.number_of_edges()) == (4, 3)
    assert sorted(small.nodes[n]["label"] for n in small if small.out_degree(n)) == [
        "Fiscalía Cusco"
    ]


def test_timeline_table_of_the_longest_prosecuted(net: Any) -> None:
    ids, source = net
    choices = timeline.defender_choices(source)
    assert [name for _, name in choices][:2] == ["Ana Huamán", "Beto Quispe"]
    table = timeline.timeline_table(source, "en")
    assert table.note("defender") == "Ana Huamán"
    assert [(r[0], r[1], r[3], r[4], r[6]) for r in table.rows] == [
        ("charge", "Caso Dos · Usurpation (land)", "pending", "2016-05-10", "2026-01-01"),
        ("charge", "Caso Uno · Riot / civil disturbance", "unfounded", "2012-03-05", "2013-01-15"),
        ("charge", "Caso Uno · Usurpation (land)", "unfounded", "2012-03-05", "2014-06-10"),
        ("hearing", "Caso Uno · hearings", "held", "2013-05-02", ""),
    ]
    d5 = timeline.timeline_table(source, "en", ids["D5"])
    assert d5.note("defender") == "Defensora E"
    assert timeline.timeline_table(source, "en", "no-such-id").rows == ()


# -- every chart: CSV = numbers traced, captions, both languages ----------------------------


def _traced(chart: charts.Chart) -> list[Any]:
    """The numbers the figure draws, in the order of the CSV's rows."""
    data = chart.figure.data
    code = chart.code
    if code == "charges_over_time":
        drawn = {(str(x), tr.name): y for tr in data for x, y in zip(tr.x, tr.y, strict=True)}
        return [drawn[r[0], r[2]] for r in chart.table.rows]
    if code == "outcomes_by_type":
        return [list(tr.x) for tr in data]
    if code == "prosecution_time":
        return [list(tr.y) for tr in data]
    if code == "cases_by_region":
        return [list(tr.x) for tr in data]
    if code in ("prosecution_time_by_complainant", "postponement_by_court", "stage_funnel"):
        return list(data[0].x)
    if code == "top_complainants":
        return sorted(x for tr in data for x in tr.x)
    if code == "network":
        return [len(data[0].x) // 3]  # one line (two points and a gap) per edge
    return [x for tr in data if tr.mode == "lines+markers" for x in tr.x if x]


def _from_csv(chart: charts.Chart) -> list[Any]:
    """The same numbers read back from the chart's CSV."""
    rows = read_csv(chart)
    h = dict(zip(chart.table.columns, chart.table.headers("en"), strict=True))

    def col(key: str, kind: Any = int) -> list[Any]:
        return [kind(r[h[key]]) if r[h[key]] != "" else None for r in rows]

    code = chart.code
    if code == "charges_over_time":
        return col("charges")
    if code == "outcomes_by_type":
        return [col("unfounded"), col("conviction"), col("pending")]
    if code == "prosecution_time":
        return [col("ended"), col("still_prosecuted")]
    if code == "cases_by_region":
        return [col("cases"), col("defenders")]
    if code == "prosecution_time_by_complainant":
        return col("median_years", float)
    if code == "postponement_by_court":
        return col("postponement_rate", float)
    if code == "stage_funnel":
        return col("cases")
    if code == "top_complainants":
        return sorted(col("defenders"))
    if code == "network":
        return [len(rows)]
    charged = [r for r in rows if r[h["kind"]] == "charge"]
    order = {"unfounded": 0, "conviction": 1, "pending": 2}
    charged.sort(key=lambda r: order[r[h["status"]]])
    return [d for r in charged for d in (r[h["start"]], r[h["end"]])]


@pytest.mark.parametrize("code", charts.CHARTS)
def test_each_csv_holds_the_numbers_traced(net: Any, code: str) -> None:
    _, source = net
    chart = charts.build(code, source, "en")
    assert chart.table.rows, code
    assert _traced(chart) == _from_csv(chart)
    assert read_csv(chart)[0]  # headers and at least one row


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_chart_has_a_caption_in_each_language(net: Any, lang: str) -> None:
    _, source = net
    for chart in charts.build_all(source, lang, charts.Options(measure="share", period="month")):
        layout = chart.figure.layout
        assert chart.caption.title in layout.title.text
        assert layout.title.subtitle.text.startswith(catalog(lang)["charts.filter.none"])
        assert chart.caption.source in {a.text for a in layout.annotations}
        assert "2026-01-01" in chart.caption.source
        headers = chart.table.headers(lang)
        assert not [h for h in headers if h.startswith("charts.")], headers
    keys = {f"charts.{kind}.{c}" for kind in ("title", "about") for c in charts.CHARTS}
    assert keys <= set(catalog(lang))


def test_filters_and_empty_data(net: Any, vocab_engine: Engine) -> None:
    _, source = net
    chart = charts.build("cases_by_region", source, "en")
    assert "includes synthetic data" not in chart.caption.source  # the network is hand-made
    empty = charts.read(vocab_engine, Filters(regions=("Cusco",)), as_of=TODAY)
    for made in charts.build_all(empty, "en"):
        assert made.table.rows == () or made.code in ("prosecution_time", "stage_funnel")
        assert made.caption.subtitle.startswith("Region: Cusco")
        texts = [a.text for a in made.figure.layout.annotations]
        if not made.table.rows:
            assert "No data matches these filters." in texts


def test_both_databases_read_the_same_funnel_and_pseudonyms(engine: Engine) -> None:
    ids = build_network(engine)
    add_court_events(engine, ids)
    source = charts.read(engine, as_of=TODAY)
    assert [r[2] for r in cases.funnel_table(source, "en").rows] == [3, 2, 2, 1]
    assert source.counts() == {
        "cases": 3, "charges": 10, "defenders": 6, "complainants": 3, "hearings": 5,
        "pseudonymized_people": 1, "pseudonymized_charges": 1,
    }  # fmt: skip
    assert source.withheld == {"Eva Ccori": "Defensora E"}


# -- privacy ---------------------------------------------------------------------------------


def _everything(made: list[charts.Chart], lang: str) -> str:
    return "\n".join(
        part
        for chart in made
        for part in (chart.figure.to_json(), chart.csv(lang).decode("utf-8-sig"))
    )


def test_no_confidential_real_name_in_any_chart(engine: Engine) -> None:
    """The seed's 16 Celendín defendants are confidential: their stored names must never be
    drawn, only their pseudonyms; a real name typed into a case title is scrubbed too."""
    seed.seed(engine)
    source = charts.read(engine, as_of=TODAY)
    assert source.counts()["pseudonymized_people"] == 16
    celendin = next(i for i, name in timeline.defender_choices(source) if "Celendín" in name)
    for lang in ("en", "es"):
        made = charts.build_all(source, lang, charts.Options(defender=celendin))
        text = _everything(made, lang)
        assert "Name withheld" not in text and "Celendín defendant" not in text
        assert "Celendín defender 01" in text  # the pseudonyms are what is drawn
        assert made[-1].caption.title.endswith(source.data.actors[celendin].label)


def test_a_real_name_in_free_text_is_scrubbed(engine: Engine) -> None:
    ids = build_network(engine)
    with db.unit_of_work(engine, EDITOR) as s:
        case = sv.cases.create(s, {"title": "Denuncia contra Eva Ccori", "opened_on": "2021"})
        sv.parties.create(s, {"case_id": case, "actor_id": ids["D5"], "role": "defendant"})
        sv.charges.create(
            s, {"case_id": case, "defendant_id": ids["D5"], "charge_type": "riot",
                "filed_on": "2021-02-03"},
        )  # fmt: skip
    source = charts.read(engine, as_of=TODAY)
    d5 = next(i for i, name in timeline.defender_choices(source) if name == "Defensora E")
    made = charts.build_all(source, "en", charts.Options(defender=d5))
    text = _everything(made, "en")
    assert "Eva Ccori" not in text
    assert "Denuncia contra Defensora E" in text
