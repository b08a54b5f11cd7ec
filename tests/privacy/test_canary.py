"""The privacy canary: confidential people's names, in every written form, sit in every
free-text field of every record kind (tests/privacy/canary.py); nothing a viewer can get
holds any of them.

Covered, as a viewer: every page (AppTest; every tab and expander is in the element tree)
with the canary's case, people, organization and source open by query parameter, every
view of the Network page and every chart of the Reports page, and every file the pages
offer for download (the data given to ``download_button``, callables run); every export
format (CSV, XLSX, JSON, FtM, iCalendar) and every graph kind in every graph format
(GraphML, GEXF, edge list); the calendar file of the Hearings page; every chart's figure
and CSV, also with the filters set to the canary case's region and context (the subtitle
names them); the report pack (ZIP unpacked: SVG, CSV, methodology); ``indicators --json
--rows``, ``indicators --json`` with those filters (the JSON says which applied) and the
message for an unknown context (it lists the known ones), and ``stats --json``. XLSX and ZIP files are unpacked, PDF text extracted, JSON
and XML escapes undone, and the search ignores accents, case and separators.

The same outputs for an administrator who asks for confidential names must hold them, so
the canary can fail. Pages run on SQLite; the exports and the command line on both.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from google.protobuf import text_format
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tests.privacy import canary
from tracker import calendar, charts, privacy
from tracker.analysis import Filters
from tracker.charts.timeline import defender_choices
from tracker.cli import main
from tracker.exports import GRAPHS, ExportOptions, available_formats, exporter, report_pack, static
from tracker.models import Case

Outputs = list[tuple[str, bytes | str]]
_GRAPH_FORMATS = ("graphml", "gexf", "edgelist")
_SUFFIX = {"csv": ".zip", "xlsx": ".xlsx", "json": ".json", "ftm": ".ftm.json", "ics": ".ics"}
_TODAY = date(2029, 12, 20)  # the canary's hearing is on 2030-01-15


@pytest.fixture
def planted(app_env: str) -> Iterator[tuple[Engine, dict[str, uuid.UUID]]]:
    """The seeded database with the canary's records."""
    engine = ready_engine(app_env)
    ids = canary.build(engine)
    yield engine, ids
    engine.dispose()


# --- exports, command line, charts ---------------------------------------------------------


def _exports(engine: Engine, folder: Path, *, confidential: bool) -> Outputs:
    out: Outputs = []
    for fmt in available_formats():
        for graph in GRAPHS if fmt in _GRAPH_FORMATS else (GRAPHS[0],):
            for lang in ("en", "es"):
                path = folder / f"{fmt}-{graph}-{lang}-{confidential}{_SUFFIX.get(fmt, '')}"
                options = ExportOptions(lang=lang, show_confidential=confidential, graph=graph)
                exporter(fmt)(engine, path, options)
                out.append((path.name, path.read_bytes()))
    with Session(engine) as session:
        ics = calendar.ics_bytes(
            session, today=_TODAY, days=90, lang="en", show_confidential=confidential
        )
    out.append(("hearings page calendar", ics))
    return out


def _typed(engine: Engine, case_id: uuid.UUID, *, shown: bool = False) -> tuple[str, str]:
    """The canary case's region and context: typed text holding withheld names (``shown``:
    as a viewer reads them, which is what a viewer types)."""
    with Session(engine) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.region and case.context
        region, context = case.region, case.context
    if shown:
        redact = privacy.redactor(engine, show_confidential=False)
        return redact(region), redact(context)
    return region, context


def _command_line(
    url: str, capsys: pytest.CaptureFixture[str], typed: tuple[str, str], *, confidential: bool
) -> Outputs:
    """The command line's outputs; with the page's filters set to the canary case's region
    and context (the JSON says which filters applied), and the message for an unknown one
    (it lists the known contexts)."""
    out: Outputs = []
    extra = ["--include-confidential"] if confidential else []
    region, context = typed
    filtered = ["indicators", "--json", "--region", region, "--context", context, *extra]
    for argv in (["indicators", "--json", "--rows", *extra], ["stats", "--json"], filtered):
        assert main(argv) == 0
        out.append((" ".join(argv[:2]), capsys.readouterr().out))
    # An export with the page's filters (the canary's case opened in 2019 is kept).
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("json", "ftm"):
            path = Path(folder) / f"filtered.{fmt}"
            argv = ["export", "--format", fmt, "--out", str(path), "--from", "2019", *extra]
            assert main(argv) == 0
            out.append((f"{fmt} export --from 2019", path.read_bytes()))
            capsys.readouterr()
    assert main(["indicators", "--json", "--context", "zzz", *extra]) == 1
    out.append(("indicators --context zzz", capsys.readouterr().err))
    return out


