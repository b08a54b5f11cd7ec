"""AppTest of the Reports page: empty and seeded databases, every chart shown, labels in
either language, downloads, privacy whoever looks, and the message when no browser is there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_as
from tests.test_graphs import build_network
from tracker import charts, db, seed
from tracker.exports import static
from tracker.permissions import Principal

REPORTS = "pages/10_Reports.py"


def _vocabularies_only(url: str) -> None:
    engine = db.make_engine(url)
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)
    engine.dispose()


def _chart(at: AppTest) -> dict[str, Any]:
    charts_shown = at.get("plotly_chart")
    assert len(charts_shown) == 1
    return dict(json.loads(charts_shown[0].proto.spec))


def _title(at: AppTest) -> str:
    return str(_chart(at)["layout"]["title"]["text"])


def _downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def test_empty_database(app_env: str) -> None:
    _vocabularies_only(app_env)
    at = run_as(REPORTS, app_env, role="viewer")
    assert at.title[0].value == "Reports and publication charts"
    assert [i.value for i in at.info] == ["No data matches these filters: the chart is empty."]
    assert _title(at) == "<b>New charges by charge type</b>"
    at.selectbox(key="rp_chart").set_value("defender_timeline").run()
    assert not at.exception, at.exception
    assert "No data matches these filters." in json.dumps(_chart(at))


def test_every_chart_on_a_seeded_database(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(REPORTS, app_env, role="admin")
    for code in charts.CHARTS:
        at.selectbox(key="rp_chart").set_value(code).run()
        assert not at.exception, (code, at.exception)
        assert at.info == [], code
        spec = json.dumps(_chart(at), ensure_ascii=False)
        # Charts are for publication: pseudonyms even for an administrator.
        assert "Eva Ccori" not in spec, code
    assert _title(at).startswith("<b>Prosecution timeline: Ana Huamán")
    at.selectbox(key="rp_defender").set_value(
        next(v for v in at.selectbox(key="rp_defender").options if v)
    ).run()
    assert not at.exception


def test_chart_options_and_spanish_labels(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(REPORTS, app_env, role="viewer")
    at.radio(key="rp_period").set_value("month").run()
    assert _chart(at)["data"][0]["x"] == ["2012-03", "2019-07"]
    at.selectbox(key="rp_lang").set_value("es").run()
    assert _title(at) == "<b>Nuevos cargos por tipo de cargo</b>"
    assert at.title[0].value == "Reports and publication charts"  # the page keeps its language
    at.selectbox(key="rp_chart").set_value("outcomes_by_type").run()
    at.radio(key="rp_measure").set_value("share").run()
    spec = _chart(at)
    assert spec["data"][0]["x"] == [1.0, 0.5, None]
    assert (
        "porcentajes de cargos con resultado final" in spec["layout"]["title"]["subtitle"]["text"]
    )
    at.selectbox(key="rp_chart").set_value("top_complainants").run()
    at.slider(key="rp_top").set_value(5).run()
    assert not at.exception


def test_downloads_with_a_browser(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    monkeypatch.setattr(static, "find_browser", lambda: "/usr/bin/chromium")
    at = run_as(REPORTS, app_env, role="viewer")
    assert _downloads(at) == [
        "PNG for print (300 dpi)",
        "SVG (vector)",
        "PDF",
        "CSV of the numbers drawn",
    ]
    # The pack is drawn on a click, with a progress bar (tests/app/test_progress.py).
    assert at.button(key="rp_pack_prepare").label == "Draw the report pack"
    assert at.warning == []


def test_without_a_browser_the_page_says_what_to_install(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    monkeypatch.setattr(static, "find_browser", lambda: None)
    at = run_as(REPORTS, app_env, role="viewer")
    assert "sudo apt-get install chromium" in at.warning[0].value
    assert _downloads(at) == ["CSV of the numbers drawn"]
    assert len(at.get("plotly_chart")) == 1  # the interactive chart still works


def test_filters_narrow_the_chart(app_env: str) -> None:
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    at = run_as(REPORTS, app_env, role="viewer")
    at.selectbox(key="rp_chart").set_value("cases_by_region").run()
    at.sidebar.multiselect(key="nf_regions").set_value(["Cusco"]).run()
    spec = _chart(at)
    assert [tr["x"] for tr in spec["data"]] == [[1], [5]]
    assert spec["layout"]["title"]["subtitle"]["text"] == "Region: Cusco"
