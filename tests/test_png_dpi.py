"""Every PNG labelled 300 dpi says so in its pHYs chunk: the report pack, the charts command,
and a single download (tracker.exports.static). Without it word processors place a 3300 px
wide chart at 72 or 96 dpi, three to four times too large. Pillow reads the files back.
Drawing needs a browser."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.test_charts import net  # noqa: F401  (module fixture)
from tests.test_static_export import export_server, require_browser, small_figure  # noqa: F401
from tracker import charts, db, seed
from tracker.cli import main
from tracker.exports import report_pack, static
from tracker.i18n import set_language


def dpi_of(data: bytes) -> tuple[float, float]:
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
        return img.info["dpi"]


def pixels_per_metre(data: bytes) -> tuple[int, int, int]:
    """The raw pHYs chunk: x and y pixels per unit, and the unit (1 = metre)."""
    at = data.index(b"pHYs")
    x = int.from_bytes(data[at + 4 : at + 8], "big")
    y = int.from_bytes(data[at + 8 : at + 12], "big")
    return x, y, data[at + 12]


def test_with_dpi_keeps_the_pixels_and_adds_phys() -> None:
    img = Image.new("RGB", (30, 20), (200, 10, 10))
    raw = io.BytesIO()
    img.save(raw, format="PNG")
    assert b"pHYs" not in raw.getvalue()
    out = static.with_dpi(raw.getvalue(), 300)
    assert pixels_per_metre(out) == (11811, 11811, 1)  # 300 / 0.0254, rounded
    with Image.open(io.BytesIO(out)) as back:
        assert back.size == (30, 20)
        assert back.getpixel((3, 3)) == (200, 10, 10)
    # A chunk already there (72 dpi) is replaced, not doubled.
    again = io.BytesIO()
    img.save(again, format="PNG", dpi=(72, 72))
    replaced = static.with_dpi(again.getvalue(), 300)
    assert replaced.count(b"pHYs") == 1
    assert dpi_of(replaced) == pytest.approx((300, 300), abs=0.01)
    with pytest.raises(ValueError, match="not a PNG"):
        static.with_dpi(b"GIF89a", 300)
    assert static.png_dpi(static.PRINT_SCALE) == 300
    assert static.png_dpi(1) == 100


def test_a_png_download_says_300_dpi(export_server: static.ExportServer) -> None:  # noqa: F811
    data = export_server.export(small_figure(), "png")
    assert dpi_of(data) == pytest.approx((300, 300), abs=0.01)
    assert pixels_per_metre(data) == (11811, 11811, 1)
    assert dpi_of(export_server.export(small_figure(), "png", scale=1)) == pytest.approx(
        (100, 100), abs=0.01
    )


def test_every_png_of_the_report_pack_says_300_dpi(
    net: Any,  # noqa: F811
    export_server: static.ExportServer,  # noqa: F811
) -> None:
    _, source = net
    pack = zipfile.ZipFile(io.BytesIO(report_pack.build(source, "en", server=export_server)))
    pngs = [n for n in pack.namelist() if n.endswith(".png")]
    assert len(pngs) == len(charts.CHARTS)
    for name in pngs:
        assert dpi_of(pack.read(name)) == pytest.approx((300, 300), abs=0.01), name


def test_every_png_of_the_charts_command_says_300_dpi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _sqlite_template: Path
) -> None:
    require_browser()
    path = tmp_path / "seed.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    seed.seed(engine)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")
    out = tmp_path / "charts"
    code = main(["charts", "--out", str(out), "--format", "png", "--lang", "es"])
    set_language("en")
    assert code == 0
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == len(charts.CHARTS)
    for png in pngs:
        assert dpi_of(png.read_bytes()) == pytest.approx((300, 300), abs=0.01), png.name
