"""The report pack (ZIP) and the charts command: every chart as PNG and SVG with its CSV, and a
methodology text with definitions, filters, date, counts and the number of pseudonymized
people, never their names. Drawing needs a browser (see tests/test_static_export.py)."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.test_charts import TODAY, net  # noqa: F401  (module fixture)
from tests.test_static_export import export_server, require_browser  # noqa: F401
from tracker import analysis, charts
from tracker.cli import main
from tracker.exports import report_pack, static
from tracker.i18n import set_language


@pytest.fixture(scope="module")
def pack(net: Any, export_server: static.ExportServer) -> zipfile.ZipFile:  # noqa: F811
    """The Spanish pack of the hand-built network."""
    _, source = net
    seen: list[tuple[int, int, str]] = []
    data = report_pack.build(
        source, "es", server=export_server, progress=lambda i, n, what: seen.append((i, n, what))
    )
    assert [(i, n) for i, n, _ in seen] == [(i, 10) for i in range(11)]
    assert seen[0][2] == "Nuevos cargos por tipo de cargo"
    assert seen[-1][2] == seen[-2][2]  # the last chart, named again when all are done
    return zipfile.ZipFile(io.BytesIO(data))


def test_pack_holds_every_chart_as_png_svg_and_csv(pack: zipfile.ZipFile, net: Any) -> None:  # noqa: F811
    _, source = net
    names = pack.namelist()
    folder = "report-2026-01-01-es/"
    assert len(names) == 3 * len(charts.CHARTS) + 1
    assert f"{folder}methodology.txt" in names
    for i, code in enumerate(charts.CHARTS, start=1):
        stem = f"{folder}{i:02d}_{code}"
        assert pack.read(f"{stem}.png").startswith(b"\x89PNG\r\n\x1a\n")
        assert ET.fromstring(pack.read(f"{stem}.svg")).tag.endswith("svg")
        made = charts.build(code, source, "es")
        assert pack.read(f"{stem}.csv") == made.csv("es")


def test_methodology_text(pack: zipfile.ZipFile) -> None:
    text = pack.read("report-2026-01-01-es/methodology.txt").decode("utf-8")
    assert "Datos al: 2026-01-01" in text
    assert "Filtros: Todos los registros" in text
    assert "- Casos: 3\n- Cargos: 10\n- Defensores con cargos: 6" in text
    assert "Personas que aparecen con seudónimo en estas cifras: 1 (cargos en su contra: 1)" in text
    for ind in analysis.INDICATORS:
        assert ind.definition("es") in text
    assert "01_charges_over_time.png, 01_charges_over_time.svg, 01_charges_over_time.csv" in text
    assert "Terminó sin condena: Archivado, Sobreseimiento" in text


def test_no_real_name_in_the_pack(pack: zipfile.ZipFile) -> None:
    for name in pack.namelist():
        if not name.endswith(".png"):
            text = pack.read(name).decode("utf-8-sig")
            assert "Eva Ccori" not in text, name
    network_csv = pack.read("report-2026-01-01-es/09_network.csv").decode("utf-8-sig")
    assert "Defensora E" in network_csv


def test_methodology_without_images_in_english(net: Any) -> None:  # noqa: F811
    _, source = net
    made = charts.build_all(source, "en")
    text = report_pack.methodology(source, made, "en", formats=("pdf",))
    assert "People shown under a pseudonym in these figures: 1 (charges against them: 1)" in text
    assert "No synthetic data" in text
    assert "Files: 10_defender_timeline.pdf, 10_defender_timeline.csv" in text
    assert "Eva Ccori" not in text


def test_cli_writes_every_chart(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _sqlite_template: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_browser()
    shutil.copy(_sqlite_template, tmp_path / "empty.db")  # never touch the shared template
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    out = tmp_path / "charts"
    code = main(["charts", "--out", str(out), "--format", "svg", "--lang", "es", "--today",
                 "2026-01-01"])  # fmt: skip
    set_language("en")
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 * len(charts.CHARTS) + 1
    assert files[:2] == ["01_charges_over_time.csv", "01_charges_over_time.svg"]
    assert "Datos al: 2026-01-01" in (out / "methodology.txt").read_text(encoding="utf-8")
    assert f"21 archivos escritos en {out}" in capsys.readouterr().out
