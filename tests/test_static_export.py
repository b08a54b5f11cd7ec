"""Static chart files through kaleido and Debian's chromium: PNG, SVG and PDF are valid files,
the server survives many exports, and without a browser the error says what to install.

Tests that draw need a Chrome or Chromium (``apt-get install -y chromium``) and kaleido
(``pip install kaleido``); without them they skip with that message, except under CI=true,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest

from tracker.charts import style
from tracker.charts.style import Caption
from tracker.cli import main
from tracker.exports import static
from tracker.i18n import set_language

HOW_TO = (
    "Static export tests skipped: no Chrome/Chromium or no kaleido. Install them with "
    "'apt-get install -y chromium' and 'pip install kaleido'."
)
SVG = "{http://www.w3.org/2000/svg}"


def require_browser() -> None:
    """Skip (fail under CI=true) when static files cannot be drawn here."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        available = False
    else:
        available = static.find_browser() is not None
    if not available:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(HOW_TO)
        pytest.skip(HOW_TO)


_SHARED: list[static.ExportServer] = []


@pytest.fixture(scope="session")
def export_server(request: pytest.FixtureRequest) -> static.ExportServer:
    """One headless browser for every test module that draws (starting one takes seconds);
    modules that import this fixture get the same server."""
    require_browser()
    if not _SHARED or not _SHARED[0].alive:
        _SHARED[:] = [static.ExportServer()]
        request.session.config.add_cleanup(_SHARED[0].close)
    return _SHARED[0]


def small_figure(title: str = "Cargos por año") -> go.Figure:
    fig = go.Figure(go.Bar(x=[2012, 2019], y=[3, 5], name="Disturbios"))
    return style.apply(fig, Caption(title, "Región: Cusco", "Fuente: prueba"))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_at_print_resolution(export_server: static.ExportServer) -> None:
    data = export_server.export(small_figure(), "png")
    assert png_size(data) == (3300, 1950)  # 1100 x 650 CSS px at scale 3: 300 dpi at 11 in
    assert png_size(export_server.export(small_figure(), "png", scale=1)) == (1100, 650)


def test_svg_parses_and_keeps_text_as_text(export_server: static.ExportServer) -> None:
    data = export_server.export(small_figure(), "svg")
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    texts = " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))
    assert "Cargos por año" in texts and "Fuente: prueba" in texts
    # Nothing to fetch: no MathJax, no CDN, no web font.
    lowered = data.lower()
    assert b"mathjax" not in lowered and b"cdn." not in lowered and b"@import" not in lowered


def test_pdf(export_server: static.ExportServer) -> None:
    data = export_server.export(small_figure(), "pdf")
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-1024:]


def test_webgl_traces_are_drawn_as_vectors(export_server: static.ExportServer) -> None:
    fig = go.Figure(go.Scattergl(x=[1, 2, 3], y=[3, 1, 2], mode="markers"))
    root = ET.fromstring(export_server.export(fig, "svg"))
    assert list(root.iter(f"{SVG}image")) == []  # a WebGL trace would be a bitmap here
    assert len([p for p in root.iter(f"{SVG}path") if "point" in p.get("class", "")]) == 3


def test_the_server_takes_many_exports_and_closes(export_server: static.ExportServer) -> None:
    for fmt in ("svg", "png", "pdf", "svg"):
        assert export_server.export(small_figure(fmt), fmt, scale=1)
    assert export_server.alive
    with pytest.raises(ValueError, match="gif"):
        export_server.export(small_figure(), "gif")


def test_a_server_of_its_own_closes(export_server: static.ExportServer) -> None:
    assert static.to_bytes(small_figure(), "svg", server=export_server).startswith(b"<svg")
    server = static.ExportServer()  # what to_bytes does without a server
    assert server.export(small_figure(), "pdf").startswith(b"%PDF-")
    server.close()
    server.close()  # idempotent
    assert not server.alive
    with pytest.raises(static.ExportFailed):
        server.export(small_figure(), "png")


# -- without a browser (these run everywhere) ----------------------------------------------


def test_no_browser_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static, "find_browser", lambda: None)
    with pytest.raises(static.ExportUnavailable) as err:
        static.ExportServer()
    assert "apt-get install chromium" in err.value.message("en")
    assert "CSV" in err.value.message("en")
    assert "instale uno" in err.value.message("es").lower()
    with pytest.raises(static.ExportUnavailable):
        static.to_bytes(small_figure(), "png")


def test_kaleido_chrome_error_becomes_the_install_message(
    export_server: static.ExportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_chrome(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("Kaleido requires Google Chrome to be installed")

    monkeypatch.setattr(export_server._kaleido, "calc_fig", no_chrome)
    with pytest.raises(static.ExportUnavailable):
        export_server.export(small_figure(), "png")


def test_a_browser_path_that_does_not_exist_counts_as_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    assert static.find_browser() is None


def test_no_kaleido_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kaleido", None)  # import kaleido now fails
    with pytest.raises(static.ExportUnavailable) as err:
        static.ExportServer()
    assert "pip install kaleido" in err.value.message("en")


def test_cli_without_a_browser_is_a_clean_error(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    _sqlite_template: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copy(_sqlite_template, tmp_path / "empty.db")  # never touch the shared template
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("TRACKER_LANG", "en")
    monkeypatch.setattr(static, "find_browser", lambda: None)
    assert main(["charts", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "Traceback" not in err
    set_language("en")


def test_cli_rejects_an_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["charts", "--out", str(tmp_path), "--format", "png,gif"])
    assert exit_.value.code == 2
    assert "unknown format: gif (known: png, svg, pdf)" in capsys.readouterr().err
