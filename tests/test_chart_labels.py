"""Chart labels never overlap: every publication chart but the network (its labels are tested
with the network page) is drawn by plotly.js in Debian's chromium at the publication size
(1100 px wide, the figure's own height), and the boxes of every text on it (title, subtitle,
legend, tick labels, axis titles, bar labels, source line) are checked pairwise. On the seed
data in both languages, and on tables with long Spanish names and every Peruvian region.

Needs Playwright and chromium (``apt-get install -y chromium``); skips without them, except
under CI=true."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from tracker import charts, db, seed
from tracker.charts import cases, charges
from tracker.charts.style import EXPORT_SIZE, Caption
from tracker.charts.table import Table

CAPTION = Caption(
    "Defensores procesados por región del caso",
    "Periodo: 2010–2025 · Región: todas · Tipo de cargo: Disturbios, Usurpación agravada",
    "Fuente: registro de defensores · datos al 2026-01-01",
)
# Every Peruvian region, with the longest names written out as people write them.
REGIONS = (
    "Amazonas", "Áncash", "Apurímac", "Arequipa", "Ayacucho", "Cajamarca",
    "Provincia Constitucional del Callao", "Cusco", "Huancavelica", "Huánuco", "Ica", "Junín",
    "La Libertad", "Lambayeque", "Lima Metropolitana", "Lima Provincias", "Loreto",
    "Madre de Dios", "Moquegua", "Pasco", "Piura", "Puno", "San Martín", "Tacna", "Tumbes",
    "Ucayali",
)  # fmt: skip
COMPANIES = (
    "Empresa Minera Los Quenuales Sociedad Anónima Abierta — Unidad Minera Casapalca",
    "Compañía de Minas Buenaventura S.A.A. y su subsidiaria Sociedad Minera El Brocal",
    "Procuraduría Pública Especializada en Delitos de Orden Público del Ministerio del Interior",
    "Gobernación del distrito de Sorochuco, provincia de Celendín, región Cajamarca",
    "Minera Yanacocha S.R.L.",
    "Southern Perú Copper Corporation, Sucursal del Perú",
)

JS = """() => Array.from(document.querySelectorAll('.main-svg text'))
  .filter(el => el.textContent.trim())
  .map(el => { const r = el.getBoundingClientRect();
               return [el.textContent.trim(), r.left, r.top, r.right, r.bottom]; })
  .filter(b => b[3] > b[1] && b[4] > b[2])"""


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("no playwright")
    path = os.environ.get("TRACKER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _missing("no chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": EXPORT_SIZE[0], "height": 1200})
        # Offline: the figure's HTML holds plotly.js itself; any request is a failure.
        page.route("**/*", lambda route: route.abort())
        yield page
        browser.close()


def _missing(what: str) -> None:
    message = f"chart label tests skipped: {what} (apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def overlaps(page: Any, fig: go.Figure) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap (by more than a pixel) when ``fig`` is drawn."""
    height = fig.layout.height or EXPORT_SIZE[1]
    html = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"staticPlot": True},
        default_width=f"{EXPORT_SIZE[0]}px",
        default_height=f"{height}px",
    )
    page.set_content(html)
    page.wait_for_selector(".main-svg .infolayer", state="attached")
    boxes = page.evaluate(JS)
    assert boxes, "nothing was drawn"
    found = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1 :]:
            if ax0 + 1 < bx1 and bx0 + 1 < ax1 and ay0 + 1 < by1 and by0 + 1 < ay1:
                found.append((a, b))
    return found


@pytest.fixture(scope="module")
def seeded(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> charts.ChartSource:
    path = tmp_path_factory.mktemp("labels") / "seed.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    seed.seed(engine)
    source = charts.read(engine, as_of=date(2026, 1, 1))
    engine.dispose()
    return source


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_label_overlaps_on_the_seed_data(
    browser_page: Any, seeded: charts.ChartSource, lang: str
) -> None:
    for code in charts.CHARTS:
        if code == "network":
            continue
        chart = charts.build(code, seeded, lang)
        assert overlaps(browser_page, chart.figure) == [], code


def test_every_region_reads_without_overlap(browser_page: Any) -> None:
    table = Table(
        ("region", "cases", "defenders"),
        tuple((r, 40 - i, 3 * (40 - i)) for i, r in enumerate(REGIONS)),
    )
    fig = cases.region_figure(table, CAPTION, "es")
    assert overlaps(browser_page, fig) == []


def test_long_complainant_and_court_names_read_without_overlap(browser_page: Any) -> None:
    reach = Table(
        ("complainant", "category", "defenders", "cases", "charges"),
        tuple(
            (name, "Empresa minera" if i % 2 else "Autoridad o funcionario público", 30 - i, 9, 40)
            for i, name in enumerate(COMPANIES)
        ),
    )
    assert overlaps(browser_page, cases.top_complainants_figure(reach, CAPTION, "es")) == []
    courts = Table(
        ("court", "hearings", "postponed", "postponement_rate"),
        tuple(
            (f"Juzgado Penal Unipersonal Supraprovincial de {r}", 120, 120 - 3 * i, 1 - i / 40)
            for i, r in enumerate(REGIONS[:12])
        ),
    )
    assert overlaps(browser_page, cases.postponement_figure(courts, CAPTION, "es")) == []
    years = Table(
        ("complainant", "defenders", "median_years", "mean_years", "max_years", "still_prosecuted"),
        tuple((name, 120, 9.5 - i, 8.0, 12.0, 3) for i, name in enumerate(COMPANIES)),
    )
    fig = charges.prosecution_time_by_complainant_figure(years, CAPTION, "es")
    assert overlaps(browser_page, fig) == []
