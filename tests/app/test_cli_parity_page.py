"""Page and command line agree under every filter (issue 19, "command-line parity").

The Indicators page (AppTest, the sidebar filter widgets ``nf_*`` set) and ``python -m
tracker indicators --json`` (``tracker.cli.main``, the same filters as options) must show the
same numbers, for each filter alone and a combination; the Reports page and ``python -m
tracker charts`` must offer the same CSV of the numbers drawn for the same filter.

Where the numbers are read from the page is in :func:`page_overall` and
:func:`page_per_complainant` alone: if the Indicators page's layout changes (cards instead of
tables), only these two readers change, the cases and comparisons stay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_as
from tests.test_graphs import build_network
from tracker import analysis, charts, db, seed
from tracker.cli import main
from tracker.indicators import display
from tracker.permissions import Principal

INDICATORS = "pages/4_Indicators.py"
REPORTS = "pages/10_Reports.py"
YEARS = (2012, 2019)  # the network's first and last opening years: the slider's whole range

# (command-line options, the page's widget values), each filter alone and a combination.
CASES: list[tuple[list[str], dict[str, Any]]] = [
    ([], {}),
    (["--region", "Cajamarca"], {"nf_regions": ["Cajamarca"]}),
    (["--region", "cusco"], {"nf_regions": ["Cusco"]}),
    (["--from", "2013", "--to", "2019"], {"nf_period": (2013, 2019)}),
    (["--from", "2016"], {"nf_period": (2016, 2019)}),
    (["--to", "2012"], {"nf_period": (2012, 2012)}),
    (["--charge-type", "riot"], {"nf_types": ["riot"]}),
    (["--charge-type", "Usurpation (land)"], {"nf_types": ["usurpation"]}),
    (["--complainant-category", "company"], {"nf_categories": ["company"]}),
    (["--complainant-category", "Policía"], {"nf_categories": ["police"]}),
    (["--context", "Paro 2019"], {"nf_contexts": ["Paro 2019"]}),
    (
        ["--region", "Cajamarca", "--to", "2016", "--charge-type", "usurpation",
         "--complainant-category", "company_mining", "--context", "Conga"],
        {"nf_regions": ["Cajamarca"], "nf_period": (2012, 2016), "nf_types": ["usurpation"],
         "nf_categories": ["company_mining"], "nf_contexts": ["Conga"]},
    ),
]  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "nf_period": YEARS,
    "nf_regions": [],
    "nf_types": [],
    "nf_categories": [],
    "nf_contexts": [],
}


def _vocabularies_only(url: str) -> None:
    engine = db.make_engine(url)
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)
    engine.dispose()


def set_filters(at: AppTest, chosen: dict[str, Any]) -> AppTest:
    """Set every sidebar filter widget (the others back to their defaults) and run."""
    for key, default in DEFAULTS.items():
        value = chosen.get(key, default)
        if key == "nf_period":
            at.sidebar.slider(key=key).set_value(value)
        else:
            at.sidebar.multiselect(key=key).set_value(value)
    at.run()
    assert not at.exception, at.exception
    return at


# --- where the page's numbers are read: adapt these two if the page's layout changes -------


def page_overall(at: AppTest) -> dict[str, tuple[str, str | None, str | None]]:
    """indicator name -> (value, counted, out of) as the page's cards show them.

    A card per indicator, in the order of INDICATORS: a "Value" metric, then "Counted" and
    "Out of" when the indicator is a ratio (tracker/ui/indicator_cards.py)."""
    cards: list[dict[str, str]] = []
    for m in at.metric:
        if m.label == "Value":
            cards.append({})
        cards[-1][m.label] = m.value
    names = [i.name("en") for i in analysis.INDICATORS]
    assert len(cards) == len(names)
    return {
        name: (c["Value"], c.get("Counted"), c.get("Out of"))
        for name, c in zip(names, cards, strict=True)
    }


def page_per_complainant(at: AppTest) -> dict[tuple[str, str], str]:
    """(indicator name, complainant) -> value as shown, of the table of every figure per
    complainant (the default grouping; the table before the time under prosecution)."""
    table = at.dataframe[-2].value
    return {(r["Indicator"], r["Group"]): r["Value"] for _, r in table.iterrows()}


# --- the command line's numbers, in the page's words -------------------------------------


def cli_report(capsys: pytest.CaptureFixture[str], options: list[str]) -> dict[str, Any]:
    """``indicators --json`` with these options (today: the page's day too)."""
    assert main(["indicators", "--json", *options]) == 0
    return dict(json.loads(capsys.readouterr().out))


def cli_overall(report: dict[str, Any]) -> dict[str, tuple[str, str | None, str | None]]:
    """The report's overall figures as the page shows them."""
    out = {}
    for i in report["indicators"]:
        kind, f = analysis.indicator(i["code"]).kind, i["overall"]
        shown = display.format_value(kind, f["value"], "en")
        if f["numerator"] is None:
            out[i["name"]] = (shown, None, None)
        else:
            counted, out_of = (
                display.format_value("count", f[k], "en") for k in ("numerator", "denominator")
            )
            out[i["name"]] = (shown, counted, out_of)
    return out


def cli_per_complainant(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The report's figures per complainant as the page shows them."""
    return {
        (i["name"], f["label"]): display.format_value(
            analysis.indicator(i["code"]).kind, f["value"], "en"
        )
        for i in report["indicators"]
        for f in i["per_complainant"]
    }


@pytest.fixture
def network_page(app_env: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, pytest.MonkeyPatch]:
    """The hand-built network; the command line in English on the same database."""
    _vocabularies_only(app_env)
    build_network(db.make_engine(app_env))
    monkeypatch.setenv("TRACKER_LANG", "en")
    return app_env, monkeypatch


def test_indicators_page_and_command_line_agree_under_every_filter(
    network_page: tuple[str, pytest.MonkeyPatch], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = network_page
    at = run_as(INDICATORS, url, role="viewer")
    assert at.sidebar.slider(key="nf_period").value == YEARS
    shown: dict[str, dict[str, tuple[str, str | None, str | None]]] = {}
    for options, widgets in CASES:
        set_filters(at, widgets)
        report = cli_report(capsys, options)
        label = " ".join(options) or "no filter"
        assert page_overall(at) == cli_overall(report), label
        assert page_per_complainant(at) == cli_per_complainant(report), label
        shown[label] = page_overall(at)
    # Literal values on both sides (worked out from tests/test_graphs.py's docstring).
    assert shown["no filter"]["Unfounded-charge rate"] == ("75.0 %", "3", "4")
    assert shown["--region Cajamarca"]["Complainant reach"][0] == "2"
    assert shown["--region cusco"]["Mass prosecution"] == ("1", "1", "1")
    assert shown["--from 2013 --to 2019"]["Complainant reach"][0] == "6"
    assert shown["--to 2012"]["Conviction rate"] == ("33.3 %", "1", "3")
    assert shown["--charge-type riot"]["Unfounded-charge rate"] == ("100.0 %", "2", "2")
    assert shown["--complainant-category Policía"]["Conviction rate"] == ("100.0 %", "1", "1")
    assert shown["--context Paro 2019"]["Postponement rate"] == ("66.7 %", "2", "3")
    combined = shown[" ".join(CASES[-1][0])]
    assert combined["Complainant reach"][0] == "2"  # Ana Huamán and Beto Quispe, ch1 and ch3


def test_the_whole_period_on_the_page_is_no_period_on_the_command_line(
    network_page: tuple[str, pytest.MonkeyPatch], capsys: pytest.CaptureFixture[str]
) -> None:
    # The slider's whole range keeps cases with an unknown opening date, as giving no
    # --from/--to does; a case with no date shows the difference.
    url, _ = network_page
    from tracker import services as sv

    with db.unit_of_work(db.make_engine(url), Principal("ana", "editor")) as s:
        sv.cases.create(s, {"title": "Caso Sin Fecha", "region": "Cusco"})
    at = run_as(INDICATORS, url, role="viewer")
    set_filters(at, {"nf_period": YEARS})
    assert page_overall(at) == cli_overall(cli_report(capsys, []))
    narrowed = cli_overall(cli_report(capsys, ["--from", "2012", "--to", "2019"]))
    assert narrowed["Venue transfer"] == ("1", "1", "3")
    assert page_overall(at)["Venue transfer"] == ("1", "1", "4")


def _spy_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """file name -> data of every download button the page draws (not clicked)."""
    got: dict[str, Any] = {}
    original = DeltaGenerator.download_button

    def spy(self: DeltaGenerator, label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        got[str(kwargs.get("file_name") or label)] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: spy(st._main, *a, **k))
    return got


@pytest.mark.parametrize(
    ("options", "widgets"),
    [
        (["--region", "Cusco"], {"nf_regions": ["Cusco"]}),
        (["--region", "cajamarca", "--charge-type", "usurpation", "--from", "2013", "--to", "2019"],
         {"nf_regions": ["Cajamarca"], "nf_types": ["usurpation"], "nf_period": (2013, 2019)}),
    ],
    ids=["region", "combined"],
)  # fmt: skip
def test_charts_command_gives_the_reports_page_numbers(
    network_page: tuple[str, pytest.MonkeyPatch],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    options: list[str],
    widgets: dict[str, Any],
) -> None:
    url, monkeypatch = network_page
    downloads = _spy_downloads(monkeypatch)
    out = tmp_path / "charts"
    assert main(["charts", "--out", str(out), "--format", "svg", "--lang", "en", *options]) == 0
    capsys.readouterr()
    at = run_as(REPORTS, url, role="viewer")
    set_filters(at, widgets)
    for code in charts.CHARTS:
        if code == "network":
            continue  # its CSV lists nodes and edges, compared by tests/test_report_pack.py
        at.selectbox(key="rp_chart").set_value(code).run()
        assert not at.exception, (code, at.exception)
        (written,) = out.glob(f"*_{code}.csv")
        assert downloads[f"{code}_en.csv"] == written.read_bytes(), code
        # The subtitle drawn on the page says which filters apply, as in the file.
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        subtitle = spec["layout"]["title"]["subtitle"]["text"]
        svg = next(out.glob(f"*_{code}.svg")).read_text(encoding="utf-8")
        assert subtitle.split(" · ")[0].replace("&", "&amp;") in svg, code
    if options == ["--region", "Cusco"]:
        # Literal: Caso Tres, five defendants, every charge pending but ch10 (archived).
        region = next(out.glob("*_cases_by_region.csv")).read_text(encoding="utf-8-sig")
        assert region.splitlines()[1:] == ["Cusco,1,5"]
