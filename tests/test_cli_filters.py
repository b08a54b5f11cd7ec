"""The page's filters on the command line (tracker/cli/filter_args.py): ``indicators --json``
and ``charts`` take ``--from --to --region --charge-type --complainant-category --context``,
match values as a person types them, say which filters were applied, give the numbers of
tracker.analysis for the same Filters (the page's numbers: tests/app/test_cli_parity_page.py),
and refuse bad input in the user's language, naming the option, writing nothing.

Data: the small network of tests/test_graphs.py (Cajamarca 2012 and 2016, Cusco 2019; usurpation,
riot, obstruction; a mining company, the police, a prosecutor; contexts "Conga" and
"Paro 2019"), and the documented seed (Cajamarca and Cusco, 2011-2012).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network
from tracker import analysis, charts, seed
from tracker.analysis import Filters
from tracker.cli import main

TODAY = "2026-12-04"

# Each filter alone and a combination: the options, and the Filters the page's widgets make.
CASES: list[tuple[list[str], Filters]] = [
    ([], Filters()),
    (["--region", "Cajamarca"], Filters(regions=("Cajamarca",))),
    (["--region", "CUSCO"], Filters(regions=("Cusco",))),
    (["--from", "2013", "--to", "2019"], Filters(start_year=2013, end_year=2019)),
    (["--from", "2016"], Filters(start_year=2016)),
    (["--to", "2012"], Filters(end_year=2012)),
    (["--charge-type", "riot"], Filters(charge_types=("riot",))),
    (["--charge-type", "Usurpación"], Filters(charge_types=("usurpation",))),
    (["--complainant-category", "company"], Filters(complainant_categories=("company",))),
    (["--complainant-category", "Police"], Filters(complainant_categories=("police",))),
    (["--context", "paro-2019"], Filters(contexts=("Paro 2019",))),
    (
        ["--region", "cajamarca", "--to", "2016", "--charge-type", "usurpation",
         "--complainant-category", "Empresa minera", "--context", "Conga"],
        Filters(end_year=2016, regions=("Cajamarca",), charge_types=("usurpation",),
                complainant_categories=("company_mining",), contexts=("Conga",)),
    ),
]  # fmt: skip


@pytest.fixture
def network(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The hand-built network, and the command line pointed at it, in English."""
    build_network(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    return engine


def indicators(capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, Any]:
    """``indicators --json`` with these options, its JSON read back."""
    assert main(["indicators", "--json", "--today", TODAY, *options]) == 0
    return dict(json.loads(capsys.readouterr().out))


def overall(report: dict[str, Any]) -> dict[str, tuple[Any, Any, Any]]:
    """indicator code -> (value, numerator, denominator) of the overall figures."""
    return {
        i["code"]: (i["overall"]["value"], i["overall"]["numerator"], i["overall"]["denominator"])
        for i in report["indicators"]
    }


@pytest.mark.parametrize(
    ("options", "filters"), CASES, ids=[" ".join(o) or "none" for o, _ in CASES]
)
def test_the_command_line_gives_the_numbers_of_the_same_filters(
    network: Engine,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    filters: Filters,
) -> None:
    report = indicators(capsys, *options)
    expected = analysis.figures(network, filters, today=date.fromisoformat(TODAY), lang="en")
    assert overall(report) == {f.indicator: (f.value, f.numerator, f.denominator) for f in expected}
    per = analysis.figures(
        network, filters, group_by="complainant", today=date.fromisoformat(TODAY), lang="en"
    )
    assert [
        (i["code"], f["label"], f["value"])
        for i in report["indicators"]
        for f in i["per_complainant"]
    ] == [(f.indicator, f.label, f.value) for f in per]
    applied = report["filters"]
    assert (applied["from"], applied["to"]) == (filters.start_year, filters.end_year)
    assert applied["regions"] == list(filters.regions)
    assert applied["charge_types"] == list(filters.charge_types)
    assert applied["complainant_categories"] == list(filters.complainant_categories)
    assert applied["contexts"] == list(filters.contexts)


def test_literal_numbers_under_filters(network: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    # Worked out by hand from the network (tests/test_graphs.py's docstring).
    everything = overall(indicators(capsys))
    assert everything["complainant_reach"] == (6, None, None)
    assert everything["unfounded_rate"] == (0.75, 3, 4)
    cajamarca = indicators(capsys, "--region", "cajamarca")
    assert cajamarca["filters"]["text"] == "Region: Cajamarca"
    reach = cajamarca["indicators"][0]["overall"]
    # Caso Uno and Caso Dos: ch1-ch4 against Ana Huamán and Beto Quispe.
    assert (reach["value"], reach["cases"], reach["charges"]) == (2, 2, 4)
    assert overall(cajamarca)["reopened"] == (1, 1, 2)  # Caso Dos
    cusco = overall(indicators(capsys, "--region", "Cusco"))
    assert cusco["mass_prosecution"] == (1, 1, 1)  # Caso Tres, five defendants
    assert cusco["postponement_rate"] == (0.6667, 2, 3)
    riot = indicators(capsys, "--charge-type", "Disturbios")  # the Spanish label
    assert riot["filters"]["text"] == "Charge type: Riot / civil disturbance"
    assert overall(riot)["unfounded_rate"] == (1.0, 2, 2)  # ch2 dismissed, ch10 archived
    police = overall(indicators(capsys, "--complainant-category", "police"))
    assert police["conviction_rate"] == (1.0, 1, 1)  # ch3, brought by K1 and K2
    both = indicators(capsys, "--from", "2013", "--to", "2019", "--context", "PARO 2019")
    assert both["filters"]["text"] == "Cases opened 2013–2019 · Context: Paro 2019"
    assert overall(both)["complainant_reach"] == (5, None, None)


def test_the_seed_under_a_region(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed.ensure_ready(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "es")
    reach = {
        region: indicators(capsys, "--region", region)["indicators"][0]["overall"]
        for region in ("Cajamarca", "Cusco")
    }
    # The seed's 52 charges with a complainant: 48 in Celendín (Cajamarca), 4 in Espinar.
    assert {r: (v["value"], v["cases"], v["charges"]) for r, v in reach.items()} == {
        "Cajamarca": (20, 2, 52),
        "Cusco": (0, 0, 0),
    }


def test_a_repeated_option_and_a_value_given_twice(
    network: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    report = indicators(
        capsys, "--region", "Cusco", "--region", "cajamarca", "--region", "CUSCO",
        "--charge-type", "riot", "--charge-type", "Riot / civil disturbance",
    )  # fmt: skip
    assert report["filters"]["regions"] == ["Cusco", "Cajamarca"]
    assert report["filters"]["charge_types"] == ["riot"]
    assert overall(report) == overall(indicators(capsys, "--charge-type", "riot"))


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "options", "message"),
    [
        ("en", ["--region", "Cusko"],
         'Error: --region "Cusko" is not known. Did you mean "Cusco"? Known values:'
         ' "Cajamarca", "Cusco"'),
        ("es", ["--region", "Lima"],
         'Error: --region "Lima" no se conoce. Valores conocidos: "Cajamarca", "Cusco"'),
        ("en", ["--charge-type", "rioting"],
         'Error: --charge-type "rioting" is not known. Did you mean "riot (Riot / civil'
         ' disturbance)"? Known values: "usurpation (Usurpation (land))",'),
        ("es", ["--complainant-category", "minera"],
         'Error: --complainant-category "minera" no se conoce. ¿Quiso decir "company_mining'
         ' (Empresa minera)"? Valores conocidos: "company (Empresa)",'),
        ("en", ["--context", "paro"],
         'Error: --context "paro" is not known. Did you mean "Paro 2019"? Known values:'
         ' "Conga", "Paro 2019"'),
        ("en", ["--from", "2019", "--to", "2013"],
         "Error: The period ends (2013) before it starts (2019): give --to a year not before"
         " --from."),
        ("es", ["--from", "2019", "--to", "2013"],
         "Error: El periodo termina (2013) antes de empezar (2019): dé a --to un año no"
         " anterior a --from."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["indicators", "charts"])
def test_an_unknown_value_or_a_backwards_period_is_refused(
    network: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    lang: str,
    options: list[str],
    message: str,
    command: str,
) -> None:
    monkeypatch.setenv("TRACKER_LANG", lang)
    out = tmp_path / "out"
    argv = ["indicators", "--json"] if command == "indicators" else ["charts", "--out", str(out)]
    assert main([*argv, *options]) == 1
    printed = capsys.readouterr()
    assert printed.err.startswith(message)
    assert printed.out == ""  # no half report
    assert not out.exists()  # no folder, no chart


@pytest.mark.parametrize(
    ("lang", "options", "message"),
    [
        ("en", ["--from", "2o15"],
         'argument --from: "2o15" is not a year: write it as four digits, for example 2015.'),
        ("es", ["--to", "dos mil"],
         'argument --to: "dos mil" no es un año: escríbalo con cuatro cifras, por ejemplo 2015.'),
        ("en", ["--to", "15"],
         'argument --to: "15" is not a year: write it as four digits, for example 2015.'),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["indicators", "charts"])
def test_a_year_that_is_not_a_year_is_refused(
    network: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    lang: str,
    options: list[str],
    message: str,
    command: str,
) -> None:
    monkeypatch.setenv("TRACKER_LANG", lang)
    out = tmp_path / "out"
    argv = ["indicators", "--json"] if command == "indicators" else ["charts", "--out", str(out)]
    with pytest.raises(SystemExit) as info:
        main([*argv, *options])
    assert info.value.code == 2
    printed = capsys.readouterr()
    assert message in printed.err
    assert printed.out == ""
    assert not out.exists()


def test_a_viewer_does_not_learn_regions_of_confidential_cases(
    network: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker import db
    from tracker import services as sv
    from tracker.permissions import Principal

    with db.unit_of_work(network, Principal("ana", "editor")) as s:
        sv.cases.create(
            s,
            {"title": "Caso Reservado", "region": "Puno", "opened_on": "2020",
             "confidentiality": "restricted"},
        )  # fmt: skip
    assert main(["indicators", "--json", "--region", "Puno"]) == 1
    assert capsys.readouterr().err.startswith(
        'Error: --region "Puno" is not known. Known values: "Cajamarca", "Cusco"'
    )
    # The administrator who asks for confidential records may filter on it.
    report = indicators(capsys, "--include-confidential", "--region", "puno")
    assert report["filters"]["regions"] == ["Puno"]


def test_a_context_naming_a_withheld_person_reads_as_the_viewer_sees_it(
    network: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker import db
    from tracker import services as sv
    from tracker.permissions import Principal

    # Eva Ccori (D5) is confidential, shown as "Defensora E".
    with db.unit_of_work(network, Principal("ana", "editor")) as s:
        sv.cases.create(
            s, {"title": "Caso Cuatro", "region": "Cusco", "context": "Marcha por Eva Ccori"}
        )
    assert main(["indicators", "--json", "--context", "marcha"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        'Error: --context "marcha" is not known. Did you mean "Marcha por Defensora E"? Known'
        ' values: "Conga", "Marcha por Defensora E", "Paro 2019"'
    )
    assert "Ccori" not in err
    # What the viewer is shown is what the viewer may type; the output keeps the pseudonym.
    report = indicators(capsys, "--context", "marcha por defensora e")
    assert report["filters"]["contexts"] == ["Marcha por Defensora E"]
    assert report["filters"]["text"] == "Context: Marcha por Defensora E"
    assert overall(report)["complainant_reach"] == (0, None, None)  # a case with no charge
    # Typing the real name does not confirm to a viewer that such a context exists.
    assert main(["indicators", "--json", "--context", "Marcha por Eva Ccori"]) == 1
    assert capsys.readouterr().err.startswith(
        'Error: --context "Marcha por Eva Ccori" is not known. Known values: "Conga",'
        ' "Marcha por Defensora E", "Paro 2019"'
    )
    admin = indicators(capsys, "--include-confidential", "--context", "Marcha por Eva Ccori")
    assert admin["filters"]["contexts"] == ["Marcha por Eva Ccori"]


def test_help_names_the_filters_in_both_languages(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for lang, heading, options in (
        ("en", "filters (the same as on the Network and Indicators pages)",
         ("--from YEAR", "--to YEAR", "--region REGION", "--charge-type TYPE",
          "--complainant-category CATEGORY", "--context CONTEXT")),
        ("es", "filtros (los mismos que en las páginas Red e Indicadores)",
         ("--from AÑO", "--to AÑO", "--region REGIÓN", "--charge-type TIPO",
          "--complainant-category CATEGORÍA", "--context CONTEXTO")),
    ):  # fmt: skip
        monkeypatch.setenv("TRACKER_LANG", lang)
        for command in ("indicators", "charts"):
            with pytest.raises(SystemExit):
                main([command, "--help"])
            text = capsys.readouterr().out
            assert heading in text, (lang, command)
            for option in options:
                assert option in text, (lang, command, option)


# --- charts ------------------------------------------------------------------------------


def chart_csv(folder: Path, code: str) -> list[list[str]]:
    """The rows of one chart's CSV in a charts folder."""
    (path,) = folder.glob(f"*_{code}.csv")
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_charts_under_a_region_draw_the_filtered_numbers(
    network: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "charts"
    argv = ["charts", "--out", str(out), "--format", "svg", "--today", TODAY]
    assert main([*argv, "--region", "cusco", "--charge-type", "riot"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Filters: Region: Cusco · Charge type: Riot / civil disturbance"
    filters = Filters(regions=("Cusco",), charge_types=("riot",))
    source = charts.read(network, filters, as_of=date.fromisoformat(TODAY))
    for code in charts.CHARTS:
        if code == "network":
            continue
        chart = charts.build(code, source, "en")
        assert chart_csv(out, code) == list(
            csv.reader(io.StringIO(chart.csv("en").decode("utf-8-sig")))
        ), code
    # Literal: Caso Tres's riot charges, all filed in 2019 (ch5, ch7-ch10).
    assert chart_csv(out, "charges_over_time")[1:] == [
        ["2019", "riot", "Riot / civil disturbance", "5"]
    ]
    svg = next(out.glob("*_charges_over_time.svg")).read_text(encoding="utf-8")
    assert "Region: Cusco · Charge type: Riot / civil disturbance" in svg
    assert "Filters: Region: Cusco · Charge type: Riot / civil disturbance" in (
        out / "methodology.txt"
    ).read_text(encoding="utf-8")


def test_charts_without_a_browser_leave_no_folder(
    network: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from tracker.exports import static

    monkeypatch.setattr(static, "find_browser", lambda: None)
    out = tmp_path / "charts"
    assert main(["charts", "--out", str(out), "--region", "Cusco"]) == 1
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not out.exists()


def test_the_subtitle_builds_a_redactor_only_for_typed_text(
    network: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Building a redactor reads every withheld person (seconds at scale M): years and
    # vocabulary labels name nobody, a region or context may.
    from tracker import privacy

    built: list[bool] = []
    real = privacy.redactor

    def counting(bind: Any, *, show_confidential: bool) -> privacy.Redactor:
        built.append(show_confidential)
        return real(bind, show_confidential=show_confidential)

    coded = charts.read(network, Filters(start_year=2013, charge_types=("riot",)))
    typed = charts.read(network, Filters(regions=("Cusco",), contexts=("Paro 2019",)))
    for source in (coded, typed):  # the vocabulary read (its rows are redacted on reading)
        source.labels("en")
    monkeypatch.setattr(privacy, "redactor", counting)
    assert coded.filters_text("en") == "Cases opened 2013–… · Charge type: Riot / civil disturbance"
    assert built == []
    assert typed.filters_text("es") == "Región: Cusco · Contexto: Paro 2019"
    typed.filters_text("en")
    assert built == [False]  # the public's, once per source