def _charts(engine: Engine, typed: tuple[str, str]) -> Outputs:
    """Every chart's figure and CSV, the defender timeline for every defender; and every
    chart filtered to the canary case's region and context (its subtitle names them)."""
    source = charts.read(engine, as_of=_TODAY)
    out: Outputs = []
    narrowed = charts.read(engine, Filters(regions=(typed[0],), contexts=(typed[1],)), as_of=_TODAY)
    for chart in charts.build_all(narrowed, "es"):
        out.append((f"filtered chart {chart.code}", chart.figure.to_json()))
        out.append((f"filtered chart {chart.code} csv", chart.csv("es")))
    for lang in ("en", "es"):
        made = charts.build_all(source, lang)
        for defender, _ in defender_choices(source):
            made.append(
                charts.build("defender_timeline", source, lang, charts.Options(defender=defender))
            )
        for chart in made:
            out.append((f"chart {chart.code} {lang}", chart.figure.to_json()))
            out.append((f"chart {chart.code} {lang} csv", chart.csv(lang)))
    out.append(("defender choices", canary.as_json(defender_choices(source))))
    return out


def test_exports_and_command_line_name_nobody_to_a_viewer(
    planted: tuple[Engine, dict[str, uuid.UUID]],
    tmp_path: Path,
    app_env: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, ids = planted
    monkeypatch.setenv("TRACKER_LANG", "en")
    typed = _typed(engine, ids["case"])
    outputs = _exports(engine, tmp_path, confidential=False)
    outputs += _command_line(
        app_env, capsys, _typed(engine, ids["case"], shown=True), confidential=False
    )
    outputs += _charts(engine, typed)
    assert len(outputs) > 30
    found = canary.leaks(outputs)
    assert not found, canary.summary(found)


def test_the_canary_finds_names_where_an_administrator_asked_for_them(
    planted: tuple[Engine, dict[str, uuid.UUID]],
    tmp_path: Path,
    app_env: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, ids = planted
    monkeypatch.setenv("TRACKER_LANG", "en")
    outputs = _exports(engine, tmp_path, confidential=True)
    outputs += _command_line(app_env, capsys, _typed(engine, ids["case"]), confidential=True)
    found = canary.leaks(outputs)
    # Every written form is found, and in each kind of output.
    assert {needle for _, needle, _ in found} == set(canary.NEEDLES)
    kinds = {label.split("-")[0].split(" ")[0] for label, _, _ in found}
    assert {"csv", "xlsx", "json", "ftm", "ics", "graphml", "gexf", "edgelist"} <= kinds
    assert "indicators" in kinds
    # The filters' echo and the list of known contexts do hold names when asked for.
    labels = {label for label, _, _ in found}
    assert {"indicators --json", "indicators --context zzz"} <= labels


def test_report_pack_names_nobody(planted: tuple[Engine, dict[str, uuid.UUID]]) -> None:
    engine, _ = planted
    if static.find_browser() is None:
        pytest.skip("no browser to draw the report pack's images with")
    source = charts.read(engine, as_of=_TODAY)
    server = static.ExportServer()
    try:
        pack = report_pack.build(source, "es", server=server)
        chart = charts.build("defender_timeline", source, "en")
        files = [(f"chart.{fmt}", server.export(chart.figure, fmt)) for fmt in ("svg", "pdf")]
    finally:
        server.close()
    assert canary.leaks([("report pack", pack), *files]) == []
    # The pack did draw the canary's case: its pseudonymized defender is in it.
    assert "Defensora Andina" in canary.readable(pack) + canary.readable(files[0][1])


# --- pages -----------------------------------------------------------------------------------


def _spy_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Capture the data of every download button (callables run, as a click would)."""
    got: list[tuple[str, Any]] = []
    original = DeltaGenerator.download_button

    made: set[str] = set()

    def spy(self: DeltaGenerator, label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        name = str(kwargs.get("file_name") or label)
        if callable(data):
            # Files made on click (images, the report pack): each once, and no PNG (pixels;
            # the same chart's SVG, PDF and CSV carry its text).
            if name not in made and not name.endswith(".png"):
                made.add(name)
                got.append((f"download {name}", data()))
        else:
            got.append((f"download {name}", data))
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: spy(st._main, *a, **k))
    return got


def _page_text(at: AppTest) -> str:
    """Everything in the page's element tree (every tab and expander), tables as CSV."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [tb.value.to_csv() for tb in at.table]
    return "\n".join(parts)


def _pages(url: str, ids: dict[str, uuid.UUID], role: str) -> Iterator[tuple[str, AppTest]]:
    """Every page a role can open, with the canary's records open, and their variants."""
    plain = [
        "app.py",
        "pages/1_Cases.py",
        "pages/2_Defenders.py",
        "pages/5_Hearings.py",
        "pages/6_Import_Export.py",
        "pages/7_Actors.py",
        "pages/8_Sources.py",
        "pages/4_Indicators.py",
    ]
    for path in plain:
        yield path, run_as(path, url, role=role)
    opened = [
        ("pages/1_Cases.py", "case", ids["case"]),
        ("pages/1_Cases.py", "case", ids["hidden_case"]),
        ("pages/2_Defenders.py", "actor", ids["zenobia"]),
        ("pages/2_Defenders.py", "actor", ids["teofilo"]),
        ("pages/2_Defenders.py", "actor", ids["rosalia"]),
        ("pages/7_Actors.py", "actor", ids["firm"]),
        ("pages/7_Actors.py", "actor", ids["org"]),
        ("pages/8_Sources.py", "source", ids["source"]),
    ]
    for path, param, row_id in opened:
        yield f"{path}?{param}={row_id}", run_as(path, url, role=role, query={param: str(row_id)})
    at = run_as("pages/5_Hearings.py", url, role=role)
    for days in (7, 30, 90):
        yield f"hearings {days}", at.radio(key="h_days").set_value(days).run()
    at = run_as("pages/3_Network.py", url, role=role)
    yield "network top by reach", at
    yield "network top 10", at.select_slider(key="np_top_n").set_value(10).run()
    yield "network communities", at.toggle(key="np_communities").set_value(True).run()
    # One actor's or court's network, for the first choices offered and for the canary's
    # people found by pseudonym and by (withheld) real name.
    at.radio(key="np_mode").set_value("ego").run()
    for text in ("", "Defensor", "Zenobia", "Quispicanchi", "Tayta", "Persona R"):
        at.text_input(key="np_search").set_value(text).run()
        yield f"network ego search {text!r}", at
        picks = [box for box in at.selectbox if box.key == "np_pick"]
        for index in range(1, min(len(picks[0].options), 7) if picks else 1):
            at.selectbox(key="np_pick").select_index(index).run()
            yield f"network ego {text!r} {index}", at
        if picks:
            at.selectbox(key="np_pick").select_index(0).run()
    at.radio(key="np_mode").set_value("graph").run()
    for view in GRAPHS:
        at.radio(key="nv_view").set_value(view).run()
        yield f"network {view}", at
        # The cases of each node, for the nodes of the canary's case (the first few).
        for node in at.selectbox(key="nv_node").options[1:8]:
            yield f"network {view} node", at.selectbox(key="nv_node").set_value(node).run()
        at.selectbox(key="nv_node").set_value("").run()
    at = run_as("pages/10_Reports.py", url, role=role)
    for code in charts.CHARTS:
        at.selectbox(key="rp_chart").set_value(code).run()
        yield f"reports {code}", at
        if code == "defender_timeline":
            for defender in at.selectbox(key="rp_defender").options:
                at.selectbox(key="rp_defender").set_value(defender).run()
                yield f"reports timeline {defender}", at
    # The report pack is drawn on a click; its download then goes through the spy.
    if static.find_browser() is not None:
        yield "reports pack", at.button(key="rp_pack_prepare").click().run()
    yield from _indicator_views(url, role)
    at = run_as("pages/6_Import_Export.py", url, role=role)
    for fmt in ("csv", "xlsx", "json", "ftm", "ics"):
        at.selectbox(key="export_format").set_value(fmt).run()
        at.button(key="export_prepare").click().run()
        yield f"import/export {fmt}", at


def _indicator_views(url: str, role: str) -> Iterator[tuple[str, AppTest]]:
    """The Indicators page with every card's records open, and the comparison of every
    indicator across every dimension with its first group's records open."""
    from tracker.analysis import INDICATORS
    from tracker.ui.indicator_compare import DIMENSIONS

    at = run_as("pages/4_Indicators.py", url, role=role)
    for ind in INDICATORS:
        at.toggle(key=f"ind_rows_show:{ind.code}:overall:").set_value(True)
    yield "indicators cards with records", at.run()
    for ind in INDICATORS:
        at.toggle(key=f"ind_rows_show:{ind.code}:overall:").set_value(False)
    for dimension in DIMENSIONS:
        at.selectbox(key="ind_cmp_dim").set_value(dimension).run()
        for ind in INDICATORS:
            at.selectbox(key="ind_cmp_indicator").set_value(ind.code).run()
            opened = [t for t in at.toggle if t.key.startswith(f"ind_rows_show:{ind.code}:")]
            for toggle in opened:
                toggle.set_value(True)
            yield f"indicators compare {dimension} {ind.code}", at.run()
            for toggle in [t for t in at.toggle if t.key in {o.key for o in opened}]:
                toggle.set_value(False)


def _page_outputs(
    url: str, ids: dict[str, uuid.UUID], role: str, monkeypatch: pytest.MonkeyPatch
) -> Outputs:
    downloads = _spy_downloads(monkeypatch)
    out: Outputs = []
    for label, at in _pages(url, ids, role):
        assert not at.exception, (label, at.exception)
        out.append((label, _page_text(at)))
    out += [(label, data) for label, data in downloads if isinstance(data, bytes | str)]
    return out


def _only_sqlite(url: str) -> None:
    if not url.startswith("sqlite"):
        pytest.skip("pages run on SQLite; the exports test covers PostgreSQL")


def test_pages_and_their_downloads_name_nobody_to_a_viewer(
    planted: tuple[Engine, dict[str, uuid.UUID]],
    app_env: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _only_sqlite(app_env)
    _, ids = planted
    outputs = _page_outputs(app_env, ids, "viewer", monkeypatch)
    assert sum(1 for label, _ in outputs if label.startswith("download")) >= 10
    found = canary.leaks(outputs)
    assert not found, canary.summary(found)
    # The records were there to see, under pseudonyms.
    case_page = dict(outputs)[f"pages/1_Cases.py?case={ids['case']}"]
    assert "Defensora Andina" in case_page and "Defensor del Sur" in case_page
    # The Network page's readable views drew the canary's people, under pseudonyms.
    ego = [text for label, text in outputs if label.startswith("network ego 'Defensor'")]
    assert any("Defensora Andina" in str(text) and "np_ego_chart" in str(text) for text in ego)
    top = dict(outputs)["network top by reach"]
    assert "np_top_chart" in str(top)


def test_pages_show_the_names_to_an_administrator(
    planted: tuple[Engine, dict[str, uuid.UUID]],
    app_env: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _only_sqlite(app_env)
    _, ids = planted
    at = run_as("pages/1_Cases.py", app_env, role="admin", query={"case": str(ids["case"])})
    found = {needle for _, needle, _ in canary.leaks([("case", _page_text(at))])}
    assert {"zenobia", "quispicanchi", "teofilo", "ccorimanya", "40123456"} <= found


def test_the_indicator_records_name_the_people_to_an_administrator(
    planted: tuple[Engine, dict[str, uuid.UUID]], app_env: str
) -> None:
    # The canary can fail on the Indicators page: its cards with their records open hold
    # the real names for someone allowed to see them.
    _only_sqlite(app_env)
    views = _indicator_views(app_env, "admin")
    label, at = next(views)
    found = {needle for _, needle, _ in canary.leaks([(label, _page_text(at))])}
    assert {"zenobia", "teofilo"} <= found, found
